-- half_even_average(total, n): total / n with six more decimals than the amounts,
-- rounded half to even; null when n is 0 or null. DuckDB divides DECIMALs as DOUBLE,
-- so the division runs on scaled integers: BIGINT while the scaled total fits in
-- one (below 9e12 amount units, nine times 10^18 after the six extra decimals),
-- HUGEINT above, which is several times slower. Variables: amount_unit = 10^scale
-- and average_unit = 10^-(scale + 6) as a DECIMAL; amounts are never negative.
-- The one-element list_transform binds the scaled total to x, so it is computed
-- once rather than at every use of x in half_even_divide (twice as fast).
CREATE OR REPLACE TEMP MACRO half_even_average(total, n) AS (
    CASE
        WHEN coalesce(n, 0) = 0 THEN NULL
        WHEN total * getvariable('amount_unit') < 9000000000000 THEN
            list_transform(
                [(total * getvariable('amount_unit'))::BIGINT * 1000000],
                x -> half_even_divide(x, n::BIGINT)
            )[1]::DECIMAL(38, 0) * getvariable('average_unit')
        ELSE
            list_transform(
                [(total * getvariable('amount_unit'))::HUGEINT * 1000000],
                x -> half_even_divide(x, n::HUGEINT)
            )[1]::DECIMAL(38, 0) * getvariable('average_unit')
    END
)
