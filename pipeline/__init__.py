"""Chinese plan documents (方案, 实施方案, 實施計畫) -> one structured, comparable dataset.

Flow: ingest -> normalize -> split -> segment -> structure -> extract -> emit -> compare.

The Python API (loaded on first use, so `import pipeline` stays light):

    from pipeline import process_text, process_file, read_dataset
    plans = process_text("为加强安全管理，特制定本方案。…")   # -> list[Plan]
    result = process_file("plan.docx")                          # -> FileResult: .plans or .error
    plans[0].to_dict()                                          # one `plans.jsonl` object (JSON Schema valid)
    tables = read_dataset("outputs")                            # -> {"plans": DataFrame, "tasks": …}

Batches: `pipeline.run.run(inputs, out)` and `pipeline.run.add(inputs, out)` (what `plans run` / `plans add`
do) return a `RunResult`; `pipeline.compare.compare(out, "report.html")` writes the report.
"""
__version__ = "0.1.0"

__all__ = ["FileResult", "Plan", "__version__", "process_file", "process_text", "read_dataset"]

_API = {"process_file": "api", "process_text": "api", "read_dataset": "api", "Plan": "model",
        "FileResult": "model"}


def __getattr__(name: str):
    if name in _API:
        from importlib import import_module

        value = getattr(import_module(f"{__name__}.{_API[name]}"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
