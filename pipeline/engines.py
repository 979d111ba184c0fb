"""Engines: map the per-file work over the inputs and yield results in input order.

- `serial`: in this process;
- `processes`: a pool of local worker processes (`--jobs N`), a bounded window of files in flight so memory
  does not grow with the number of files;
- `dask`: a dask.distributed cluster (`--engine dask --scheduler tcp://host:8786`, or a LocalCluster).
Results come back in input order whatever the engine, so the output is identical.
"""
from __future__ import annotations

import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

WINDOW_PER_WORKER = 4


def serial(func: Callable, items: Iterable) -> Iterator:
    for item in items:
        yield func(item)


def forks() -> bool:
    """Whether `processes` starts its workers by fork: they then share the parent's loaded models (copy-on-write)
    instead of each loading a private copy."""
    import multiprocessing

    return multiprocessing.get_start_method() == "fork"


def processes(func: Callable, items: Iterable, jobs: int, initializer: Callable | None = None) -> Iterator:
    """`func` over `items` in `jobs` worker processes, results in order. Ctrl-C is the parent's alone: the workers
    ignore SIGINT, and it is held back while the pool starts them, so an interrupt neither kills a worker before it
    could ignore it nor lands inside the pool's own bookkeeping; it reaches this process as soon as `submit` returns."""
    from concurrent.futures import ProcessPoolExecutor

    pool = ProcessPoolExecutor(max_workers=jobs, initializer=_start_worker, initargs=(initializer,))

    def submit(f, x):
        with _sigint_held():
            return pool.submit(f, x)

    try:
        yield from _windowed(submit, func, items, jobs * WINDOW_PER_WORKER)
    finally:  # stopped early (Ctrl-C, an error): the items not started are dropped, not worked off
        pool.shutdown(wait=True, cancel_futures=True)


@contextmanager
def _sigint_held():
    """SIGINT blocked in this thread for the duration; processes and threads started meanwhile inherit the block.
    A signal that arrives meanwhile is delivered when the block is lifted."""
    if not hasattr(signal, "pthread_sigmask"):  # not POSIX
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _start_worker(initializer: Callable | None) -> None:
    """A worker process: SIGINT ignored (then no longer blocked, see `_sigint_held`), then the caller's set-up."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    if initializer is not None:
        initializer()


def dask(func: Callable, items: Iterable, scheduler: str | None = None, jobs: int | None = None) -> Iterator:
    """`func` over `items` on a dask.distributed cluster, results in order. Without a scheduler address a
    LocalCluster of `jobs` single-threaded worker processes is started for the run."""
    from distributed import Client, LocalCluster

    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        cluster = LocalCluster(n_workers=jobs or 1, threads_per_worker=1, processes=True,
                               dashboard_address=None)
        client = Client(cluster)
    try:
        n = max(1, len(client.scheduler_info().get("workers", {})) or (jobs or 1))
        submit = lambda f, x: client.submit(f, x, pure=False)  # noqa: E731
        yield from _windowed(submit, func, items, n * WINDOW_PER_WORKER)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _windowed(submit: Callable, func: Callable, items: Iterable, window: int) -> Iterator:
    """Keep at most `window` submitted items in flight; yield their results in submission order."""
    pending: deque = deque()
    for item in items:
        pending.append(submit(func, item))
        if len(pending) >= window:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()
