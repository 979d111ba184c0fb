"""Chinese plan documents (方案, 实施方案, 實施計畫) -> one structured, comparable dataset.

Flow: ingest -> normalize -> split -> segment -> structure -> extract -> emit -> compare.
Library entry points: `pipeline.run.process_file(path)` (one file -> FileResult) and
`pipeline.run.run(inputs, out)` (a batch -> `plans.jsonl` + `manifest.json`).
"""
__version__ = "0.1.0"
