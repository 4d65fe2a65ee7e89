"""Shape of a small generated store: buyers, products, carts, activity."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pipeline.generate import REFERENCE_TIME
from tests.generate.conftest import SMALL_SPEC, fetch


def test_purchase_count_is_exact(small_store: Path) -> None:
    assert fetch(small_store, "SELECT count(*) FROM purchases") == [(6_000,)]


def test_anonymous_share_is_three_percent(small_store: Path) -> None:
    rows = fetch(small_store, "SELECT count(*) FROM purchases WHERE contact_id IS NULL")
    assert rows == [(round(0.03 * SMALL_SPEC.purchases),)]


def test_one_time_buyers_are_common(small_store: Path) -> None:
    [(buyers, one_time, three_plus, most)] = fetch(
        small_store,
        "SELECT count(*), count(*) FILTER (n = 1), count(*) FILTER (n >= 3), max(n) "
        "FROM (SELECT count(*) AS n FROM purchases "
        "WHERE contact_id IS NOT NULL GROUP BY contact_id)",
    )
    assert buyers == round(SMALL_SPEC.buyer_share * SMALL_SPEC.contacts)
    assert 0.3 <= one_time / buyers <= 0.65
    assert 0.1 <= three_plus / buyers <= 0.5
    assert most >= 15


def test_top_decile_products_sell_most_units(small_store: Path) -> None:
    [(share,)] = fetch(
        small_store,
        "WITH units AS ("
        "  SELECT l.product_id, sum(l.quantity) AS units"
        "  FROM purchase_lines AS l JOIN products AS p USING (product_id)"
        "  WHERE NOT p.non_merchandise GROUP BY l.product_id),"
        " ranked AS ("
        "  SELECT units, row_number() OVER (ORDER BY units DESC) AS rank,"
        "  count(*) OVER () AS products FROM units)"
        "SELECT sum(units) FILTER (rank <= products / 10) / sum(units) FROM ranked",
    )
    assert share > 0.5


def test_baskets_have_long_tail(small_store: Path) -> None:
    [(median, largest)] = fetch(
        small_store,
        "SELECT median(n), max(n) FROM "
        "(SELECT count(*) AS n FROM purchase_lines GROUP BY internal_id)",
    )
    assert 2 <= median <= 3
    assert largest >= 10


def test_totals_equal_line_sums(small_store: Path) -> None:
    rows = fetch(
        small_store,
        "SELECT p.purchase_id FROM purchases AS p "
        "JOIN (SELECT internal_id, sum(price) AS price, sum(quantity) AS units "
        "      FROM purchase_lines GROUP BY internal_id) AS l USING (internal_id) "
        "WHERE p.total_price <> l.price OR p.total_quantity <> l.units",
    )
    assert rows == []


def test_purchases_span_two_years(small_store: Path) -> None:
    [(first, last)] = fetch(
        small_store, "SELECT min(purchased_at), max(purchased_at) FROM purchases"
    )
    assert first >= REFERENCE_TIME - dt.timedelta(days=730)
    assert last < REFERENCE_TIME
    assert (last - first).days >= 600


def test_shipping_is_non_merchandise(small_store: Path) -> None:
    rows = fetch(
        small_store,
        "SELECT product_id FROM products WHERE non_merchandise ORDER BY product_id",
    )
    assert rows == [("SHIP-EXP",), ("SHIP-STD",)]
    [(shipping_lines,)] = fetch(
        small_store,
        "SELECT count(*) FROM purchase_lines WHERE product_id LIKE 'SHIP-%'",
    )
    assert shipping_lines > 0.5 * SMALL_SPEC.purchases


def test_categories_are_paths(small_store: Path) -> None:
    rows = fetch(
        small_store,
        "SELECT count(*) FROM products WHERE NOT non_merchandise "
        "AND NOT regexp_full_match(categories[1], '[A-Z][a-z]+/[A-Z][a-z]+')",
    )
    assert rows == [(0,)]


def test_related_products_at_most_40(small_store: Path) -> None:
    [(products, most, selfs)] = fetch(
        small_store,
        "SELECT count(DISTINCT product_id), max(n), sum(selfs) FROM ("
        "  SELECT product_id, count(*) AS n,"
        "  count(*) FILTER (product_id = related_product_id) AS selfs"
        "  FROM related_products GROUP BY product_id)",
    )
    assert products > 0
    assert most <= 40
    assert selfs == 0


def test_purchased_carts_point_at_purchases(small_store: Path) -> None:
    orphans = fetch(
        small_store,
        "SELECT c.cart_id FROM carts AS c "
        "LEFT JOIN purchases AS p ON p.purchase_id = c.purchase_id "
        "WHERE c.status = 'purchased' "
        "AND (p.purchase_id IS NULL OR p.cart_id IS DISTINCT FROM c.cart_id)",
    )
    assert orphans == []


def test_open_carts_have_no_purchase(small_store: Path) -> None:
    rows = fetch(
        small_store,
        "SELECT status, count(*), count(purchase_id) FROM carts "
        "GROUP BY status ORDER BY status",
    )
    statuses = {status: (carts, linked) for status, carts, linked in rows}
    assert set(statuses) == {"abandoned", "active", "purchased"}
    assert statuses["abandoned"][1] == 0
    assert statuses["active"][1] == 0
    assert statuses["abandoned"][0] > statuses["active"][0] > 0


def test_attributed_purchases_follow_email(small_store: Path) -> None:
    [(attributed, unexplained)] = fetch(
        small_store,
        "SELECT count(*), count(*) FILTER (NOT EXISTS ("
        "  SELECT 1 FROM workflow_activity AS w"
        "  WHERE w.contact_id = p.contact_id"
        "  AND w.workflow_id = p.attributed_workflow_id"
        "  AND w.activity_type = 'email_sent'"
        "  AND w.occurred_at BETWEEN p.purchased_at - INTERVAL 72 HOUR"
        "  AND p.purchased_at)) "
        "FROM purchases AS p WHERE p.attributed_workflow_id IS NOT NULL",
    )
    known = SMALL_SPEC.purchases * (1 - SMALL_SPEC.anonymous_share)
    assert 0.08 * known <= attributed <= 0.16 * known
    assert unexplained == 0


def test_workflow_activity_kinds(small_store: Path) -> None:
    rows = fetch(
        small_store,
        "SELECT DISTINCT activity_type FROM workflow_activity ORDER BY 1",
    )
    assert rows == [("email_sent",), ("static_segment_added",)]
