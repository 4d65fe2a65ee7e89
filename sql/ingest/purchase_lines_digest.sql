-- Aggregate of the purchase_line_md5 values of one purchase's lines: the XOR of each
-- 64-bit half, as text. Line numbers are unique within a purchase, so the XOR
-- ignores line order but still distinguishes line sets. A string aggregate of the
-- lines in order gave the same guarantee at several times the cost.
-- The halves are taken from one md5_number, which costs half as much as calling
-- md5_number_upper and md5_number_lower. In DuckDB 1.5, md5_number_upper returns the
-- low 64 bits of md5_number and md5_number_lower the high 64 bits, so the digest
-- lists the low half first. It keeps two halves because DuckDB 1.5 casts a 128-bit
-- integer to text very slowly.
CREATE OR REPLACE TEMP MACRO purchase_lines_digest(line_md5) AS
    bit_xor((line_md5 & 18446744073709551615::UHUGEINT)::UBIGINT)::VARCHAR
    || '-' || bit_xor((line_md5 >> 64)::UBIGINT)::VARCHAR
