"""Run one command in a fresh process and measure it: wall time, CPU time, memory of its tree.

Why a process tree: ``ropa build`` forks worker processes (and a child that renders
``register.html``), so the memory a build needs is the sum over the parent and its workers, not
the largest process (which is all ``getrusage``'s ``ru_maxrss`` can say). A thread of the
measuring process samples ``VmRSS`` from ``/proc/<pid>/status`` of the command and every
descendant every ~20 ms and keeps the largest sum; a peak shorter than that can be missed (the
sum reported is at least the exact peak of the largest process, from ``wait4``). The sum counts
pages that forked workers still share with their parent once per process, as ``ps`` and
``top`` do (the independent measurement of 1 December 2026 reported the same sum).

CPU time is user + system of the whole tree: ``os.wait4`` returns the command's own usage plus
that of every descendant it waited for (ropa joins its workers). The wall clock stops when
``wait4`` returns, so the sampler does not blur short timings.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import NamedTuple

PROC = Path("/proc")
INTERVAL_S = 0.02


class Measured(NamedTuple):
    """One run: wall time (s), CPU time of the tree (s), peak memory of the tree and of its
    largest process (MB; 0 where not sampled)."""

    seconds: float
    cpu_s: float
    rss_mb: float
    rss_largest_mb: float


def measure(
    command: list[str],
    env: dict[str, str] | None = None,
    *,
    sample: bool = True,
    cwd: Path | None = None,
) -> Measured:
    """Run ``command`` (stdout discarded) and measure it; a non-zero exit stops the benchmark
    with the command's stderr. ``sample=False`` skips the memory sampler (for start-up times,
    where one more thread in the measuring process is noise)."""
    with tempfile.TemporaryFile() as stderr:
        start = time.perf_counter()
        process = subprocess.Popen(
            command,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            env={**os.environ, **(env or {})},
            cwd=cwd,
        )
        sampler = _Sampler(process.pid) if sample else None
        if sampler:
            sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)  # Popen must not wait again
        if sampler:
            sampler.stop()
        stderr.seek(0)
        message = stderr.read().decode("utf-8", "replace")
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed (exit {process.returncode}):\n{message}")
    # ru_maxrss (KiB) is the exact peak of the largest process reaped; samples can miss a
    # short peak, and the tree at that moment held at least that process.
    largest = max(usage.ru_maxrss, sampler.peak_largest_kb if sampler else 0) / 1024
    return Measured(
        seconds=elapsed,
        cpu_s=usage.ru_utime + usage.ru_stime,
        rss_mb=max(sampler.peak_sum_kb / 1024, largest) if sampler else 0.0,
        rss_largest_mb=largest,
    )


class _Sampler(threading.Thread):
    """Every ``INTERVAL_S``: the sum and the largest ``VmRSS`` of ``root`` and its descendants.

    Descendants are found by parent pid: this kernel has no ``/proc/<pid>/task/<tid>/children``,
    so each round lists ``/proc`` and reads the parent of each process it has not seen before
    (a few hundred small reads once, then only new pids).
    """

    def __init__(self, root: int) -> None:
        super().__init__(daemon=True)
        self.root = root
        self.peak_sum_kb = 0
        self.peak_largest_kb = 0
        self._parents: dict[int, int] = {}
        self._done = threading.Event()

    def run(self) -> None:
        while not self._done.is_set():
            sizes = [_rss_kb(pid) for pid in self._tree()]
            self.peak_sum_kb = max(self.peak_sum_kb, sum(sizes))
            self.peak_largest_kb = max(self.peak_largest_kb, *sizes, 0)
            self._done.wait(INTERVAL_S)

    def stop(self) -> None:
        self._done.set()
        self.join()

    def _tree(self) -> list[int]:
        alive = {int(name) for name in os.listdir(PROC) if name.isdigit()}
        for pid in self._parents.keys() - alive:  # gone: its pid may be reused by a new process
            del self._parents[pid]
        for pid in alive - self._parents.keys():
            self._parents[pid] = _parent(pid)
        children: dict[int, list[int]] = {}
        for pid, parent in self._parents.items():
            children.setdefault(parent, []).append(pid)
        tree, todo = [], [self.root]
        while todo:
            pid = todo.pop()
            tree.append(pid)
            todo += children.get(pid, [])
        return tree


def _parent(pid: int) -> int:
    """The parent pid from ``/proc/<pid>/stat`` (after the command name, which may hold
    spaces and parentheses); -1 for a process that has already gone."""
    try:
        stat = (PROC / str(pid) / "stat").read_bytes()
    except OSError:
        return -1
    return int(stat[stat.rindex(b")") + 2 :].split()[1])


def _rss_kb(pid: int) -> int:
    """``VmRSS`` in KiB; 0 for a process that has gone or is a zombie (no such line)."""
    try:
        status = (PROC / str(pid) / "status").read_bytes()
    except OSError:
        return 0
    for line in status.splitlines():
        if line.startswith(b"VmRSS:"):
            return int(line.split()[1])
    return 0
