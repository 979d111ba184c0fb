"""`reuse_pairs`: which plans reuse which text, one row per reused passage, with offsets into both plans — written
by `plans compare` into the dataset it compares (`reuse_pairs.parquet`, `reuse_pairs.csv`, a `reuse_pairs` table in
`plans.duckdb`, in the formats the run wrote).

Pairs examined: the `TOP_PAIRS` most similar pairs of the dataset (cosine ≥ `TOP_MIN_COSINE`) and every plan's
`NEIGHBOURS` most similar plans (cosine ≥ `NEIGHBOUR_MIN_COSINE`), among the pairs `similarity.top_pairs` finds;
a pair without a reused passage has no row. Passages are `reuse.reused_passages` (the report's), found in
worker processes when there are many pairs. `plans run` does not update the table: after a re-run, rows whose
plan ids are still in `plans` stay right (a plan id is a hash of the plan's text, the offsets point into it), and
pairs with new plans are missing until `plans compare` runs again.
"""
from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

from .reuse import Passage, reused_passages
from . import similarity
from .similarity import Pair

TABLE = "reuse_pairs"
TOP_PAIRS = 8
TOP_MIN_COSINE = 0.1
NEIGHBOURS = 1
NEIGHBOUR_MIN_COSINE = 0.2
PARALLEL_MIN_PAIRS = 64       # fewer pairs are found in this process

DESCRIPTION = ("Passages of text one plan shares with another, found by `plans compare`: one row per passage, "
               "offsets into both plans' `text`.")

# name, Arrow type name, description: the one place (Parquet field metadata, DuckDB comments, docs)
COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("plan_id_a", "string", "Plan A of the pair (the earlier of the two in `plans.jsonl`)."),
    ("plan_id_b", "string", "Plan B of the pair."),
    ("cosine", "float64", "Similarity of the two plans: cosine of their TF-IDF vectors over jieba words and word "
                          "bigrams (as in the report)."),
    ("passage", "int64", "Number of the passage within the pair, 1, 2, … in the order of A."),
    ("a_start", "int64", "Start offset of the passage in A's `text`."),
    ("a_end", "int64", "End offset (exclusive) of the passage in A's `text`."),
    ("b_start", "int64", "Start offset of the passage in B's `text`."),
    ("b_end", "int64", "End offset (exclusive) of the passage in B's `text`."),
    ("a_text", "string", "The passage as A has it: `text[a_start:a_end]` of A."),
    ("b_text", "string", "The passage as B has it, `text[b_start:b_end]` of B, when it differs from A's; null when "
                         "the passage is identical."),
    ("identical", "bool", "Whether both plans have the passage word for word."),
    ("matched", "int64", "Characters of the passage in blocks of text the two plans share (difflib)."),
    ("score", "float64", "2 × matched / (length in A + length in B): 1 for an identical passage."),
    ("a_share", "float64", "Share of A's text covered by all the pair's passages."),
    ("b_share", "float64", "Share of B's text covered by all the pair's passages."),
)


@dataclass
class PairReuse:
    """One pair of plans (dataset indices) and the passages they share, kept as offsets (`spans`: a_start, a_end,
    b_start, b_end, matched, score) into the two texts: `passages` makes the `Passage`s when asked."""

    pair: Pair
    spans: list[tuple[int, int, int, int, int, float]]
    a_share: float
    b_share: float
    text_a: str = field(repr=False, default="")
    text_b: str = field(repr=False, default="")

    @property
    def passages(self) -> list[Passage]:
        ta, tb = self.text_a, self.text_b
        return [Passage(a0, a1, b0, b1, ta[a0:a1], tb[b0:b1], m, sc) for a0, a1, b0, b1, m, sc in self.spans]

    @property
    def matched(self) -> int:
        """Characters matched in all the pair's passages."""
        return sum(m for _, _, _, _, m, _ in self.spans)


