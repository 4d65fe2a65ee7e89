"""Every file of the bad input corpus, fed to the command that reads it.

Each case either has a documented handling (see docs/reliability.md, "Bad input")
or is rejected with exit code 3 and one error line naming the file, the line and
the value. The store's snapshot id only changes where a handling writes. Cases
marked xfail state the behaviour the importer should have but does not have yet.
"""

from __future__ import annotations

import contextlib
import io
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.errors import ExitCode
from pipeline.store import Store

HERE = Path(__file__).parent
FILES = HERE / "files"
BASE_PURCHASES = HERE / "base_purchases.jsonl"


@dataclass(frozen=True)
class Case:
    """A command on a corpus file and what it must do."""

    args: tuple[str, ...]
    exit_code: int = ExitCode.BAD_INPUT
    # Texts the error line must contain: usually the line and the offending value.
    mentions: tuple[str, ...] = ()
    # New snapshots the command may create: 0 for every rejection.
    new_snapshots: int = 0
    # A query on the store after the command, and the rows it must return.
    sql: str | None = None
    parameters: tuple[object, ...] = ()
    rows: list[tuple[object, ...]] = field(default_factory=list)


def imports(name: str, *options: str) -> tuple[str, ...]:
    """Return the arguments of `storepipe import` for a corpus file."""
    return ("import", *options, str(FILES / name))


def deletes(name: str) -> tuple[str, ...]:
    """Return the arguments of `storepipe delete --file` for a corpus file."""
    return ("delete", "--file", str(FILES / name), "--force")


def rejected(args: tuple[str, ...], *mentions: str) -> Case:
    """Return a case that must exit 3, write nothing and mention each text."""
    return Case(args, mentions=mentions)


# One purchase's id, contact, total price and quantity, by store purchase id.
PURCHASE_SQL = (
    "SELECT purchase_id, contact_id, total_price::VARCHAR, total_quantity "
    "FROM purchases WHERE purchase_id = ?"
)
B1_ROW = ("B1", "c1", "20.00", 2)
LIVE_BASE_IDS = "SELECT purchase_id FROM purchases ORDER BY purchase_id"

