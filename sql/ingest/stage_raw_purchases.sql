-- Stage purchases read from a JSON Lines or flat line file, checked beforehand.
-- Reads raw_purchases, whose columns are the JSON fields as text. $1 is the source.
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
    nullif(trim(workflowId), '') AS attributed_workflow_id
FROM raw_purchases
