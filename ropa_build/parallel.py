"""Use both cores where the work splits: per-activity work, and formats rendered side by side.

Workers are forked, so they start with everything the parent has already read (no pickling
of the register on the way in); only results travel back, in the order of the inputs, so a
parallel build writes the same bytes as a serial one. Where fork is not available (Windows,
macOS' default) everything runs in the parent.

A :class:`UserError` raised in a worker (a template error, say) comes back as the same user error
in the parent; any other exception keeps the worker's traceback, because it is a bug.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import traceback
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from ropa_build.errors import UserError

Progress = Callable[[int, int], None]

# Below this many items a pool costs more (about 30 ms to fork and collect) than it saves.
MIN_ITEMS = 64
_CHUNK = 16


def jobs_available() -> int:
    """How many processes a build may use: ``ROPA_JOBS``, else the CPUs it may run on."""
    chosen = os.environ.get("ROPA_JOBS", "")
    if chosen.isdigit() and int(chosen) > 0:
        return int(chosen)
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1


def spread(
    func: Callable[[Any], Any], items: Sequence, jobs: int, progress: Progress | None = None
) -> list:
    """``[func(item) for item in items]``, over ``jobs`` processes when that pays."""
    total, results = len(items), []
    if jobs < 2 or total < MIN_ITEMS or not _can_fork():
        return _collect((_serial(func, item) for item in items), total, progress)
    context = multiprocessing.get_context("fork")
    with context.Pool(jobs, initializer=_adopt, initargs=(func,)) as pool:
        results = _collect(pool.imap(_run, items, chunksize=_CHUNK), total, progress)
    return results


def beside(tasks: Sequence[Callable[[], Any]], jobs: int) -> list:
    """``[task() for task in tasks]``, the first in a forked child while the parent runs the rest.

    For the register-wide outputs: one format assembles in a child while the parent assembles
    the others, each from the same view the child inherited; results (the names of the files
    written) come back in the order of ``tasks``.
    """
    if jobs < 2 or len(tasks) < 2 or not _can_fork():
        return [task() for task in tasks]
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: run, report, and leave without running the parent's cleanup
        try:
            os.close(reader)
            outcome = _outcome(lambda _: tasks[0](), None)
            with os.fdopen(writer, "wb") as report:
                pickle.dump(outcome, report)
        finally:
            os._exit(0)
    os.close(writer)
    try:
        rest = [task() for task in tasks[1:]]
    finally:
        with os.fdopen(reader, "rb") as report:
            data = report.read()
        os.waitpid(pid, 0)
    if not data:
        raise RuntimeError("a worker process died before it reported (killed, out of memory?)")
    return [*_collect([pickle.loads(data)], 1, None), *rest]


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


_FUNC: Callable[[Any], Any] | None = None  # set in each pool worker by _adopt


def _adopt(func: Callable[[Any], Any]) -> None:
    global _FUNC
    _FUNC = func


def _run(item: Any) -> tuple[str, Any]:
    assert _FUNC is not None
    return _outcome(_FUNC, item)


def _serial(func: Callable[[Any], Any], item: Any) -> tuple[str, Any]:
    """In the parent a bug simply raises, with its own traceback."""
    try:
        return "ok", func(item)
    except UserError as error:
        return "user", error.problems


def _outcome(func: Callable[[Any], Any], item: Any) -> tuple[str, Any]:
    """A result, a user error's problems, or a bug's traceback — all of which pickle."""
    try:
        return "ok", func(item)
    except UserError as error:
        return "user", error.problems
    except Exception:
        return "bug", traceback.format_exc()


def _collect(outcomes: Iterable[tuple[str, Any]], total: int, progress: Progress | None) -> list:
    results, problems = [], []
    for done, (kind, value) in enumerate(outcomes, 1):
        if kind == "bug":
            raise RuntimeError(f"a worker failed:\n{value}")
        if kind == "user":
            problems += value
        else:
            results.append(value)
        if progress:
            progress(done, total)
    if problems:
        raise UserError(sorted(set(problems)))
    return results
