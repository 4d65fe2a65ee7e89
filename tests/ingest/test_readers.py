"""Readers on the hand-made samples in data/samples: golden rows and bad input."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from pipeline.errors import BadInputError, UsageError
from pipeline.ingest.importer import ImportRequest, ImportSummary, import_files
from pipeline.runs import RunRecord
from pipeline.store import Store

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples"
UTC = dt.UTC
FLAT_MAP = {
    "order": "purchaseId",
    "customer": "contactId",
    "ordered_at": "purchaseDate",
    "sku": "productId",
    "qty": "quantity",
    "each": "unitPrice",
}


def run_import(path: Path, files: list[Path], **options: Any) -> ImportSummary:
    with Store.open(path, command="import") as store:
        request = ImportRequest(files=files, **options)
        return import_files(store, request, RunRecord("test", "import", "now"))


def rows(path: Path, query: str) -> list[tuple[Any, ...]]:
    with Store.open(path, write=False) as store:
        return store.con.execute(query).fetchall()


def snapshot(path: Path) -> int:
    with Store.open(path, write=False) as store:
        return store.snapshot_id()


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_jsonl_purchases_golden(store_path: Path) -> None:
    summary = run_import(store_path, [SAMPLES / "purchases.jsonl"])
    assert summary.counts["purchases_new"] == 4
    assert rows(
        store_path,
        "SELECT internal_id, purchase_id, contact_id, purchased_at, total_price, "
        "total_quantity, payment_method, cart_id, source, attributed_workflow_id "
        "FROM purchases ORDER BY internal_id",
    ) == [
        (
            1,
            "A-1001",
            "ana",
            dt.datetime(2024, 3, 1, 9, 15, tzinfo=UTC),
            Decimal("59.90"),
            3,
            "card",
            "cart-1",
            "jsonl",
            None,
        ),
        (
            2,
            "A-1002",
            "bo@example.com",
            dt.datetime(2024, 3, 3, 4, 30, tzinfo=UTC),
            Decimal("19.99"),
            1,
            "paypal",
            None,
            "jsonl",
            "wf-welcome",
        ),
        (
            3,
            "A-1003",
            None,
            dt.datetime(2024, 3, 3, 8, 0, tzinfo=UTC),
            Decimal("0.10"),
            1,
            "cash",
            None,
            "jsonl",
            None,
        ),
        (
            4,
            "A-1004",
            "ana",
            dt.datetime(2024, 3, 4, 12, 0, 0, 250000, tzinfo=UTC),
            Decimal("99.80"),
            2,
            "card",
            None,
            "jsonl",
            None,
        ),
    ]
    assert rows(
        store_path,
        "SELECT * EXCLUDE (purchased_at, repeats_product) FROM purchase_lines "
        "ORDER BY internal_id, line_number",
    ) == [
        (1, 1, "KB-1", 1, Decimal("49.90"), Decimal("49.90")),
        (1, 2, "SHIP", 2, Decimal("5.00"), Decimal("10.00")),
        (2, 1, "MS-2", 1, Decimal("19.99"), Decimal("19.99")),
        (3, 1, "STK", 1, Decimal("0.10"), Decimal("0.10")),
        (4, 1, "KB-1", 2, Decimal("49.90"), Decimal("99.80")),
    ]


def test_jsonl_creates_contacts_and_products(store_path: Path) -> None:
    run_import(store_path, [SAMPLES / "purchases.jsonl"])
    assert rows(
        store_path, "SELECT contact_id, email FROM contacts ORDER BY contact_id"
    ) == [("ana", None), ("bo@example.com", "bo@example.com")]
    assert rows(
        store_path,
        "SELECT product_id, name, brand, categories, unit_price FROM products "
        "ORDER BY product_id",
    ) == [
        ("KB-1", "Keyboard", "Keyco", ["Pc/Keyboards"], Decimal("49.90")),
        ("MS-2", "Mouse", "Keyco", ["Pc/Mice", "Gifts"], Decimal("19.99")),
        ("SHIP", "Shipping", None, None, Decimal("5.00")),
        ("STK", "Sticker", None, None, Decimal("0.10")),
    ]


def test_reimport_keeps_snapshot(store_path: Path) -> None:
    first = run_import(store_path, [SAMPLES / "purchases.jsonl"])
    second = run_import(store_path, [SAMPLES / "purchases.jsonl"])
    assert first.snapshot_after == first.snapshot_before + 1
    assert second.snapshot_after == second.snapshot_before
    assert second.snapshot_after == first.snapshot_after
    assert second.counts["purchases_unchanged"] == 4


def test_several_files_make_one_commit(store_path: Path, tmp_path: Path) -> None:
    other = write(
        tmp_path / "other.jsonl",
        '{"purchaseId": "B-1", "contactId": "cy", '
        '"purchaseDate": "2024-05-01T10:00:00Z", "totalPrice": 2, '
        '"totalQuantity": 1}\n',
    )
    summary = run_import(store_path, [SAMPLES / "purchases.jsonl", other])
    assert summary.snapshot_after == summary.snapshot_before + 1
    assert summary.counts["purchases_new"] == 5
    assert rows(store_path, "SELECT count(*) FROM purchases") == [(5,)]


def test_changed_purchase_names_id(store_path: Path, tmp_path: Path) -> None:
    run_import(store_path, [SAMPLES / "purchases.jsonl"])
    text = (
        (SAMPLES / "purchases.jsonl")
        .read_text()
        .replace('"totalPrice": 0.10', '"totalPrice": 0.20')
    )
    changed = write(tmp_path / "changed.jsonl", text)
    with pytest.raises(
        BadInputError, match="changed.jsonl line 3: purchase A-1003 was imported before"
    ):
        run_import(store_path, [changed])
    assert snapshot(store_path) == 2


def test_flat_lines_with_mapping(store_path: Path) -> None:
    summary = run_import(store_path, [SAMPLES / "flat_lines.csv"], mapping=FLAT_MAP)
    assert summary.counts["lines_new"] == 3
    assert rows(
        store_path,
        "SELECT purchase_id, contact_id, purchased_at, total_price, total_quantity, "
        "source FROM purchases ORDER BY purchase_id",
    ) == [
        (
            "F-1",
            "ana",
            dt.datetime(2024, 4, 1, 7, 0, tzinfo=UTC),
            Decimal("50.20"),
            4,
            "flat-csv",
        ),
        (
            "F-2",
            None,
            dt.datetime(2024, 4, 2, 10, 0, tzinfo=UTC),
            Decimal("39.98"),
            2,
            "flat-csv",
        ),
    ]
    assert rows(
        store_path,
        "SELECT p.purchase_id, l.line_number, l.product_id, l.quantity, l.price "
        "FROM purchase_lines AS l JOIN purchases AS p USING (internal_id) "
        "ORDER BY 1, 2",
    ) == [
        ("F-1", 1, "KB-1", 1, Decimal("49.90")),
        ("F-1", 2, "STK", 3, Decimal("0.30")),
        ("F-2", 1, "MS-2", 2, Decimal("39.98")),
    ]


def test_flat_lines_without_mapping_fails(store_path: Path) -> None:
    with pytest.raises(UsageError, match="no column for purchaseId"):
        run_import(store_path, [SAMPLES / "flat_lines.csv"])


def test_entity_files_golden(store_path: Path) -> None:
    for kind, name in (
        ("contacts", "contacts.csv"),
        ("products", "products.jsonl"),
        ("carts", "carts.csv"),
        ("related-products", "related_products.csv"),
        ("workflow-activity", "workflow_activity.jsonl"),
    ):
        run_import(store_path, [SAMPLES / name], kind=kind)
    assert rows(store_path, "FROM contacts ORDER BY contact_id") == [
        (
            "ana",
            "ana@example.com",
            "Ana",
            "Silva",
            "PT",
            dt.datetime(2023, 12, 1, 9, 0, tzinfo=UTC),
        ),
        ("cy", "cy@example.com", "Cy", None, "ES", None),
    ]
    assert rows(store_path, "FROM products ORDER BY product_id") == [
        ("KB-1", "Keyboard", "Keyco", ["Pc/Keyboards"], Decimal("49.90"), False),
        ("SHIP", "Shipping", None, None, Decimal("5.00"), True),
    ]
    assert rows(
        store_path, "SELECT cart_id, status, purchase_id FROM carts ORDER BY 1"
    ) == [
        ("cart-1", "purchased", "A-1001"),
        ("cart-2", "abandoned", None),
    ]
    assert rows(store_path, "FROM related_products ORDER BY product_id") == [
        ("KB-1", "MS-2", 0.8),
        ("MS-2", "KB-1", 0.75),
    ]
    assert rows(
        store_path,
        "SELECT event_id, activity_type, details FROM workflow_activity ORDER BY 1",
    ) == [
        ("ev-1", "email_sent", "welcome email"),
        ("ev-2", "static_segment_added", None),
    ]


def test_email_only_purchase_matches_contact(store_path: Path) -> None:
    contacts = SAMPLES / "contacts.csv"
    text = contacts.read_text() + "bo,BO@example.com,Bo,,,\n"
    run_import(store_path, [write(store_path.parent / "c.csv", text)], kind="contacts")
    run_import(store_path, [SAMPLES / "purchases.jsonl"])
    assert rows(
        store_path, "SELECT contact_id FROM purchases WHERE purchase_id = 'A-1002'"
    ) == [("bo",)]


def test_date_without_offset_is_rejected(store_path: Path, tmp_path: Path) -> None:
    bad = write(
        tmp_path / "bad.jsonl",
        '{"purchaseId": "X", "purchaseDate": "2024-01-01T10:00:00+00:00", '
        '"totalPrice": 1, "totalQuantity": 1}\n'
        '{"purchaseId": "Y", "purchaseDate": "2024-01-01T10:00:00", '
        '"totalPrice": 1, "totalQuantity": 1}\n',
    )
    with pytest.raises(BadInputError) as error:
        run_import(store_path, [bad])
    message = str(error.value)
    assert f"{bad} line 2" in message
    assert "'2024-01-01T10:00:00' has no UTC offset" in message
    assert snapshot(store_path) == 1


def test_extra_decimals_name_amount_scale(store_path: Path, tmp_path: Path) -> None:
    bad = write(
        tmp_path / "bad.jsonl",
        '{"purchaseId": "X", "purchaseDate": "2024-01-01T10:00:00Z", '
        '"totalPrice": 1.255, "totalQuantity": 1}\n',
    )
    with pytest.raises(BadInputError) as error:
        run_import(store_path, [bad])
    message = str(error.value)
    assert "line 1: totalPrice 1.255 has 3 decimals" in message
    assert "storepipe init --amount-scale 3" in message


def test_trailing_zeros_fit_scale(store_path: Path, tmp_path: Path) -> None:
    good = write(
        tmp_path / "good.jsonl",
        '{"purchaseId": "X", "purchaseDate": "2024-01-01T10:00:00Z", '
        '"totalPrice": 1.2500, "totalQuantity": 1}\n',
    )
    run_import(store_path, [good])
    assert rows(store_path, "SELECT total_price FROM purchases") == [(Decimal("1.25"),)]


def test_invalid_json_names_line(store_path: Path, tmp_path: Path) -> None:
    bad = write(tmp_path / "bad.jsonl", '{"purchaseId": "X"}\n{"purchaseId": \n')
    with pytest.raises(BadInputError, match=r"bad.jsonl line 2: invalid JSON"):
        run_import(store_path, [bad])


def test_negative_price_is_rejected(store_path: Path, tmp_path: Path) -> None:
    bad = write(
        tmp_path / "bad.jsonl",
        '{"purchaseId": "X", "purchaseDate": "2024-01-01T10:00:00Z", '
        '"totalPrice": -5, "totalQuantity": 1}\n',
    )
    with pytest.raises(BadInputError, match="X: negative total price -5.00"):
        run_import(store_path, [bad])
    assert snapshot(store_path) == 1


def test_unknown_entity_column_is_rejected(store_path: Path, tmp_path: Path) -> None:
    bad = write(tmp_path / "c.csv", "contact_id,nickname\nx,y\n")
    with pytest.raises(BadInputError, match="unknown column 'nickname' for contacts"):
        run_import(store_path, [bad], kind="contacts")


def test_unknown_extension_asks_for_format(store_path: Path, tmp_path: Path) -> None:
    odd = write(tmp_path / "purchases.data", "")
    with pytest.raises(UsageError, match="pass --format"):
        run_import(store_path, [odd])


def test_conflict_across_files_names_second(store_path: Path, tmp_path: Path) -> None:
    purchase = (
        '{{"purchaseId": "X", "purchaseDate": "2024-01-01T10:00:00Z", '
        '"totalPrice": {total}, "totalQuantity": 1}}\n'
    )
    first = write(tmp_path / "first.jsonl", purchase.format(total=1))
    second = write(
        tmp_path / "second.jsonl",
        purchase.replace("X", "Y").format(total=1) + purchase.format(total=2),
    )
    with pytest.raises(BadInputError) as error:
        run_import(store_path, [first, second])
    message = str(error.value)
    assert message.startswith(f"{second} line 2: purchase X given again")
    assert snapshot(store_path) == 1


def test_entity_jsonl_accepts_bom(store_path: Path, tmp_path: Path) -> None:
    contacts = tmp_path / "contacts.jsonl"
    contacts.write_bytes(b'\xef\xbb\xbf{"contactId": "k1", "email": "a@b.org"}\n')
    run_import(store_path, [contacts], kind="contacts")
    assert rows(store_path, "SELECT contact_id, email FROM contacts") == [
        ("k1", "a@b.org")
    ]
