"""Parsing of `--as-of` values: a date, or an ISO 8601 instant."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from pipeline.errors import UsageError


def parse_as_of(text: str | None, time_zone: str) -> dt.datetime:
    """Return the instant meant by `text`, in UTC; None means now.

    A date means midnight at the start of that day in the store's time zone, and so
    does a date and time without an offset.
    """
    if text is None or text.strip() == "" or text.strip().lower() == "now":
        return dt.datetime.now(dt.UTC)
    zone = zoneinfo.ZoneInfo(time_zone)
    value = text.strip()
    try:
        if len(value) == 10:
            day = dt.date.fromisoformat(value)
            return dt.datetime.combine(day, dt.time(), zone).astimezone(dt.UTC)
        instant = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise UsageError(
            f"invalid --as-of {text!r}; give a date (2011-12-10) "
            "or an ISO 8601 instant (2011-12-10T09:00:00+00:00)"
        ) from None
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=zone)
    return instant.astimezone(dt.UTC)
