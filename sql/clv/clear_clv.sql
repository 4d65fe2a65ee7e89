-- Remove the published predictions before out_clv replaces them (same transaction).
DELETE FROM lake.clv