# File name -> case; a pytest.param wraps the cases of known importer defects.
CASES: dict[str, Case | object] = {
    # JSON Lines purchases: rejected with file, line and value.
    "purchases_amount_too_large.jsonl": rejected(
        imports("purchases_amount_too_large.jsonl"),
        "99999999999999999.00",
        "below 10^16",
    ),
    "purchases_truncated.jsonl": rejected(
        imports("purchases_truncated.jsonl"), "line 2", "invalid JSON"
    ),
    "purchases_invalid_json.jsonl": rejected(
        imports("purchases_invalid_json.jsonl"), "line 1", "invalid JSON"
    ),
    "purchases_not_object.jsonl": rejected(
        imports("purchases_not_object.jsonl"), "line 1", '["B1", 20.00]'
    ),
    "purchases_quantity_text.jsonl": rejected(
        imports("purchases_quantity_text.jsonl"), "line 1", "'two'"
    ),
    "purchases_total_quantity_float.jsonl": rejected(
        imports("purchases_total_quantity_float.jsonl"), "line 1", "'2.5'"
    ),
    "purchases_missing_id.jsonl": rejected(
        imports("purchases_missing_id.jsonl"), "line 1", "missing purchaseId"
    ),
    "purchases_null_id.jsonl": rejected(
        imports("purchases_null_id.jsonl"), "line 1", "missing purchaseId"
    ),
    "purchases_missing_date.jsonl": rejected(
        imports("purchases_missing_date.jsonl"), "line 1", "missing purchaseDate"
    ),
    "purchases_missing_unit_price.jsonl": rejected(
        imports("purchases_missing_unit_price.jsonl"), "line 1", "missing unitPrice"
    ),
    "purchases_price_text.jsonl": rejected(
        imports("purchases_price_text.jsonl"), "line 1", "'ten'"
    ),
    "purchases_decimal_comma.jsonl": rejected(
        imports("purchases_decimal_comma.jsonl"), "line 1", "'20,00'"
    ),
    "purchases_exponent_price.jsonl": rejected(
        imports("purchases_exponent_price.jsonl"), "line 1", "'2E1'"
    ),
    "purchases_too_many_decimals.jsonl": rejected(
        imports("purchases_too_many_decimals.jsonl"), "line 1", "10.005"
    ),
    "purchases_huge_quantity.jsonl": rejected(
        imports("purchases_huge_quantity.jsonl"), "line 1", "100000000000000000000"
    ),
    "purchases_date_without_offset.jsonl": rejected(
        imports("purchases_date_without_offset.jsonl"),
        "line 1",
        "'2025-06-01T10:00:00'",
        "no UTC offset",
    ),
    "purchases_date_invalid.jsonl": rejected(
        imports("purchases_date_invalid.jsonl"), "line 1", "2025-13-45"
    ),
    "purchases_products_not_list.jsonl": rejected(
        imports("purchases_products_not_list.jsonl"), "line 1", "products"
    ),
    "purchases_bom.jsonl": Case(
        imports("purchases_bom.jsonl"),
        exit_code=ExitCode.OK,
        new_snapshots=1,
        sql=PURCHASE_SQL,
        parameters=("B1",),
        rows=[B1_ROW],
    ),
    "purchases_negative_quantity.jsonl": rejected(
        imports("purchases_negative_quantity.jsonl"), "line 1", "-2"
    ),
    "purchases_negative_price.jsonl": rejected(
        imports("purchases_negative_price.jsonl"), "line 1", "-10.00"
    ),
    "purchases_duplicate_id_in_file.jsonl": rejected(
        imports("purchases_duplicate_id_in_file.jsonl"), "line 2", "B1"
    ),
    "purchases_existing_id_changed.jsonl": rejected(
        imports("purchases_existing_id_changed.jsonl"), "line 1", "A1"
    ),
    "purchases_non_utf8.jsonl": rejected(
        imports("purchases_non_utf8.jsonl"), "line 1", "0xe9"
    ),
    # JSON Lines purchases: documented handlings.
    "purchases_unknown_field.jsonl": Case(
        imports("purchases_unknown_field.jsonl"),
        exit_code=ExitCode.OK,
        new_snapshots=1,
        sql=PURCHASE_SQL,
        parameters=("B1",),
        rows=[B1_ROW],
    ),
    "purchases_repeated_identical.jsonl": Case(
        imports("purchases_repeated_identical.jsonl"),
        exit_code=ExitCode.OK,
        new_snapshots=1,
        sql=PURCHASE_SQL,
        parameters=("B1",),
        rows=[B1_ROW],
    ),
    "purchases_existing_id_same.jsonl": Case(
        imports("purchases_existing_id_same.jsonl"),
        exit_code=ExitCode.OK,
        sql=LIVE_BASE_IDS,
        rows=[("A1",), ("A2",), ("A3",)],
    ),
    "purchases_id_spaces.jsonl": Case(
        imports("purchases_id_spaces.jsonl"),
        exit_code=ExitCode.OK,
        new_snapshots=1,
        sql=PURCHASE_SQL,
        parameters=("B1",),
        rows=[B1_ROW],
    ),
    "purchases_id_zero_width.jsonl": Case(
        imports("purchases_id_zero_width.jsonl"),
        exit_code=ExitCode.OK,
        new_snapshots=1,
        sql=PURCHASE_SQL,
        parameters=("B\u200b1",),
        rows=[("B\u200b1", "c1", "20.00", 2)],
    ),
    "purchases_id_nfd.jsonl": Case(
        imports("purchases_id_nfd.jsonl"),
        exit_code=ExitCode.OK,
        new_snapshots=1,
        sql=PURCHASE_SQL,
        parameters=("Cafe\u0301-1",),
        rows=[("Cafe\u0301-1", "c1", "20.00", 2)],
    ),
    "purchases_contact_nbsp.jsonl": Case(
        imports("purchases_contact_nbsp.jsonl"),
        exit_code=ExitCode.OK,
        new_snapshots=1,
        sql=PURCHASE_SQL,
        parameters=("B1",),
        rows=[B1_ROW],
    ),
    "purchases_crlf.jsonl": Case(
        imports("purchases_crlf.jsonl"),
        exit_code=ExitCode.OK,
        new_snapshots=1,
        sql="SELECT count(*) FROM purchases WHERE purchase_id IN ('B1', 'B2')",
        rows=[(2,)],
    ),
    "purchases_empty.jsonl": Case(
        imports("purchases_empty.jsonl"), exit_code=ExitCode.OK
    ),
    "purchases_blank_lines.jsonl": Case(
        imports("purchases_blank_lines.jsonl"), exit_code=ExitCode.OK
    ),
    "purchases_date_after_as_of.jsonl": Case(
        imports("purchases_date_after_as_of.jsonl"),
        exit_code=ExitCode.OK,
        new_snapshots=1,
        sql="SELECT purchased_at::VARCHAR FROM purchases WHERE purchase_id = 'B1'",
        rows=[("2031-01-01 10:00:00+00",)],
    ),
    "purchases_total_mismatch.jsonl": Case(
        imports("purchases_total_mismatch.jsonl"),
        exit_code=ExitCode.OK,
        new_snapshots=1,
        sql=PURCHASE_SQL,
        parameters=("B1",),
        rows=[("B1", "c1", "25.00", 2)],
    ),
    "purchases_no_lines.jsonl": Case(
        imports("purchases_no_lines.jsonl"),
        exit_code=ExitCode.OK,
        new_snapshots=1,
        sql="SELECT count(*) FROM purchase_lines JOIN purchases USING (internal_id) "
        "WHERE purchase_id = 'B1'",
        rows=[(0,)],
    ),
    # Flat line files (CSV and Parquet).
    "lines_decimal_comma.csv": rejected(
        imports("lines_decimal_comma.csv"), "line 2", "'10,00'"
    ),
    "lines_quantity_text.csv": rejected(
        imports("lines_quantity_text.csv"), "line 2", "'two'"
    ),
    "lines_quantity_text.parquet": rejected(
        imports("lines_quantity_text.parquet"), "line 1", "'two'"
    ),
    "lines_date_without_offset.csv": rejected(
        imports("lines_date_without_offset.csv"), "line 2", "'2025-06-01 10:00:00'"
    ),
    "lines_naive_timestamp.parquet": rejected(
        imports("lines_naive_timestamp.parquet"), "line 1", "no UTC offset"
    ),
    "lines_non_utf8.csv": rejected(imports("lines_non_utf8.csv"), "Line: 2"),
    "lines_truncated.parquet": rejected(
        imports("lines_truncated.parquet"), "No magic bytes"
    ),
    "lines_negative_quantity.csv": rejected(
        imports("lines_negative_quantity.csv"), "line 2", "-2"
    ),
    "lines_negative_price.parquet": rejected(
        imports("lines_negative_price.parquet"), "line 1", "-10.00"
    ),
    "lines_conflicting_purchase_fields.csv": rejected(
        imports("lines_conflicting_purchase_fields.csv"), "line 3", "B1"
    ),
    "lines_ragged_row.csv": rejected(imports("lines_ragged_row.csv"), "line 2"),
    "lines_empty.csv": rejected(imports("lines_empty.csv"), "empty"),
    "lines_missing_column.csv": Case(
        imports("lines_missing_column.csv"),
        exit_code=ExitCode.USAGE,
        mentions=("no column for unitPrice", "--map"),
    ),
    "lines_missing_purchase_id.parquet": Case(
        imports("lines_missing_purchase_id.parquet"),
        exit_code=ExitCode.USAGE,
        mentions=("no column for purchaseId", "--map"),
    ),
    "lines_header_only.csv": Case(
        imports("lines_header_only.csv"), exit_code=ExitCode.OK
    ),
    "lines_bom_crlf.csv": Case(
        imports("lines_bom_crlf.csv"),
        exit_code=ExitCode.OK,
        new_snapshots=1,
        sql=PURCHASE_SQL,
        parameters=("B1",),
        rows=[B1_ROW],
    ),
    "lines_unknown_column.csv": Case(
        imports("lines_unknown_column.csv"),
        exit_code=ExitCode.OK,
        new_snapshots=1,
        sql=PURCHASE_SQL,
        parameters=("B1",),
        rows=[B1_ROW],
    ),
    "lines_semicolon.csv": Case(
        imports("lines_semicolon.csv"),
        exit_code=ExitCode.OK,
        new_snapshots=1,
        sql=PURCHASE_SQL,
        parameters=("B1",),
        rows=[B1_ROW],
    ),
    "lines_float_price.parquet": Case(
        imports("lines_float_price.parquet"),
        exit_code=ExitCode.OK,
        new_snapshots=1,
        sql="SELECT unit_price::VARCHAR, price::VARCHAR FROM purchase_lines "
        "JOIN purchases USING (internal_id) WHERE purchase_id = 'B1'",
        rows=[("10.10", "20.20")],
    ),
    # Entity files.
    "contacts_bad_created_at.csv": rejected(
        imports("contacts_bad_created_at.csv", "--kind", "contacts"),
        "line 2",
        "'yesterday'",
    ),
    "contacts_not_object.jsonl": rejected(
        imports("contacts_not_object.jsonl", "--kind", "contacts"),
        "line 1",
        "expected a JSON object",
    ),
    "products_price_text.csv": rejected(
        imports("products_price_text.csv", "--kind", "products"), "line 2", "'cheap'"
    ),
    "contacts_duplicate_id.csv": rejected(
        imports("contacts_duplicate_id.csv", "--kind", "contacts"), "c9"
    ),
    "contacts_missing_id.csv": rejected(
        imports("contacts_missing_id.csv", "--kind", "contacts"), "line 2"
    ),
    # Deletion id files.
    "ids_empty.txt": rejected(deletes("ids_empty.txt"), "no ids"),
    "ids_header_only.csv": rejected(deletes("ids_header_only.csv"), "no ids"),
    "ids_non_utf8.txt": rejected(deletes("ids_non_utf8.txt"), ":2:", "0xe9"),
    "ids_csv_without_id_column.csv": rejected(
        deletes("ids_csv_without_id_column.csv"), ":1:", "'id,reason'"
    ),
    "ids_csv_missing_value.csv": rejected(
        deletes("ids_csv_missing_value.csv"), ":2:", "['fraud']"
    ),
    "ids_bom_crlf.txt": Case(
        deletes("ids_bom_crlf.txt"),
        exit_code=ExitCode.OK,
        new_snapshots=1,
        sql=LIVE_BASE_IDS,
        rows=[("A3",)],
    ),
    "ids_spaces.txt": Case(
        deletes("ids_spaces.txt"),
        exit_code=ExitCode.OK,
        new_snapshots=1,
        sql=LIVE_BASE_IDS,
        rows=[("A3",)],
    ),
    "ids_repeated.txt": Case(
        deletes("ids_repeated.txt"),
        exit_code=ExitCode.OK,
        new_snapshots=1,
        sql="SELECT requested_id, outcome FROM deletion_log",
        rows=[("A1", "deleted")],
    ),
    "ids_unknown.txt": Case(
        deletes("ids_unknown.txt"),
        exit_code=ExitCode.OK,
        new_snapshots=1,
        sql="SELECT requested_id, outcome FROM deletion_log ORDER BY requested_id",
        rows=[("NOPE-1", "not_found"), ("NOPE-2", "not_found")],
    ),
}

