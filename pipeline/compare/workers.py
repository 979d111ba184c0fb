"""Worker processes for `compare`: forked once, after the plans' texts and jieba's dictionary are loaded, so they
share both (copy-on-write) and are sent only numbers (which texts, which pairs). Work is submitted at once and
collected later: the report is built in this process meanwhile.

Without fork (another start method) or with `jobs=1` the same functions run here, when their results are asked
for. Results are the same either way.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable

_TEXTS: list[str] = []   # the texts, as the worker processes see them (inherited by fork)


def texts() -> list[str]:
    """The texts the work is about (in a worker: inherited from the parent)."""
    return _TEXTS


class Pending:
    """Results of `func` over items, in order, computed by the workers or here on `result()`."""

    def __init__(self, func: Callable, items: list, futures: list | None) -> None:
        self._func, self._items, self._futures = func, items, futures

    def result(self) -> list:
        return list(self.results())

    def results(self):
        """The results one by one, in order; each is forgotten here once given (memory: one at a time)."""
        if self._futures is None:
            while self._items:
                yield self._func(self._items.pop(0))
            return
        while self._futures:
            yield self._futures.pop(0).result()


class Workers:
    """A pool of `jobs` processes over `texts` (none with `jobs=1` or without fork); a context manager."""

    def __init__(self, texts: list[str], jobs: int = 1) -> None:
        import multiprocessing

        global _TEXTS
        _TEXTS = texts
        self.jobs = max(1, jobs)
        self._pool = None
        if self.jobs > 1 and "fork" in multiprocessing.get_all_start_methods():
            from concurrent.futures import ProcessPoolExecutor

            self._pool = ProcessPoolExecutor(self.jobs, mp_context=multiprocessing.get_context("fork"))

    @property
    def parallel(self) -> bool:
        """Whether work runs in other processes."""
        return self._pool is not None

    def submit(self, func: Callable, items: Iterable, alone: bool = False) -> Pending:
        """Start `func` on every item (a top-level function, items that pickle); collect with `result()`. One
        item is worked here (when asked for), unless `alone`: this process has other work meanwhile."""
        items = list(items)
        futures = ([self._pool.submit(func, item) for item in items]
                   if self._pool and (len(items) > 1 or alone) else None)
        return Pending(func, items, futures)

    def close(self) -> None:
        global _TEXTS
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        _TEXTS = []

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def spans(sizes: list[int], parts: int) -> list[range]:
    """Consecutive index ranges over items of `sizes`, about `parts` of them with similar totals."""
    total = sum(sizes)
    target = max(1, total // max(1, parts))
    out, start, acc = [], 0, 0
    for i, size in enumerate(sizes):
        acc += size
        if acc >= target:
            out.append(range(start, i + 1))
            start, acc = i + 1, 0
    if start < len(sizes):
        out.append(range(start, len(sizes)))
    return out
