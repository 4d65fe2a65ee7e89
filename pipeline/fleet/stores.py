"""The list of stores a fleet run covers: a text file of paths, or a folder."""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import BadInputError, UsageError
from pipeline.settings import SETTINGS_FILE


@dataclass(frozen=True)
class StoreEntry:
    """A store of the fleet: a short name for logs and its folder."""

    name: str
    path: Path


def read_stores(source: Path) -> list[StoreEntry]:
    """Read the fleet's stores from a list file or from a folder of stores.

    A list file has one store folder per line, as a path (relative to the file's
    folder) or a `file://` URI; blank lines and lines starting with `#` are
    skipped. A folder contributes every direct subfolder holding a storepipe.toml.
    """
    if source.is_dir():
        paths = sorted(
            child.resolve()
            for child in source.iterdir()
            if (child / SETTINGS_FILE).is_file()
        )
        if not paths:
            raise UsageError(
                f"no store in {source}: no subfolder contains a {SETTINGS_FILE}; "
                "pass the folder that contains the stores"
            )
    elif source.is_file():
        paths = _read_list_file(source)
    else:
        raise UsageError(
            f"store list {source} not found; pass a file of store paths or a folder "
            "of stores"
        )
    return _name_stores(paths)


def _read_list_file(source: Path) -> list[Path]:
    paths: list[Path] = []
    seen: dict[Path, int] = {}
    text = source.read_text(encoding="utf-8-sig")
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        path = _store_path(source, number, line)
        if path in seen:
            raise BadInputError(
                f"{source}:{number}: store {path} is listed again (first on line "
                f"{seen[path]}); list each store once"
            )
        seen[path] = number
        paths.append(path)
    if not paths:
        raise BadInputError(f"{source} lists no stores; give one store path per line")
    return paths


def _store_path(source: Path, number: int, line: str) -> Path:
    scheme = urllib.parse.urlsplit(line).scheme
    # A one-letter scheme is a Windows drive letter, not a URI.
    if len(scheme) > 1:
        if scheme != "file":
            raise BadInputError(
                f"{source}:{number}: store URI {line!r} is not supported: a store is "
                "a folder on a filesystem every worker mounts; give its path or a "
                "file:// URI"
            )
        return Path(urllib.parse.unquote(urllib.parse.urlsplit(line).path)).resolve()
    return (source.parent / line).resolve()


def _name_stores(paths: list[Path]) -> list[StoreEntry]:
    """Name each store by its folder name, or by its full path where names repeat."""
    names = [path.name for path in paths]
    return [
        StoreEntry(path.name if names.count(path.name) == 1 else str(path), path)
        for path in paths
    ]
