-- Publish the predictions built in the temp table out_clv.
INSERT INTO lake.clv BY NAME SELECT * FROM temp.main.out_clv
