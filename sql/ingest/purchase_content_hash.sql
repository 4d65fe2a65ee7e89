-- content_hash of a purchase: the md5 of the JSON array of its fields, then '|' and
-- the purchase_lines_digest of its lines (empty for a purchase without lines).
-- The source is left out, so the same purchase from two importers gets one hash.
-- Both the import and the generator use this macro.
CREATE OR REPLACE TEMP MACRO purchase_content_hash(
    purchase_id,
    contact_id,
    contact_email,
    purchased_at,
    total_price,
    total_quantity,
    payment_method,
    cart_id,
    attributed_workflow_id,
    lines_digest
) AS md5(
    json_array(
        purchase_id,
        contact_id,
        lower(contact_email),
        epoch_us(purchased_at),
        total_price::VARCHAR,
        total_quantity,
        payment_method,
        cart_id,
        attributed_workflow_id
    )::VARCHAR || '|' || coalesce(lines_digest, '')
)
