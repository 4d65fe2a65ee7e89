"""PostgreSQL catalog strings: parsing, storing without the password, redaction.

A store may keep its DuckLake catalog in a PostgreSQL database, so that several
machines share it. `storepipe init --catalog` accepts DuckLake's form
`postgres:dbname=lake host=db.example port=5432 user=storepipe` (a libpq key/value
connection string) or a URL `postgresql://user:password@host:port/dbname`.

The store's `catalog.json` contains the connection string without its password.
Every run takes the password from where libpq looks for it, `PGPASSWORD` or the
password file (`~/.pgpass`, or the file named by `PGPASSFILE`), so no password is
written to the store, its manifests or its logs.
"""

from __future__ import annotations

import re
import urllib.parse
from dataclasses import dataclass

from pipeline.errors import UsageError

POSTGRES_PREFIX = "postgres:"
URL_SCHEMES = ("postgresql", "postgres")
REDACTED = "********"

# libpq key/value pairs: `key = value` where value is bare or single-quoted with
# backslash escapes (PostgreSQL manual, libpq, "Connection Strings").
_KEY_VALUE = re.compile(
    r"\s*(?P<key>[A-Za-z_]+)\s*=\s*(?:'(?P<quoted>(?:[^'\\]|\\.)*)'|(?P<bare>[^\s']*))"
)
# A `password=...` pair, or the password of a URL, wherever a message quotes one.
_PASSWORD_PAIR = re.compile(r"(password\s*=\s*)('(?:[^'\\]|\\.)*'|[^\s'\"]*)", re.I)
_URL_PASSWORD = re.compile(r"(postgres(?:ql)?://[^:/@\s]*:)([^@\s]*)(@)", re.I)


@dataclass(frozen=True)
class PostgresCatalog:
    """A PostgreSQL catalog: libpq key/value pairs without the password."""

    parameters: dict[str, str]

    @property
    def conninfo(self) -> str:
        """The libpq connection string, with values quoted where needed."""
        return " ".join(
            f"{key}={_quote_value(value)}" for key, value in self.parameters.items()
        )

    @property
    def ducklake_catalog(self) -> str:
        """The catalog part of DuckLake's ATTACH string, `postgres:<conninfo>`."""
        return POSTGRES_PREFIX + self.conninfo

    def with_password(self, password: str | None) -> str:
        """Return `ducklake_catalog` with a password added, for one ATTACH only."""
        if password is None:
            return self.ducklake_catalog
        pairs = {**self.parameters, "password": password}
        return POSTGRES_PREFIX + " ".join(
            f"{key}={_quote_value(value)}" for key, value in pairs.items()
        )


def is_postgres(catalog: str) -> bool:
    """Tell whether a catalog string names a PostgreSQL catalog."""
    text = catalog.strip().removeprefix("ducklake:")
    scheme = text.split("://", 1)[0].lower() if "://" in text else ""
    return text.startswith(POSTGRES_PREFIX) or scheme in URL_SCHEMES


def parse_catalog(catalog: str) -> tuple[PostgresCatalog, str | None]:
    """Split a PostgreSQL catalog string into the catalog and its password.

    Accepts `postgres:<key=value ...>`, the same with DuckLake's `ducklake:` prefix,
    and `postgresql://` or `postgres://` URLs. Raises UsageError for anything else.
    """
    text = catalog.strip().removeprefix("ducklake:")
    if "://" in text and text.split("://", 1)[0].lower() in URL_SCHEMES:
        parameters = _parse_url(text)
    elif text.startswith(POSTGRES_PREFIX):
        parameters = _parse_key_values(text.removeprefix(POSTGRES_PREFIX))
    else:
        raise UsageError(
            f"unsupported catalog {redact(catalog)!r}; give postgres:dbname=NAME "
            "host=HOST user=USER, a postgresql://USER@HOST:PORT/NAME URL, or leave "
            "--catalog out for an embedded catalog"
        )
    if not parameters.get("dbname"):
        raise UsageError(
            f"catalog {redact(catalog)!r} names no database; add dbname=NAME "
            "(or /NAME at the end of the URL)"
        )
    password = parameters.pop("password", None)
    return PostgresCatalog(parameters), password


def redact(text: str, *passwords: str | None) -> str:
    """Replace every password in a message with asterisks.

    Covers `password=` pairs, URL passwords and each given password verbatim, since
    libpq and DuckDB quote connection strings in their error messages.
    """
    for password in passwords:
        if password:
            text = text.replace(password, REDACTED)
    text = _PASSWORD_PAIR.sub(lambda match: match.group(1) + REDACTED, text)
    return _URL_PASSWORD.sub(
        lambda match: match.group(1) + REDACTED + match.group(3), text
    )


def _parse_url(text: str) -> dict[str, str]:
    try:
        url = urllib.parse.urlsplit(text)
        port = url.port
    except ValueError as exc:
        raise UsageError(f"invalid catalog URL {redact(text)!r}: {exc}") from None
    parameters: dict[str, str] = {}
    database = urllib.parse.unquote(url.path.lstrip("/"))
    if database:
        parameters["dbname"] = database
    if url.hostname:
        parameters["host"] = url.hostname
    if port is not None:
        parameters["port"] = str(port)
    if url.username:
        parameters["user"] = urllib.parse.unquote(url.username)
    if url.password:
        parameters["password"] = urllib.parse.unquote(url.password)
    for key, value in urllib.parse.parse_qsl(url.query, keep_blank_values=True):
        parameters[key] = value
    return parameters


def _parse_key_values(text: str) -> dict[str, str]:
    parameters: dict[str, str] = {}
    position = 0
    while text[position:].strip():
        match = _KEY_VALUE.match(text, position)
        if match is None:
            # The rest of the text may be part of a password, so it is not quoted.
            raise UsageError(
                f"invalid catalog connection string at character {position + 1}; "
                "write key=value pairs such as dbname=lake host=db.example, with "
                "values that contain spaces in single quotes"
            )
        quoted = match.group("quoted")
        value = re.sub(r"\\(.)", r"\1", quoted) if quoted is not None else match["bare"]
        parameters[match.group("key").lower()] = value
        position = match.end()
    return parameters


def _quote_value(value: str) -> str:
    if value and not re.search(r"[\s'\\]", value):
        return value
    escaped = value.replace("\\", "\\\\").replace("'", "\\'")
    return f"'{escaped}'"
