"""`plans.duckdb`: the Parquet tables of a run in one DuckDB file, with descriptions and handy views.

    duckdb outputs/plans.duckdb "select * from owner_workload"

The tables are the Parquet tables with SQL types where SQL has them: a day (`issue_date`, `first_day`,
`last_day`, `deadline_last_day`…) is a DATE, NULL when its year is unknown, its text as in `plans.jsonl` kept
beside it (`first_day_text`: `2024-03-01`, `XXXX-03-01`); `tasks.deadline` is a STRUCT, not JSON text. Columns
named by SQL keywords (`order`, `end`, `group`) need quotes in the tables; each such table has a view
`TABLE_view` with them renamed (`phase_order`, `start_offset`/`end_offset`, `group_name`), so plain SQL works.

The database is built in a temporary file beside the target and renamed into place, so a reader never sees
a half-built database and a failed build leaves the previous one intact.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from . import atomic_path
from .columns import table_specs

DATABASE = "plans.duckdb"
DUCKDB_MEMORY = "256MB"

# name -> (description, SQL). Documented in docs/data_dictionary.md from here.
VIEWS: dict[str, tuple[str, str]] = {
    "owner_workload": (
        "Tasks per owner and plan: `tasks` as owner, `co_tasks` as co-owner.",
        """
SELECT plan_id, owner,
       count(DISTINCT task_idx) FILTER (WHERE role = 'owner') AS tasks,
       count(DISTINCT task_idx) FILTER (WHERE role = 'co_owner') AS co_tasks
FROM task_owners
GROUP BY plan_id, owner
ORDER BY plan_id, tasks DESC, co_tasks DESC, owner
""",
    ),
    "plan_timeline": (
        "Phases with their plan's title and dates: `start_date`/`end_date` are DATE when the year is known "
        "(NULL for `XXXX` years, see `year_unknown` and the `_text` columns); `tasks` counts the tasks under the "
        "phase.",
        """
SELECT ph.plan_id, p.title, ph."order" AS phase_order, ph.name, ph.time_text,
       ph.first_day_text, ph.last_day_text,
       ph.first_day AS start_date,
       ph.last_day AS end_date,
       coalesce(ph.first_day_text LIKE 'XXXX%' OR ph.last_day_text LIKE 'XXXX%', false) AS year_unknown,
       ph.inconsistent,
       (SELECT count(*) FROM tasks t WHERE t.plan_id = ph.plan_id AND t.phase = ph."order") AS tasks
FROM phases ph
JOIN plans p USING (plan_id)
ORDER BY p.source_path, p.source_part, ph."order"
""",
    ),
    "rule_modalities": (
        "Number of rules per plan and modality.",
        """
SELECT plan_id, modality, count(*) AS n
FROM rules
GROUP BY plan_id, modality
ORDER BY plan_id, modality
""",
    ),
    "duplicates": (
        "Plans that duplicate an earlier plan of the run, with both titles and sources.",
        """
SELECT d.plan_id, d.duplicate_of,
       d.title, o.title AS original_title,
       d.source_path, d.source_part,
       o.source_path AS original_source_path, o.source_part AS original_source_part
