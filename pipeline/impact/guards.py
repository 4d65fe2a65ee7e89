"""Guard rails: reject a deletion batch that removes too much, unless forced."""

from __future__ import annotations

from typing import Any

from pipeline.errors import BadInputError
from pipeline.settings import SETTINGS_FILE, DeletionSection


def check_guard_rails(impact: dict[str, Any], limits: DeletionSection) -> None:
    """Raise BadInputError when the previewed batch crosses a `[deletion]` limit.

    The shares compare the batch with every live purchase of the store, and the CLV
    rule rejects a batch that turns an eligible store ineligible.
    """
    removed = impact["removed"]
    store = impact["store_before"]
    shares = impact["shares"]
    if shares["purchases"] > limits.max_purchase_share:
        raise BadInputError(
            f"the batch removes {shares['purchases']:.1%} of the store's purchases "
            f"({removed['purchases']} of {store['purchases']}), above "
            f"deletion.max_purchase_share = {limits.max_purchase_share:.1%} in "
            f"{SETTINGS_FILE}; check the ids, or pass --force to delete anyway"
        )
    if shares["revenue"] > limits.max_revenue_share:
        raise BadInputError(
            f"the batch removes {shares['revenue']:.1%} of the store's revenue "
            f"({removed['revenue']} of {store['revenue']}), above "
            f"deletion.max_revenue_share = {limits.max_revenue_share:.1%} in "
            f"{SETTINGS_FILE}; check the ids, or pass --force to delete anyway"
        )
    eligibility = impact.get("clv_eligibility")
    if (
        limits.refuse_clv_ineligible
        and eligibility is not None
        and eligibility["eligible_before"]
        and not eligibility["eligible_after"]
    ):
        failed = [
            f"{c['criterion']} {c['value_after']} < {c['threshold']}"
            for c in eligibility["criteria"]
            if not c["passed_after"]
        ]
        raise BadInputError(
            f"the batch makes the store ineligible for CLV ({', '.join(failed)}), "
            f"which deletion.refuse_clv_ineligible = true in {SETTINGS_FILE} "
            "rejects; pass --force to delete anyway"
        )