ID_ARGUMENT_CASES = {
    "empty id": rejected(("delete", "", "--force"), "#1 is empty"),
    "text internal id": rejected(
        ("delete", "--by", "internal-id", "12x", "--force"), "'12x'"
    ),
    "fractional internal id": rejected(
        ("delete", "--by", "internal-id", "3.5", "--force"), "'3.5'"
    ),
    "id with spaces": Case(
        ("delete", " A1 ", "--force"),
        exit_code=ExitCode.OK,
        new_snapshots=1,
        sql="SELECT requested_id, outcome FROM deletion_log",
        rows=[("A1", "deleted")],
    ),
}


@pytest.fixture(scope="module")
def base_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a store holding the three purchases of base_purchases.jsonl."""
    path = tmp_path_factory.mktemp("bad_input") / "base"
    Store.create(path)
    code, _, stderr = run_main("import", str(BASE_PURCHASES), "--store", str(path))
    assert code == ExitCode.OK, stderr
    return path


def run_main(*args: str) -> tuple[int, str, str]:
    """Run the CLI's entry point in this process; return exit code, stdout, stderr."""
    saved = sys.argv
    sys.argv = ["storepipe", *args]
    stdout, stderr = io.StringIO(), io.StringIO()
    code = 0
    try:
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            main()
    except SystemExit as exc:
        code = int(exc.code or 0)
    finally:
        sys.argv = saved
    return code, stdout.getvalue(), stderr.getvalue()