FROM plans d
LEFT JOIN plans o ON o.plan_id = d.duplicate_of
WHERE d.duplicate_of IS NOT NULL
ORDER BY d.source_path, d.source_part
""",
    ),
}


# columns named by SQL keywords -> their names in the `TABLE_view` views (start renamed with end, for symmetry)
ALIASES = {"order": "phase_order", "start": "start_offset", "end": "end_offset", "group": "group_name"}
VIEW_SUFFIX = "_view"
_DUCKDB_TYPES = {"string": "VARCHAR", "int64": "BIGINT", "double": "DOUBLE", "bool": "BOOLEAN"}


def is_day(column: str) -> bool:
    """A column holding one day, `YYYY-MM-DD` (`XXXX` year when unknown): a DATE in the database."""
    return column == "issue_date" or column.endswith(("first_day", "last_day"))


def _json_shape(t) -> object:
    """A DuckDB `json_transform` structure for an Arrow type (keys absent from an object become NULL)."""
    import pyarrow as pa

    if pa.types.is_struct(t):
        return {f.name: _json_shape(f.type) for f in t}
    if pa.types.is_list(t):
        return [_json_shape(t.value_type)]
    return _DUCKDB_TYPES[str(t)]


def db_columns(spec) -> list[tuple[str, str, str]]:
    """The database columns of a table: (name, SQL expression over the Parquet columns, description)."""
    out = []
    for col in spec.columns_for("parquet"):
        q = _quote_ident(col.name)
        if is_day(col.name):
            out.append((col.name, f"TRY_CAST({q} AS DATE)",
                        f"{col.description} As a DATE; NULL when the year is unknown (see `{col.name}_text`)."))
            out.append((f"{col.name}_text", q, f"`{col.name}` as written in plans.jsonl (`XXXX` year when "
                                               "unknown)."))
        elif col.kind == "json" and col.struct is not None:
            shape = json.dumps(_json_shape(col.struct))
            out.append((col.name, f"json_transform({q}, {_quote_str(shape)})",
                        col.description.replace(" As JSON text.", "") + " A STRUCT (JSON text in CSV and Parquet)."))
        else:
            out.append((col.name, q, col.description))
    return out


def alias_views(specs) -> dict[str, tuple[str, str]]:
    """`TABLE_view` for every table with a column named by a SQL keyword: the same rows, those columns renamed."""
    views = {}
    for spec in specs:
        names = [name for name, _, _ in db_columns(spec)]
        if not set(names) & {"order", "end", "group"}:
            continue
        cols = ", ".join(f"{_quote_ident(n)} AS {ALIASES[n]}" if n in ALIASES else _quote_ident(n) for n in names)
        renamed = ", ".join(f"`{n}` as `{ALIASES[n]}`" for n in names if n in ALIASES)
        views[spec.name + VIEW_SUFFIX] = (f"`{spec.name}` with {renamed}: no quoting needed.",
                                          f"\nSELECT {cols}\nFROM {_quote_ident(spec.name)}\n")
    return views


def _quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _quote_str(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def write_database(out_dir: Path, previous: Path | None = None, tables_dir: Path | None = None) -> Path:
    """`out_dir/*.parquet` (from `write_tables`; or `tables_dir/*.parquet`) -> `out_dir/plans.duckdb` with tables
    and VIEWS; its path.

    `previous`: a database this pipeline version built from an earlier state of the same tables (the run's last
    `plans.duckdb`): it is copied and brought up to date (`_update`) instead of loading every table again, so a
    re-run that adds a file costs what the file costs. Row order is then not run order: order by columns."""
    import duckdb

    out_dir = Path(out_dir)
    tables_dir = Path(tables_dir or out_dir)
    target = out_dir / DATABASE
    specs = [s for s in table_specs() if "parquet" in s.formats]
    missing = [s.name for s in specs if not (tables_dir / f"{s.name}.parquet").exists()]
    if missing:
        raise FileNotFoundError(f"{tables_dir}: no Parquet table for {', '.join(missing)}: run write_tables first")
    with atomic_path(target) as tmp:
        updated = False
        if previous is not None and Path(previous).is_file():
            shutil.copyfile(previous, tmp)
            try:
                updated = _update(tmp, tables_dir, specs)
            except duckdb.Error:  # damaged or foreign: build it anew
                updated = False
            if not updated:
                for leftover in tmp.parent.iterdir():
                    leftover.unlink()
        if not updated:
            _build(tmp, tables_dir, specs)
    return target


def _parquet(out_dir: Path, name: str) -> str:
    return f"read_parquet({_quote_str(str((out_dir / f'{name}.parquet').resolve()))})"


def _connect(path: Path):
    """DuckDB on `path`, its memory capped (`DUCKDB_MEMORY`): loading tables buffers them, and a run's memory
    must not grow with the size of its dataset; past the cap DuckDB writes blocks out to the file."""
    import duckdb

    return duckdb.connect(str(path), config={"memory_limit": DUCKDB_MEMORY})


def _select(spec, tables_dir: Path) -> str:
    """SELECT of a table's database columns from its Parquet file."""
    cols = ", ".join(f"{expr} AS {_quote_ident(name)}" for name, expr, _ in db_columns(spec))
    return f"SELECT {cols} FROM {_parquet(tables_dir, spec.name)}"


