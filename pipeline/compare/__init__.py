"""Compare: read a run's emitted dataset and compare its plans — similarity, reused passages with offsets,
timelines, owners, rules — in a self-contained HTML report (`compare`) or through the functions below
(used by the notebook). Reads emitted data only (`plans.jsonl`); of the pipeline it uses only `segment.words`
(the same jieba words as extraction) and emit's file writing. It writes one table of its own into the dataset,
`reuse_pairs` (`reuse_table`).
"""
from .align import align_units, unit_kind, units
from .load import Dataset, EmptyDataset, load_dataset
from .report import compare, render_report
from .reuse import Passage, reused_passages
from .reuse_table import PairReuse, find_reuse, pairs_to_examine, reuse_rows, write_reuse_pairs
from .similarity import Pair, clusters, similarity_matrix, tfidf, top_pairs
from .timeline import phase_bars, timeline_figure

__all__ = [
    "Dataset", "EmptyDataset", "Pair", "PairReuse", "Passage", "align_units", "clusters", "compare", "find_reuse",
    "load_dataset", "pairs_to_examine", "phase_bars", "render_report", "reuse_rows", "reused_passages",
    "similarity_matrix", "tfidf", "timeline_figure", "top_pairs", "unit_kind", "units", "write_reuse_pairs",
]
