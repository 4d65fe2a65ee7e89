"""A self-contained HTML report of a deletion impact, with inline SVG charts.

The page loads nothing from the network: styles and charts are inline, so it opens
offline and can be archived as one file.
"""

from __future__ import annotations

import math
from html import escape
from typing import Any

# Rows shown in the report's tables. The JSON output contains all of them.
MAX_TABLE_ROWS = 50
RFM_ORDER = (
    "Champions",
    "Loyal customers",
    "Potential loyalists",
    "New customers",
    "Promising",
    "Need attention",
    "About to sleep",
    "At risk",
    "Can't lose them",
    "Hibernating",
    "Lost",
)
NO_SEGMENT = "(outside RFM)"
BEFORE_COLOR = "#4c78a8"
AFTER_COLOR = "#e45756"

STYLE = """
body { font-family: sans-serif; margin: 24px; color: #222; max-width: 1150px; }
h1 { font-size: 22px; } h2 { font-size: 18px; margin-top: 32px; }
table { border-collapse: collapse; font-size: 13px; margin: 8px 0; }
th, td { border: 1px solid #ccc; padding: 3px 8px; text-align: right; }
th:first-child, td:first-child { text-align: left; }
.facts td { text-align: left; }
svg text { font-family: sans-serif; }
"""


def report_html(impact: dict[str, Any]) -> str:
    """Render the impact as one HTML page with inline SVG charts."""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        "<title>Deletion impact</title>",
        f"<style>{STYLE}</style></head><body>",
        f"<h1>Deletion impact at {escape(impact['as_of'])}</h1>",
        _facts(impact),
    ]
    if impact.get("rfm_migration") is not None:
        parts.append("<h2>RFM segment migration (contacts, before → after)</h2>")
        parts.append(rfm_heatmap_svg(impact["rfm_migration"]))
    if impact.get("best_sellers") is not None:
        parts.append(_best_seller_section(impact["best_sellers"]))
    if impact.get("daily_revenue") is not None:
        parts.append("<h2>Daily revenue before and after</h2>")
        parts.append(daily_revenue_svg(impact["daily_revenue"]))
    if impact.get("clv_eligibility") is not None:
        parts.append(_clv_table(impact["clv_eligibility"]))
    if impact.get("segments") is not None:
        parts.append(_segment_table(impact["segments"]))
    if impact.get("contacts") is not None:
        parts.append(_contact_table(impact["contacts"]))
    parts.append(_output_table(impact["outputs"]))
    parts.append("</body></html>")
    return "\n".join(parts)


def _facts(impact: dict[str, Any]) -> str:
    removed = impact["removed"]
    shares = impact["shares"]
    requested = ", ".join(f"{n} {k}" for k, n in sorted(impact["requested"].items()))
    rows = [
        ("Requested ids", requested),
        ("Purchases removed", f"{removed['purchases']} ({shares['purchases']:.2%})"),
        ("Lines removed", removed["lines"]),
        ("Units removed", removed["units"]),
        ("Revenue removed", f"{removed['revenue']} ({shares['revenue']:.2%})"),
    ]
    return _table(["", ""], rows, css_class="facts")


def rfm_heatmap_svg(migration: list[dict[str, Any]]) -> str:
    """Draw contacts per (segment before, segment after) as a heatmap."""
    labels = [*RFM_ORDER, NO_SEGMENT]
    counts = {
        (row["segment_before"] or NO_SEGMENT, row["segment_after"] or NO_SEGMENT): int(
            row["contacts"]
        )
        for row in migration
    }
    peak = max(counts.values(), default=1)
    cell, left, top = 62, 150, 130
    size = len(labels) * cell
    parts = [_svg_open(left + size + 20, top + size + 20)]
    for index, label in enumerate(labels):
        x = left + index * cell + cell / 2
        parts.append(
            f'<text x="{x}" y="{top - 8}" font-size="11" '
            f'transform="rotate(-45 {x} {top - 8})">{escape(label)}</text>'
        )
        parts.append(
            f'<text x="{left - 6}" y="{top + index * cell + cell / 2 + 4}" '
            f'font-size="11" text-anchor="end">{escape(label)}</text>'
        )
    for row_index, before in enumerate(labels):
        for column_index, after in enumerate(labels):
            count = counts.get((before, after), 0)
            # Log scale, so a few movers stay visible beside a large diagonal.
            level = math.log1p(count) / math.log1p(peak) if count else 0.0
            color = _blend(
                "#ffffff", BEFORE_COLOR if before == after else AFTER_COLOR, level
            )
            x, y = left + column_index * cell, top + row_index * cell
            parts.append(
                f'<rect x="{x}" y="{y}" width="{cell}" height="{cell}" '
                f'fill="{color}" stroke="#ddd"><title>{escape(before)} → '
                f"{escape(after)}: {count}</title></rect>"
            )
            if count:
                ink = "#fff" if level > 0.6 else "#222"
                parts.append(
                    f'<text x="{x + cell / 2}" y="{y + cell / 2 + 4}" font-size="12" '
                    f'text-anchor="middle" fill="{ink}">{count}</text>'
                )
    parts.append(
        f'<text x="{left}" y="{top + size + 16}" font-size="11">rows: segment '
        "before; columns: segment after; blue: unchanged, red: moved</text>"
    )
    parts.append("</svg>")
    return "\n".join(parts)