def _build(path: Path, out_dir: Path, specs: list) -> None:
    con = _connect(path)
    try:
        # one transaction, one script: a commit (and WAL write) per statement was most of the time
        statements = ["BEGIN TRANSACTION"]
        for spec in specs:
            name = _quote_ident(spec.name)
            statements.append(f"CREATE TABLE {name} AS {_select(spec, out_dir)}")
            statements.append(f"COMMENT ON TABLE {name} IS {_quote_str(spec.description)}")
            for col, _, description in db_columns(spec):
                statements.append(f"COMMENT ON COLUMN {name}.{_quote_ident(col)} IS {_quote_str(description)}")
        for view, (description, sql) in {**VIEWS, **alias_views(specs)}.items():
            statements.append(f"CREATE VIEW {_quote_ident(view)} AS {sql}")
            statements.append(f"COMMENT ON VIEW {_quote_ident(view)} IS {_quote_str(description)}")
        statements.append("COMMIT")
        con.execute(";\n".join(statements))
        con.execute("CHECKPOINT")
    finally:
        con.close()


# A plan's rows in every item table follow from its id, the file content it came from and its part of that
# file; the run-level columns of `plans` (duplicate_of, source_path) may change without them.
_CONTENT_KEY = ("plan_id", "source_sha256", "source_part")
_RUN_LEVEL = ("duplicate_of", "source_path")


def _update(path: Path, out_dir: Path, specs: list) -> bool:
    """Bring the database at `path` to the tables under `out_dir`: rows of plans that are gone or changed are
    deleted, rows of new or changed plans inserted from the Parquet files. False (nothing changed) if its
    tables or columns are not this version's."""
    con = _connect(path)
    try:
        have: dict[str, list[str]] = {}
        for table, column in con.execute(
                "SELECT c.table_name, c.column_name FROM duckdb_columns() c JOIN duckdb_tables() t "
                "USING (database_name, schema_name, table_name) WHERE NOT t.internal AND NOT t.temporary "
                "ORDER BY c.table_name, c.column_index").fetchall():
            have.setdefault(table, []).append(column)
        views = {r[0] for r in con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()}
        if views != set(VIEWS) | set(alias_views(specs)) or have != {
                s.name: [name for name, _, _ in db_columns(s)] for s in specs}:
            return False
        key = " AND ".join(f"n.{c} IS NOT DISTINCT FROM o.{c}" for c in _CONTENT_KEY)
        same_run = " AND ".join(f"n.{c} IS NOT DISTINCT FROM o.{c}" for c in _RUN_LEVEL)
        plans = _parquet(out_dir, "plans")
        statements = [
            "BEGIN TRANSACTION",
            f"CREATE TEMP TABLE new_keys AS SELECT {', '.join(_CONTENT_KEY + _RUN_LEVEL)} FROM {plans}",
            # plans whose content rows are gone or differ, and plans whose rows are new
            f"CREATE TEMP TABLE stale AS SELECT plan_id FROM plans o WHERE NOT EXISTS "
            f"(SELECT 1 FROM new_keys n WHERE {key})",
            f"CREATE TEMP TABLE fresh AS SELECT plan_id FROM new_keys n WHERE NOT EXISTS "
            f"(SELECT 1 FROM plans o WHERE {key})",
            # plans kept whose run-level columns changed: only their `plans` row is replaced
            f"CREATE TEMP TABLE moved AS SELECT plan_id FROM new_keys n WHERE EXISTS "
            f"(SELECT 1 FROM plans o WHERE {key} AND NOT ({same_run}))",
        ]
        for spec in specs:
            name = _quote_ident(spec.name)
            gone = "stale UNION ALL SELECT plan_id FROM moved" if spec.name == "plans" else "stale"
            new = "fresh UNION ALL SELECT plan_id FROM moved" if spec.name == "plans" else "fresh"
            statements.append(f"DELETE FROM {name} WHERE plan_id IN (SELECT plan_id FROM {gone})")
            statements.append(f"INSERT INTO {name} {_select(spec, out_dir)} "
                              f"WHERE plan_id IN (SELECT plan_id FROM {new})")
        statements.append("COMMIT")
        con.execute(";\n".join(statements))
        con.execute("CHECKPOINT")
        return True
    finally:
        con.close()