def pairs_to_examine(pairs: list[Pair], top: int = TOP_PAIRS, top_min: float = TOP_MIN_COSINE,
                     neighbours: int = NEIGHBOURS, neighbour_min: float = NEIGHBOUR_MIN_COSINE) -> list[Pair]:
    """Of `pairs` (best first), the `top` best (cosine ≥ `top_min`) and each plan's `neighbours` best (cosine ≥
    `neighbour_min`), in the order of `pairs`."""
    chosen = {(p.a, p.b) for p in pairs[:top] if p.score >= top_min}
    taken: dict[int, int] = {}
    for p in pairs:
        if p.score < neighbour_min:
            break
        if taken.get(p.a, 0) < neighbours or taken.get(p.b, 0) < neighbours:
            chosen.add((p.a, p.b))
        taken[p.a] = taken.get(p.a, 0) + 1
        taken[p.b] = taken.get(p.b, 0) + 1
    return [p for p in pairs if (p.a, p.b) in chosen]


def _passages_of(chunk: list[tuple[int, int]]) -> list[list[tuple]]:
    """Passages of pairs of the workers' texts, as tuples (offsets, matched, score): the texts stay here."""
    from .workers import texts

    every = texts()
    return [[(p.a_start, p.a_end, p.b_start, p.b_end, p.matched, p.score)
             for p in reused_passages(every[a], every[b])] for a, b in chunk]