def _best_seller_section(best_sellers: dict[str, Any]) -> str:
    top = int(best_sellers["top"])
    parts = [f"<h2>Best-seller rank changes (top {top}, whole store)</h2>"]
    for period, changes in best_sellers["periods"].items():
        parts.append(f"<h3>Period {escape(period)}</h3>")
        parts.append(rank_changes_svg(changes, top))
    return "\n".join(parts)


def rank_changes_svg(changes: dict[str, list[dict[str, Any]]], top: int) -> str:
    """Draw each changed product as a line from its rank before to its rank after.

    A product that left the top ends below the last rank; one that entered starts
    there.
    """
    rows = changes["left"] + changes["entered"] + changes["moved"]
    if not rows:
        return "<p>No rank changes in the top.</p>"
    height, left, right, top_margin = 360, 230, 460, 20
    out_y = top_margin + height + 20
    parts = [_svg_open(720, out_y + 30)]
    for x, title in ((left, "rank before"), (right, "rank after")):
        parts.append(
            f'<line x1="{x}" y1="{top_margin}" x2="{x}" y2="{top_margin + height}" '
            'stroke="#999"/>'
        )
        parts.append(
            f'<text x="{x}" y="{top_margin - 6}" font-size="11" '
            f'text-anchor="middle">{title}</text>'
        )
    parts.append(
        f'<text x="{(left + right) / 2}" y="{out_y + 4}" font-size="11" '
        f'text-anchor="middle">outside the top {top}</text>'
    )

    # Scale to the deepest rank shown, so a short ranking is not squeezed.
    deepest = max(
        int(rank)
        for row in rows
        for rank in (row["rank_before"], row["rank_after"])
        if rank is not None
    )

    def rank_y(rank: int | None) -> float:
        if rank is None:
            return out_y
        return top_margin + (int(rank) - 1) * height / max(deepest - 1, 1)

    for row in rows:
        y1, y2 = rank_y(row["rank_before"]), rank_y(row["rank_after"])
        color = AFTER_COLOR if row["rank_after"] is None else BEFORE_COLOR
        label = escape(str(row["product_id"]))
        parts.append(
            f'<line x1="{left}" y1="{y1}" x2="{right}" y2="{y2}" stroke="{color}" '
            f'stroke-width="1.5"><title>{label}: {row["rank_before"]} → '
            f"{row['rank_after']}</title></line>"
        )
        if row["rank_before"] is not None:
            parts.append(
                f'<text x="{left - 6}" y="{y1 + 4}" font-size="10" '
                f'text-anchor="end">{label} #{row["rank_before"]}</text>'
            )
        if row["rank_after"] is not None:
            parts.append(
                f'<text x="{right + 6}" y="{y2 + 4}" font-size="10">'
                f"#{row['rank_after']} {label}</text>"
            )
    parts.append("</svg>")
    return "\n".join(parts)


