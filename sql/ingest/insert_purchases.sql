-- Write the new purchases. Reads ingest_new_purchases.
INSERT INTO lake.purchases BY NAME
SELECT
    internal_id,
    purchase_id,
    contact_id,
    purchased_at,
    total_price,
    total_quantity,
    payment_method,
    cart_id,
    source,
    attributed_workflow_id,
    content_hash,
    now() AS imported_at
FROM ingest_new_purchases
