-- Purchases staged by a writer (an importer or the generator) before commit_staged.
-- purchased_at is an instant; {amount} is the store's DECIMAL amount type.
CREATE OR REPLACE TEMP TABLE stage_purchases (
    purchase_id VARCHAR,
    contact_id VARCHAR,
    contact_email VARCHAR,              -- matched to a contact when contact_id is null
    purchased_at TIMESTAMPTZ,
    total_price {amount},
    total_quantity BIGINT,
    payment_method VARCHAR,
    cart_id VARCHAR,
    source VARCHAR,
    attributed_workflow_id VARCHAR,
    -- Where the row was read, for error messages: the file path and its 1-based line
    -- (the row number for Parquet). Null for writers that read no file.
    source_file VARCHAR,
    source_line BIGINT
)