def daily_revenue_svg(days: list[dict[str, Any]]) -> str:
    """Draw daily revenue before (blue) and after (red) the batch as two lines."""
    if not days:
        return "<p>No sales before the batch.</p>"
    width, height, left, top = 1050, 300, 70, 20
    peak = max(float(day["revenue_before"]) for day in days) or 1.0
    step = (width - left - 20) / max(len(days) - 1, 1)

    def points(key: str) -> str:
        coordinates = []
        for index, day in enumerate(days):
            y = top + height - float(day[key]) / peak * height
            coordinates.append(f"{left + index * step:.1f},{y:.1f}")
        return " ".join(coordinates)

    parts = [_svg_open(width, top + height + 50)]
    parts.append(
        f'<line x1="{left}" y1="{top + height}" x2="{width - 20}" '
        f'y2="{top + height}" stroke="#999"/>'
    )
    parts.append(
        f'<text x="{left - 6}" y="{top + 4}" font-size="11" text-anchor="end">'
        f"{peak:,.0f}</text>"
    )
    parts.append(
        f'<text x="{left - 6}" y="{top + height}" font-size="11" '
        'text-anchor="end">0</text>'
    )
    for index in (0, len(days) - 1):
        parts.append(
            f'<text x="{left + index * step}" y="{top + height + 16}" font-size="11" '
            f'text-anchor="middle">{escape(str(days[index]["day"]))}</text>'
        )
    parts.append(
        f'<polyline points="{points("revenue_before")}" fill="none" '
        f'stroke="{BEFORE_COLOR}" stroke-width="1.2"/>'
    )
    parts.append(
        f'<polyline points="{points("revenue_after")}" fill="none" '
        f'stroke="{AFTER_COLOR}" stroke-width="1.2"/>'
    )
    parts.append(
        f'<text x="{left}" y="{top + height + 40}" font-size="12">'
        f'<tspan fill="{BEFORE_COLOR}">■ before</tspan> '
        f'<tspan fill="{AFTER_COLOR}">■ after</tspan></text>'
    )
    parts.append("</svg>")
    return "\n".join(parts)


def _clv_table(eligibility: dict[str, Any]) -> str:
    state = {True: "eligible", False: "not eligible"}
    rows = [
        (
            c["criterion"],
            c["threshold"],
            c["value_before"],
            c["value_after"],
            c["margin_before"],
            c["margin_after"],
        )
        for c in eligibility["criteria"]
    ]
    heading = (
        f"<h2>CLV eligibility: {state[eligibility['eligible_before']]} → "
        f"{state[eligibility['eligible_after']]}</h2>"
    )
    columns = [
        "criterion",
        "threshold",
        "before",
        "after",
        "margin before",
        "margin after",
    ]
    return heading + _table(columns, rows)


def _segment_table(segments: list[dict[str, Any]]) -> str:
    rows = [
        (
            s["segment"],
            s["members_before"],
            s["members_after"],
            len(s["left"]),
            len(s["entered"]),
        )
        for s in segments
    ]
    columns = ["segment", "members before", "members after", "left", "entered"]
    return "<h2>Dynamic segments</h2>" + _table(columns, rows)


def _contact_table(contacts: list[dict[str, Any]]) -> str:
    rows = [
        (
            c["contact_id"],
            f"{c['purchases_before']} → {c['purchases_after']}",
            f"{c['amount_before']} → {c['amount_after']}",
            f"{c['rfm_segment_before']} → {c['rfm_segment_after']}",
        )
        for c in contacts[:MAX_TABLE_ROWS]
    ]
    heading = f"<h2>Contacts affected: {len(contacts)}</h2>"
    note = ""
    if len(contacts) > MAX_TABLE_ROWS:
        note = f"<p>The first {MAX_TABLE_ROWS}; the JSON output lists all.</p>"
    columns = ["contact", "purchases", "amount", "RFM segment"]
    return heading + _table(columns, rows) + note


def _output_table(outputs: dict[str, dict[str, int]]) -> str:
    rows = [
        (
            table,
            change["rows_before"],
            change["rows_after"],
            change["rows_removed"],
            change["rows_added"],
        )
        for table, change in outputs.items()
    ]
    columns = ["output", "rows before", "rows after", "rows removed", "rows added"]
    return "<h2>Changed rows per output</h2>" + _table(columns, rows)


def _table(columns: list[str], rows: list[tuple[Any, ...]], css_class: str = "") -> str:
    head = "".join(f"<th>{escape(str(c))}</th>" for c in columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(str(v))}</td>" for v in row) + "</tr>"
        for row in rows
    )
    class_attribute = f' class="{css_class}"' if css_class else ""
    return f"<table{class_attribute}><tr>{head}</tr>{body}</table>"


def _svg_open(width: float, height: float) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}">'
    )


def _blend(low: str, high: str, level: float) -> str:
    channels = [
        round(int(low[i : i + 2], 16) * (1 - level) + int(high[i : i + 2], 16) * level)
        for i in (1, 3, 5)
    ]
    return "#" + "".join(f"{c:02x}" for c in channels)
