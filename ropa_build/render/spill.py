"""Pieces kept on disk between the moment a worker makes them and the moment they are assembled.

Ten thousand activities make about 450 MB of pieces; held in memory (and copied from the workers
to the parent) they were most of a build's peak. Instead each process appends the pieces it makes
to a file of its own, and the parent gets back only where each one is — a few numbers — and reads
them one at a time, in order, as a register-wide file is streamed.

Appends are single unbuffered writes to a file only its process writes, so nothing is lost when a
worker pool is torn down and no two writers share an offset.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple


class Spilled(NamedTuple):
    """Where one piece is: a spill file's name, its offset and length."""

    file: str
    offset: int
    length: int


class Spill:
    """A folder of spill files, one per process: ``add`` in any process, ``pieces`` in the
    parent."""

    def __init__(self, folder: Path):
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self._own: tuple[int, int, int] | None = None  # (pid, fd, size) of this process's file

    def add(self, piece: Any) -> Spilled:
        data = pickle.dumps(piece, protocol=pickle.HIGHEST_PROTOCOL)
        pid, fd, size = self._file()
        written = os.write(fd, data)
        while written < len(data):  # a short write (rare; a full disk raises)
            written += os.write(fd, data[written:])
        self._own = (pid, fd, size + len(data))
        return Spilled(f"{pid}.pieces", size, len(data))

    def pieces(self, where: Sequence[Spilled]) -> Pieces:
        return Pieces(self.folder, where)

    def close(self) -> None:
        if self._own is not None and self._own[0] == os.getpid():
            os.close(self._own[1])
        self._own = None

    def _file(self) -> tuple[int, int, int]:
        pid = os.getpid()
        if self._own is None or self._own[0] != pid:  # first piece, or a forked worker's first
            path = self.folder / f"{pid}.pieces"
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            self._own = (pid, fd, os.fstat(fd).st_size)
        return self._own


class Pieces(Sequence):
    """The pieces at ``where``, read from disk one at a time as they are asked for."""

    def __init__(self, folder: Path, where: Sequence[Spilled]):
        self.folder, self.where = folder, where
        self._open: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self.where)

    def __getitem__(self, index):  # a slice is not needed by any format
        file, offset, length = self.where[index]
        fd = self._open.get(file)
        if fd is None:
            fd = self._open[file] = os.open(self.folder / file, os.O_RDONLY)
        return pickle.loads(os.pread(fd, length, offset))

    def close(self) -> None:
        for fd in self._open.values():
            os.close(fd)
        self._open.clear()
