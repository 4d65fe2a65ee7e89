"""Guard rails: batches over the [deletion] limits are rejected unless forced."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.deletion import delete_purchases
from pipeline.errors import BadInputError
from pipeline.impact.preview import preview_deletion
from pipeline.store import Store
from tests.trust.conftest import ERASED_PURCHASE
from tests.trust.helpers import as_of, snapshot_id


def set_limit(store_path: Path, line: str, value: str) -> None:
    settings = store_path / "storepipe.toml"
    text = settings.read_text()
    key = line.split(" = ")[0]
    assert line in text, key
    settings.write_text(text.replace(line, f"{key} = {value}"))


def guarded_delete(store_path: Path, ids: list[str], force: bool = False) -> None:
    with Store.open(store_path, command="delete") as store:
        impact = preview_deletion(store, ids, as_of=as_of())
        delete_purchases(store, ids, impact=impact, enforce_guard_rails=not force)


def test_purchase_share_rejected(shop: Path) -> None:
    set_limit(shop, "max_purchase_share = 0.5", "0.1")
    snapshot = snapshot_id(shop)

    with pytest.raises(BadInputError, match=r"15\.4% of the store's purchases"):
        guarded_delete(shop, ["p01", "p02"])
    assert snapshot_id(shop) == snapshot


def test_revenue_share_rejected(shop: Path) -> None:
    set_limit(shop, "max_revenue_share = 0.9", "0.5")

    with pytest.raises(BadInputError, match="deletion.max_revenue_share = 50.0%"):
        guarded_delete(shop, [ERASED_PURCHASE])


def test_clv_ineligible_rejected(shop: Path) -> None:
    with pytest.raises(BadInputError, match=r"ineligible for CLV \(buyers 5 < 6\)"):
        guarded_delete(shop, [ERASED_PURCHASE])


def test_clv_rule_can_be_switched_off(shop: Path) -> None:
    set_limit(shop, "refuse_clv_ineligible = true", "false")
    snapshot = snapshot_id(shop)

    guarded_delete(shop, [ERASED_PURCHASE])

    assert snapshot_id(shop) > snapshot


def test_force_accepts_batch(shop: Path) -> None:
    set_limit(shop, "max_purchase_share = 0.5", "0.1")
    snapshot = snapshot_id(shop)

    guarded_delete(shop, ["p01", "p02", ERASED_PURCHASE], force=True)

    assert snapshot_id(shop) > snapshot


def test_small_batch_accepted(shop: Path) -> None:
    snapshot = snapshot_id(shop)

    guarded_delete(shop, ["p01"])

    assert snapshot_id(shop) > snapshot
