-- Stage purchases read from a JSON Lines or flat line file, checked beforehand.
-- Reads raw_purchases, whose columns are the JSON fields as text and `line`, the line
-- of the file each row was read from. $1 is the source and $2 the file path.
INSERT INTO stage_purchases BY NAME
SELECT
    trim(purchaseId) AS purchase_id,
    nullif(trim(contactId), '') AS contact_id,
    nullif(trim(contactEmail), '') AS contact_email,
    trim(purchaseDate)::TIMESTAMPTZ AS purchased_at,
    trim(totalPrice) AS total_price,
    trim(totalQuantity)::BIGINT AS total_quantity,
    paymentMethod AS payment_method,
    nullif(trim(cartId), '') AS cart_id,
    $1 AS source,
    nullif(trim(workflowId), '') AS attributed_workflow_id,
    $2 AS source_file,
    line AS source_line
FROM raw_purchases