def snapshot_id(path: Path) -> int:
    with Store.open(path, write=False) as store:
        return store.snapshot_id()


def check_case(case: Case, base: Path, work: Path, file_name: str | None) -> None:
    """Run one case on a copy of the base store and check its outcome."""
    shutil.copytree(base, work)
    before = snapshot_id(work)

    code, _, stderr = run_main(*case.args, "--store", str(work))

    errors = [
        line for line in stderr.splitlines() if line.startswith("storepipe: error:")
    ]
    assert code == case.exit_code, stderr
    if case.exit_code != ExitCode.OK:
        assert len(errors) == 1, stderr
        if file_name is not None and case.exit_code == ExitCode.BAD_INPUT:
            assert file_name in errors[0]
        for text in case.mentions:
            assert text in errors[0]
    assert snapshot_id(work) == before + case.new_snapshots
    if case.sql is not None:
        with Store.open(work, write=False) as store:
            rows = store.con.execute(case.sql, list(case.parameters)).fetchall()
        assert rows == case.rows


def corpus_parameters() -> list[object]:
    """Return one pytest parameter per corpus file, keeping xfail marks."""
    parameters = []
    for name, value in CASES.items():
        if isinstance(value, Case):
            parameters.append(pytest.param(name, value, id=name))
        else:
            marked = value  # a pytest.param holding one Case and its marks
            case = marked.values[0]  # type: ignore[attr-defined]
            marks = marked.marks  # type: ignore[attr-defined]
            parameters.append(pytest.param(name, case, marks=marks, id=name))
    return parameters


