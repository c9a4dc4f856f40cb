"""Pieces kept on disk between the moment a worker makes them and the moment they are assembled,
when there is no cache to keep them in.

Ten thousand activities make about 450 MB of pieces; held in memory (and copied from the workers
to the parent) they were most of a build's peak. With a cache, a piece stays where the cache
stored it and the parent reads it from there; without one, each process appends its pieces to a
file of its own here. Either way the parent gets back only where each piece is — a few numbers —
and reads them one at a time, in order, as a register-wide file is streamed.

Appends are single unbuffered writes to a file only its process writes, so nothing is lost when a
worker pool is torn down and no two writers share an offset.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Sequence
from pathlib import Path

from ropa_build.cache import Entry, Part, pack_parts

_OPEN_AT_MOST = 16


class Spill:
    """A folder of spill files, one per process: ``put_parts`` in any process."""

    def __init__(self, folder: Path):
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self._own: tuple[int, int, int] | None = None  # (pid, fd, size) of this process's file

    def put_parts(self, parts: dict[str, bytes]) -> Entry:
        data = pack_parts(parts)
        pid, fd, size = self._file()
        written = os.write(fd, data)
        while written < len(data):  # a short write (rare; a full disk raises)
            written += os.write(fd, data[written:])
        self._own = (pid, fd, size + len(data))
        return Entry.read(str(self.folder / f"{pid}.pieces"), data, size)

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
    """The pickled pieces at ``where`` (in the cache or a spill), read one at a time."""

    def __init__(self, where: Sequence[Part]):
        self.where = where
        self._open: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self.where)

    def __getitem__(self, index):  # a slice is not needed by any format
        file, offset, length = self.where[index]
        fd = self._open.get(file)
        if fd is None:
            if len(self._open) >= _OPEN_AT_MOST:  # cached pieces are a file each: keep few open
                os.close(self._open.pop(next(iter(self._open))))
            fd = self._open[file] = os.open(file, os.O_RDONLY)
        return pickle.loads(os.pread(fd, length, offset))

    def close(self) -> None:
        for fd in self._open.values():
            os.close(fd)
        self._open.clear()
