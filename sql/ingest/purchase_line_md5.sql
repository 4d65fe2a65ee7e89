-- The md5 of one purchase line as a 128-bit number, for purchase_lines_digest.
-- The text is the JSON array of the line fields, line number included, with amounts
-- as decimal text. Product names, brands and categories are left out, because they
-- describe the product, not the purchase. Both the import and the generator hash
-- lines with this macro, so a purchase gets the same content_hash from either.
CREATE OR REPLACE TEMP MACRO purchase_line_md5(
    line_number, product_id, quantity, unit_price, price
) AS md5_number(
    json_array(
        line_number, product_id, quantity, unit_price::VARCHAR, price::VARCHAR
    )::VARCHAR
)