@pytest.mark.parametrize("file_name, case", corpus_parameters())
def test_corpus_file(
    file_name: str, case: Case, base_store: Path, tmp_path: Path
) -> None:
    check_case(case, base_store, tmp_path / "store", file_name)


@pytest.mark.parametrize("name", sorted(ID_ARGUMENT_CASES))
def test_id_argument(name: str, base_store: Path, tmp_path: Path) -> None:
    check_case(ID_ARGUMENT_CASES[name], base_store, tmp_path / "store", None)


def test_every_corpus_file_has_case() -> None:
    on_disk = sorted(path.name for path in FILES.iterdir())
    assert on_disk == sorted(CASES)
    assert len(on_disk) >= 40


@pytest.mark.slow
def test_million_unknown_ids(base_store: Path, tmp_path: Path) -> None:
    ids = tmp_path / "million.txt"
    with ids.open("w", encoding="utf-8") as handle:
        for number in range(1_000_000):
            handle.write(f"UNKNOWN-{number:07d}\n")
    work = tmp_path / "store"
    shutil.copytree(base_store, work)
    before = snapshot_id(work)

    code, stdout, stderr = run_main(
        "delete", "--file", str(ids), "--format", "csv", "--store", str(work)
    )

    assert code == ExitCode.OK, stderr
    assert len(stdout.splitlines()) == 1_000_001
    assert "0 deleted, 1000000 not_found, 0 already_deleted" in stderr
    assert snapshot_id(work) == before + 1
    with Store.open(work, write=False) as store:
        live = store.con.execute("SELECT count(*) FROM purchases").fetchone()
        logged = store.con.execute(
            "SELECT outcome, count(*) FROM deletion_log GROUP BY outcome"
        ).fetchall()
    assert live == (3,)
    assert logged == [("not_found", 1_000_000)]
