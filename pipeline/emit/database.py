"""`plans.duckdb`: the Parquet tables of a run in one DuckDB file, with descriptions and handy views.

    duckdb outputs/plans.duckdb "select * from owner_workload"

The database is built in a temporary file beside the target and renamed into place, so a reader never sees
a half-built database and a failed build leaves the previous one intact.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from .tables import table_specs

DATABASE = "plans.duckdb"

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
        "(NULL for `XXXX` years, see `year_unknown`); `tasks` counts the tasks under the phase.",
        """
SELECT ph.plan_id, p.title, ph."order", ph.name, ph.time_text, ph.first_day, ph.last_day,
       TRY_CAST(ph.first_day AS DATE) AS start_date,
       TRY_CAST(ph.last_day AS DATE) AS end_date,
       coalesce(ph.first_day LIKE 'XXXX%' OR ph.last_day LIKE 'XXXX%', false) AS year_unknown,
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


def _quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _quote_str(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def write_database(out_dir: Path) -> Path:
    """`out_dir/*.parquet` (from `write_tables`) -> `out_dir/plans.duckdb` with tables and VIEWS; its path."""
    import duckdb

    out_dir = Path(out_dir)
    target = out_dir / DATABASE
    specs = [s for s in table_specs() if "parquet" in s.formats]
    missing = [s.name for s in specs if not (out_dir / f"{s.name}.parquet").exists()]
    if missing:
        raise FileNotFoundError(f"{out_dir}: no Parquet table for {', '.join(missing)}: run write_tables first")
    tmp_dir = Path(tempfile.mkdtemp(prefix=f".{DATABASE}.", dir=out_dir))
    try:
        tmp = tmp_dir / DATABASE
        con = duckdb.connect(str(tmp))
        try:
            # one transaction, one script: a commit (and WAL write) per statement was most of the time
            statements = ["BEGIN TRANSACTION"]
            for spec in specs:
                name = _quote_ident(spec.name)
                path = _quote_str(str((out_dir / f"{spec.name}.parquet").resolve()))
                statements.append(f"CREATE TABLE {name} AS SELECT * FROM read_parquet({path})")
                statements.append(f"COMMENT ON TABLE {name} IS {_quote_str(spec.description)}")
                for col in spec.columns_for("parquet"):
                    statements.append(f"COMMENT ON COLUMN {name}.{_quote_ident(col.name)} IS "
                                      f"{_quote_str(col.description)}")
            for view, (description, sql) in VIEWS.items():
                statements.append(f"CREATE VIEW {_quote_ident(view)} AS {sql}")
                statements.append(f"COMMENT ON VIEW {_quote_ident(view)} IS {_quote_str(description)}")
            statements.append("COMMIT")
            con.execute(";\n".join(statements))
            con.execute("CHECKPOINT")
        finally:
            con.close()
        with open(tmp, "rb") as f:
            os.fsync(f.fileno())
        os.replace(tmp, target)
    finally:
        shutil.rmtree(tmp_dir, ignore_errors=True)
    return target
