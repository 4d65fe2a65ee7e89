-- half_even_divide(x, d): x / d for non-negative integers x and d > 0, rounded half
-- to even, in integer arithmetic.
CREATE OR REPLACE TEMP MACRO half_even_divide(x, d) AS (
    x // d + CASE
        WHEN 2 * (x % d) > d THEN 1
        WHEN 2 * (x % d) = d AND (x // d) % 2 = 1 THEN 1
        ELSE 0
    END
)
