-- RFM scores and segment per contact in the RFM population. Reads contact_totals,
-- quarter_days and rfm_segment_codes. contact_totals applies the population window.
-- Population: contacts with a purchase in as_of - population_years years <
-- purchased_at <= as_of, and only those purchases count.
-- recency_days: calendar days from the last purchase's date to as_of's date, both in
-- the store time zone. frequency: purchases. monetary: average purchase amount,
-- rounded half-even at six more decimals than the amounts.
-- $scoring = 'quantile': score = 1 + floor(5 * w / n), with n the population size and
-- w the contacts with a strictly worse value (larger recency, smaller frequency or
-- monetary). rank() - 1 over the worst-first order is w, so ties score alike.
-- $scoring = 'thresholds': $recency_cuts, $frequency_cuts and $monetary_cuts hold four
-- ascending cut points. A frequency or monetary score is 1 + the number of cut
-- points at or below the value. A recency score is 1 + the number of cut points at
-- or above the days, because fewer days is better.
CREATE OR REPLACE TEMP TABLE out_rfm AS
WITH buyers AS (
    SELECT
        contact_id,
        window_last_purchase_at AS last_purchase_at,
        window_purchases AS frequency,
        half_even_average(window_amount, window_purchases) AS monetary
    FROM contact_totals
    WHERE contact_id IS NOT NULL AND window_purchases > 0
),
-- The last purchase's date comes from quarter_days, like every other local date.
population AS (
    SELECT
        b.contact_id,
        (
            timezone(getvariable('time_zone'), getvariable('as_of'))::DATE - d.day
        )::INTEGER AS recency_days,
        b.frequency,
        b.monetary
    FROM buyers AS b
    JOIN quarter_days AS d
        ON d.quarter = floor(epoch_us(b.last_purchase_at) / 900000000)::BIGINT
),
scored AS (
    SELECT
        *,
        CASE
            WHEN $scoring = 'quantile'
                THEN 1 + (5 * (rank() OVER (ORDER BY recency_days DESC) - 1))
                    // count(*) OVER ()
            ELSE 1 + len(
                list_filter($recency_cuts::INTEGER[], cut -> cut >= recency_days)
            )
        END AS r_score,
        CASE
            WHEN $scoring = 'quantile'
                THEN 1 + (5 * (rank() OVER (ORDER BY frequency) - 1))
                    // count(*) OVER ()
            ELSE 1 + len(
                list_filter($frequency_cuts::INTEGER[], cut -> cut <= frequency)
            )
        END AS f_score,
        CASE
            WHEN $scoring = 'quantile'
                THEN 1 + (5 * (rank() OVER (ORDER BY monetary) - 1))
                    // count(*) OVER ()
            ELSE 1 + len(
                list_filter($monetary_cuts::DOUBLE[], cut -> cut <= monetary)
            )
        END AS m_score
    FROM population
)
SELECT
    s.contact_id,
    s.recency_days,
    s.frequency,
    s.monetary,
    s.r_score::INTEGER AS r_score,
    s.f_score::INTEGER AS f_score,
    s.m_score::INTEGER AS m_score,
    c.rfm_code,
    c.segment
FROM scored AS s
JOIN rfm_segment_codes AS c
    ON c.rfm_code = s.r_score::VARCHAR || s.f_score::VARCHAR || s.m_score::VARCHAR
