-- Write the purchases of a generated chunk. Reads generated_new_purchases.
INSERT INTO lake.purchases BY NAME
SELECT * EXCLUDE (purchase_number), now() AS imported_at
FROM generated_new_purchases
