"""A plain-text summary of a deletion impact, for stdout."""

from __future__ import annotations

from collections import Counter
from typing import Any

# Rows listed per section. The JSON output contains all of them.
MAX_LISTED = 10


def summary_text(impact: dict[str, Any]) -> str:
    """Render the impact as a short, readable report."""
    lines = [f"Deletion impact at {impact['as_of']}"]
    requested = ", ".join(
        f"{n} {name}" for name, n in sorted(impact["requested"].items())
    )
    lines.append(f"  requested ids: {requested}")
    removed = impact["removed"]
    shares = impact["shares"]
    lines.append(
        f"  removes {removed['purchases']} purchases ({shares['purchases']:.2%}), "
        f"{removed['lines']} lines, {removed['units']} units, revenue "
        f"{removed['revenue']} ({shares['revenue']:.2%})"
    )
    lines += _contacts(impact.get("contacts"))
    lines += _segments(impact.get("segments"))
    lines += _rfm(impact.get("rfm_migration"))
    lines += _best_sellers(impact.get("best_sellers"))
    lines += _clv(impact.get("clv_eligibility"))
    lines += _daily_sales(impact.get("daily_sales"))
    for step, message in impact.get("failed_steps", {}).items():
        lines.append(f"Step {step} failed: {message}")
    lines.append("Changed rows per output:")
    for table, change in impact["outputs"].items():
        lines.append(
            f"  {table}: {change['rows_before']} -> {change['rows_after']} rows "
            f"({change['rows_removed']} removed, {change['rows_added']} added)"
        )
    return "\n".join(lines)


def _contacts(contacts: list[dict[str, Any]] | None) -> list[str]:
    if contacts is None:
        return []
    lines = [f"Contacts affected: {len(contacts)}"]
    for contact in contacts[:MAX_LISTED]:
        segment_before = contact["rfm_segment_before"] or "(none)"
        segment_after = contact["rfm_segment_after"] or "(none)"
        lines.append(
            f"  {contact['contact_id']}: {contact['purchases_before']} -> "
            f"{contact['purchases_after']} purchases, {contact['amount_before']} -> "
            f"{contact['amount_after']}, RFM {segment_before} -> {segment_after}"
        )
    return lines + _more(len(contacts))


def _segments(segments: list[dict[str, Any]] | None) -> list[str]:
    if segments is None:
        return []
    lines = ["Dynamic segments:"]
    for segment in segments:
        lines.append(
            f"  {segment['segment']}: {segment['members_before']} -> "
            f"{segment['members_after']} members, {len(segment['left'])} left, "
            f"{len(segment['entered'])} entered"
        )
    return lines


def _rfm(migration: list[dict[str, Any]] | None) -> list[str]:
    if migration is None:
        return []
    moves = [row for row in migration if row["segment_before"] != row["segment_after"]]
    moves.sort(key=lambda row: -int(row["contacts"]))
    lines = [f"RFM segment moves: {sum(int(r['contacts']) for r in moves)} contacts"]
    for row in moves[:MAX_LISTED]:
        lines.append(
            f"  {row['segment_before'] or '(none)'} -> "
            f"{row['segment_after'] or '(none)'}: {row['contacts']}"
        )
    return lines + _more(len(moves))


def _best_sellers(best_sellers: dict[str, Any] | None) -> list[str]:
    if best_sellers is None:
        return []
    lines = [f"Best sellers, top {best_sellers['top']} per period:"]
    for period, changes in best_sellers["periods"].items():
        left = ", ".join(
            f"{row['product_id']} (#{row['rank_before']})" for row in changes["left"]
        )
        entered = ", ".join(
            f"{row['product_id']} (#{row['rank_after']})" for row in changes["entered"]
        )
        lines.append(
            f"  {period}: {len(changes['left'])} left, {len(changes['entered'])} "
            f"entered, {len(changes['moved'])} moved"
        )
        if left:
            lines.append(f"    left: {left}")
        if entered:
            lines.append(f"    entered: {entered}")
    return lines


def _clv(eligibility: dict[str, Any] | None) -> list[str]:
    if eligibility is None:
        return []
    state = {True: "eligible", False: "not eligible"}
    lines = [
        f"CLV: {state[eligibility['eligible_before']]} -> "
        f"{state[eligibility['eligible_after']]}"
    ]
    for c in eligibility["criteria"]:
        lines.append(
            f"  {c['criterion']}: {c['value_before']} -> {c['value_after']} "
            f"(threshold {c['threshold']}, margin {c['margin_before']} -> "
            f"{c['margin_after']})"
        )
    return lines


def _daily_sales(days: list[dict[str, Any]] | None) -> list[str]:
    if days is None:
        return []
    months: Counter[str] = Counter(str(day["day"])[:7] for day in days)
    spread = ", ".join(f"{month}: {n}" for month, n in sorted(months.items()))
    lines = [f"Daily sales: {len(days)} days change ({spread or 'none'})"]
    for day in days[:MAX_LISTED]:
        lines.append(
            f"  {day['day']}: revenue {day['revenue_before']} -> "
            f"{day['revenue_after']}, purchases {day['purchases_before']} -> "
            f"{day['purchases_after']}"
        )
    return lines + _more(len(days))


def _more(count: int) -> list[str]:
    if count <= MAX_LISTED:
        return []
    return [f"  ... {count - MAX_LISTED} more in the JSON output (--output FILE)"]