def _grouped(pairs: list[Pair]) -> list[tuple[int, int]]:
    """The pairs' (a, b), those of plans linked by pairs together (by the first plan of each such group), so a
    worker given a run of them prepares each text once."""
    parent: dict[int, int] = {}

    def root(i: int) -> int:
        parent.setdefault(i, i)
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for p in pairs:
        ra, rb = root(p.a), root(p.b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return sorted(((p.a, p.b) for p in pairs), key=lambda k: (root(k[0]), k))


def submit_reuse(workers, pairs: list[Pair]):
    """Start finding the passages of `pairs` (of the workers' texts); `collect_reuse` the pending result."""
    keys = _grouped(pairs)
    size = max(8, len(keys) // (4 * workers.jobs) + 1)
    return workers.submit(_passages_of, [keys[i:i + size] for i in range(0, len(keys), size)])


def collect_reuse(texts: list[str], pairs: list[Pair], pending) -> list[PairReuse]:
    """`PairReuse` of each pair, in the order of `pairs`, from the result of `submit_reuse`."""
    keys = _grouped(pairs)
    by_pair = dict(zip(keys, (found for chunk in pending.results() for found in chunk)))
    out = []
    for p in pairs:
        ta, tb = texts[p.a], texts[p.b]
        spans = by_pair.pop((p.a, p.b))
        out.append(PairReuse(p, spans, _share(spans, len(ta), 0), _share(spans, len(tb), 2), ta, tb))
    return out


def _share(spans: list[tuple], length: int, side: int) -> float:
    """Share of a text covered by the passages (`side` 0: A, 2: B); as `reuse.coverage`."""
    return min(1.0, sum(s[side + 1] - s[side] for s in spans) / length) if length > 0 else 0.0


def find_reuse(texts: list[str], pairs: list[Pair], jobs: int = 1) -> list[PairReuse]:
    """The passages of each pair of `texts`, in the order of `pairs` (found in `jobs` processes)."""
    from .workers import Workers

    with Workers(texts, jobs if len(pairs) >= PARALLEL_MIN_PAIRS else 1) as workers:
        return collect_reuse(texts, pairs, submit_reuse(workers, pairs))


def load_writer() -> None:
    """Import what writing the table needs (pyarrow's JSON reader and Parquet writer, DuckDB): ~0.2 s, spent while
    the workers align."""
    import duckdb  # noqa: F401
    import pyarrow.json  # noqa: F401
    import pyarrow.parquet  # noqa: F401


class Rows:
    """The rows of `reuse_pairs`, each a tuple of `COLUMNS`, made a batch at a time (memory: one batch)."""

    BATCH = 20_000

    def __init__(self, rows) -> None:
        self._rows = rows  # a list of tuples, or a function giving an iterator of them

    def __iter__(self):
        return iter(self._rows() if callable(self._rows) else self._rows)

    def batches(self):
        batch = []
        for row in self:
            batch.append(row)
            if len(batch) >= self.BATCH:
                yield batch
                batch = []
        if batch:
            yield batch

    @staticmethod
    def arrow(batch: list[tuple]):
        """A batch as a pyarrow Table with `arrow_schema()`. Read from JSON lines by pyarrow's own reader: making
        arrays from Python lists would import pandas (0.25 s)."""
        import pyarrow.json as pj

        names = [name for name, _, _ in COLUMNS]
        data = "".join(json.dumps(dict(zip(names, row)), ensure_ascii=False) + "\n" for row in batch)
        schema = arrow_schema()
        if not batch:
            return schema.empty_table()
        table = pj.read_json(io.BytesIO(data.encode("utf-8")), parse_options=pj.ParseOptions(explicit_schema=schema))
        return table.cast(schema)  # with the schema's metadata

    @staticmethod
    def csv(batch: list[tuple], header: bool = False) -> str:
        """A batch as CSV (as the run's tables: csv.writer, text cells beginning with `=`, `+`, `-`, `@`, tab or
        CR get a leading `'`)."""
        from ..emit.csv_cells import neutralize

        text = [kind == "string" for _, kind, _ in COLUMNS]
        buf = io.StringIO()
        w = csv.writer(buf)
        if header:
            w.writerow([name for name, _, _ in COLUMNS])
        for row in batch:
            w.writerow([neutralize(v) if t and v else v for t, v in zip(text, row)])
        return buf.getvalue()


def reuse_rows(ids: list[str], found: list[PairReuse]) -> Rows:
    """The `reuse_pairs` rows of the passages found, in the order of plan A, then B, then passage."""
    def rows():
        for r in sorted(found, key=lambda r: (r.pair.a, r.pair.b)):
            a, b, a_share, b_share = ids[r.pair.a], ids[r.pair.b], round(r.a_share, 4), round(r.b_share, 4)
            ta, tb = r.text_a, r.text_b
            for k, (a0, a1, b0, b1, matched, score) in enumerate(r.spans, 1):
                x, y = ta[a0:a1], tb[b0:b1]
                yield (a, b, r.pair.score, k, a0, a1, b0, b1, x, None if x == y else y, x == y, matched, score,
                       a_share, b_share)

    return Rows(rows)


def arrow_schema():
    import pyarrow as pa

    from ..model import SCHEMA

    types = {"string": pa.string(), "int64": pa.int64(), "float64": pa.float64(), "bool": pa.bool_()}
    return pa.schema([pa.field(name, types[kind], metadata={"description": text}) for name, kind, text in COLUMNS],
                     metadata={"table": TABLE, "schema": SCHEMA})


def dataset_formats(folder: Path) -> tuple[str, ...]:
    """The formats the run that wrote `folder` chose (its manifest), else Parquet and CSV."""
    try:
        formats = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["config"]["formats"]
    except (OSError, ValueError, KeyError, TypeError):
        return ("parquet", "csv")
    return tuple(f for f in formats if f in ("parquet", "csv", "duckdb"))


def table_files(folder: Path, formats: tuple[str, ...] | None = None) -> list[str]:
    """The names of the files `write_reuse_pairs` writes in `folder`."""
    from ..emit.database import DATABASE

    folder = Path(folder)
    formats = dataset_formats(folder) if formats is None else formats
    names = [f"{TABLE}.{fmt}" for fmt in ("parquet", "csv") if fmt in formats]
    return names + ([DATABASE] if "duckdb" in formats and (folder / DATABASE).is_file() else [])


def write_reuse_pairs(folder: Path, rows: Rows, formats: tuple[str, ...] | None = None) -> list[Path]:
    """`rows` as `reuse_pairs.parquet`, `reuse_pairs.csv` (UTF-8 with BOM, spreadsheet formulas made inert as in
    the run's CSV) and a `reuse_pairs` table in `plans.duckdb` (when the dataset has one), each written whole or
    not at all; the files written. Outputs of formats not chosen are removed (they would be stale)."""
    import tempfile

    import pyarrow.parquet as pq

    from ..emit import atomic_write
    from ..emit.database import DATABASE

    folder = Path(folder)
    formats = dataset_formats(folder) if formats is None else formats
    written = []
    database = "duckdb" in formats and (folder / DATABASE).is_file()
    with tempfile.TemporaryDirectory(prefix=f".{TABLE}.", dir=folder) as scratch:
        parquet = folder / f"{TABLE}.parquet" if "parquet" in formats else Path(scratch) / f"{TABLE}.parquet"
        if "parquet" in formats or database:
            with atomic_write(parquet, "wb") as f:
                writer = pq.ParquetWriter(f, arrow_schema(), compression="zstd")
                for batch in rows.batches():
                    writer.write_table(Rows.arrow(batch))
                writer.close()
        if "parquet" in formats:
            written.append(parquet)
        if "csv" in formats:
            with atomic_write(folder / f"{TABLE}.csv", encoding="utf-8-sig", newline="") as f:
                f.write(Rows.csv([], header=True))
                for batch in rows.batches():
                    f.write(Rows.csv(batch))
            written.append(folder / f"{TABLE}.csv")
        if database:
            write_database_table(folder / DATABASE, parquet)
            written.append(folder / DATABASE)
    for fmt in ("parquet", "csv"):
        if fmt not in formats:
            (folder / f"{TABLE}.{fmt}").unlink(missing_ok=True)
    return written


def write_database_table(path: Path, parquet: Path) -> None:
    """Replace the `reuse_pairs` table of the DuckDB database at `path` with the rows of the Parquet file
    `parquet`, in one transaction."""
    import duckdb

    from ..emit.database import DUCKDB_MEMORY

    def quote(text: str) -> str:
        return "'" + text.replace("'", "''") + "'"

    con = duckdb.connect(str(path), config={"memory_limit": DUCKDB_MEMORY})
    try:
        statements = ["BEGIN TRANSACTION", f"DROP TABLE IF EXISTS {TABLE}",
                      f"CREATE TABLE {TABLE} AS SELECT * FROM read_parquet({quote(str(Path(parquet).resolve()))})",
                      f"COMMENT ON TABLE {TABLE} IS {quote(DESCRIPTION)}"]
        statements += [f'COMMENT ON COLUMN {TABLE}."{name}" IS {quote(text)}' for name, _, text in COLUMNS]
        con.execute(";\n".join(statements + ["COMMIT"]))
        con.execute("CHECKPOINT")
    finally:
        con.close()


def dictionary_section() -> str:
    """The `reuse_pairs` section of the data dictionary (Markdown), from `COLUMNS`."""
    out = [f"### `{TABLE}`", "", DESCRIPTION + " Written by `plans compare` (not by `plans run`), in the formats "
           "the run wrote: `reuse_pairs.parquet`, `reuse_pairs.csv` (UTF-8 with BOM, formula-like cells prefixed "
           "with `'` as in the run's CSV), table `reuse_pairs` in `plans.duckdb`.", "",
           "| column | type | description |", "| --- | --- | --- |"]
    out += [f"| `{name}` | `{kind}` | {text} |" for name, kind, text in COLUMNS]
    return "\n".join(out) + "\n"


GENERATE = ("python -c 'from pipeline.compare.reuse_table import document; print(document(), end=\"\")' "
            "> docs/reuse_pairs.md")


def document() -> str:
    """`docs/reuse_pairs.md` (`GENERATE` writes it; a test compares the file with this)."""
    return "\n".join([
        "# Data dictionary — tables written by `plans compare`", "",
        f"<!-- Generated from pipeline/compare/reuse_table.py (`{GENERATE}`); do not edit by hand (a test compares "
        "this file with the generated one). -->", "",
        "The tables `plans run` writes are in `data_dictionary.md`. `plans compare` adds one table to the dataset it "
        f"compares. The pairs it examines are the {TOP_PAIRS} most similar pairs of the dataset (cosine ≥ "
        f"{TOP_MIN_COSINE}) and each plan's {'' if NEIGHBOURS == 1 else f'{NEIGHBOURS} '}most similar "
        f"plan{'' if NEIGHBOURS == 1 else 's'} (cosine ≥ {NEIGHBOUR_MIN_COSINE}; `plans compare --neighbours N` "
        "examines more), among the pairs the similarity search finds (each plan's 10 nearest: exact up to "
        f"{similarity.EXACT_MAX:,} plans, MinHash/LSH candidates beyond); a pair without a reused "
        "passage has no row. The passages are the report's (`pipeline.compare.reuse`). `plans run` does not update "
        "the table: after a re-run, rows whose plan ids are still in `plans` stay right (a plan id is a hash of the "
        "plan's text, which the offsets point into), and pairs with new plans are missing until `plans compare` "
        "runs again.", "", dictionary_section()])
