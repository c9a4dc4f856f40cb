"""Work already done, kept by the content it was done on, so a rebuild redoes only what changed.

Every entry is found by a key that hashes everything its value depends on: the bytes of the
files it came from and the ropa-build code itself (every module of the package, the Python
version), so an upgrade or a local change to the code never reuses stale work. Nothing is ever
invalidated by hand or by time: a changed input simply gives a new key. The folder is
disposable — delete it at any time (``make clean`` does); a missing, unreadable or corrupt
entry is a miss, never an error.

Where: ``<register>/.ropa-cache/`` (git-ignored), or the folder in the ``ROPA_CACHE_DIR``
environment variable; ``ROPA_CACHE_DIR=off`` turns caching off. Entries are pickles, so the
cache folder must be as trusted as the register's own templates (both can run code).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import pickle
import sys
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from ropa_build.errors import Problem
from ropa_build.source import Positions, Source, locate_positions

ENV = "ROPA_CACHE_DIR"
Reader = Callable[[Path, str], "tuple[Source, list[Problem]]"]
_PACKAGE = Path(__file__).resolve().parent


class Cache:
    """A folder of pickled values by key; ``Cache(None)`` remembers nothing."""

    def __init__(self, folder: Path | None):
        self.folder = folder

    @classmethod
    def for_register(cls, root: Path) -> Cache:
        chosen = os.environ.get(ENV, "")
        if chosen.lower() == "off":
            return cls(None)
        return cls(Path(chosen) if chosen else root / ".ropa-cache")

    def key(self, *parts: str | bytes) -> str:
        """A key for a value computed from ``parts`` by this version of the code."""
        digest = hashlib.sha256(code_fingerprint().encode())
        for part in parts:
            data = part.encode() if isinstance(part, str) else part
            digest.update(len(data).to_bytes(8, "little"))  # ("ab", "c") ≠ ("a", "bc")
            digest.update(data)
        return digest.hexdigest()

    def get(self, kind: str, key: str, expect: type = object) -> Any:
        """The ``expect`` stored under ``key``, or None if there is none or it cannot be read."""
        if self.folder is None:
            return None
        try:
            with open(self._path(kind, key), "rb") as handle:
                found = pickle.load(handle)
        except Exception:  # missing, truncated, from an incompatible pickle: recompute
            return None
        return found if isinstance(found, expect) else None

    def put(self, kind: str, key: str, value: Any) -> None:
        """Store ``value``; a cache that cannot be written (read-only checkout) is skipped."""
        if self.folder is None:
            return
        self._write(self._path(kind, key), pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))

    def _write(self, path: Path, data: bytes) -> bool:
        # Written aside, then renamed: a reader never sees half an entry, even from a build
        # that is killed or runs at the same time (the name aside is this process's own).
        aside = path.with_name(f".{path.name}.{os.getpid()}")
        with contextlib.suppress(OSError):
            if not path.parent.is_dir():
                path.parent.mkdir(parents=True, exist_ok=True)
            try:
                with open(aside, "wb") as handle:
                    handle.write(data)
                os.replace(aside, path)
                return True
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(aside)
                raise
        return False

    def get_parts(self, kind: str, key: str) -> Entry | None:
        """The parts stored under ``key`` (each checked against its CRC), or None."""
        if self.folder is None:
            return None
        path = self._path(kind, key)
        try:
            return Entry.read(str(path), path.read_bytes(), 0)
        except Exception:  # missing, truncated, garbage: recompute
            return None

    def put_parts(self, kind: str, key: str, parts: dict[str, bytes]) -> Entry | None:
        """Store ``parts`` as one entry whose parts can be read one by one later (by their
        :class:`Part`); None if nothing is cached (or the cache cannot be written)."""
        if self.folder is None:
            return None
        data = pack_parts(parts)
        path = self._path(kind, key)
        return Entry.read(str(path), data, 0) if self._write(path, data) else None

    def reader(self, read: Reader) -> Reader:
        """``read`` (a YAML file → source and problems), remembered by the file's bytes.

        A cached source is told where its file is now, so that positions found later (they
        are read again from the file when a finding needs one) come from the same bytes.
        """

        if self.folder is None:
            return read

        def cached(path: Path, display: str) -> tuple[Source, list[Problem]]:
            try:
                key = self.key("yaml", display, path.read_bytes())
            except OSError:  # unreadable: the reader reports it as a problem
                return read(path, display)
            found = self.get("yaml", key, tuple)
            if found is None:
                found = read(path, display)
                self.put("yaml", key, found)
            elif found[0].file is not None:
                found[0].file = path
            found[0].digest = key  # the bytes' identity, so later stages need not read them again
            if found[0].file is not None:  # positions, when a finding needs them, kept too
                found[0].locate_with(functools.partial(self._positions, key))
            return found

        return cached

    def _positions(self, key: str, path: Path) -> Positions:
        """A file's positions (:func:`ropa_build.source.locate_positions`), kept by the key of
        its bytes: a warning that a rebuild reports again is placed without parsing again."""
        found = self.get("positions", key, tuple)
        if found is None:
            found = locate_positions(path)
            self.put("positions", key, found)
        return found

    def _path(self, kind: str, key: str) -> Path:
        assert self.folder is not None
        return self.folder / kind / key[:2] / key


class Part(NamedTuple):
    """Where one part of an entry is: a file, an offset and a length (read with :func:`read`)."""

    file: str
    offset: int
    length: int


def read(part: Part) -> bytes:
    with open(part.file, "rb") as handle:
        handle.seek(part.offset)
        return handle.read(part.length)


def pack_parts(parts: dict[str, bytes]) -> bytes:
    """An entry of named parts: a small header (each part's name, length and CRC-32), then the
    parts themselves, so a reader can take one part without unpickling the others."""
    header = pickle.dumps(
        [(name, len(data), zlib.crc32(data)) for name, data in parts.items()], protocol=5
    )
    return b"".join([len(header).to_bytes(4, "little"), header, *parts.values()])


@dataclass(frozen=True)
class Entry:
    """An entry's parts, and its bytes as just read or written (so they are not read again)."""

    parts: dict[str, Part]
    data: bytes
    base: int  # where ``data`` starts in its file

    @classmethod
    def read(cls, file: str, data: bytes, base: int) -> Entry:
        """The parts of ``data`` (made by :func:`pack_parts`); ValueError if it is not whole."""
        size = int.from_bytes(data[:4], "little")
        offset, found = 4 + size, {}
        for name, length, crc in pickle.loads(data[4 : 4 + size]):
            if zlib.crc32(memoryview(data)[offset : offset + length]) != crc:
                raise ValueError(f"part {name} of {file} is damaged")
            found[name] = Part(file, base + offset, length)
            offset += length
        if offset != len(data):
            raise ValueError(f"{file} has trailing bytes")
        return cls(found, data, base)

    def part(self, name: str) -> bytes:
        part = self.parts[name]
        return self.data[part.offset - self.base : part.offset - self.base + part.length]


def file_digest(files: Iterable[tuple[str, Path]]) -> str:
    """One hash over ``(name, path)`` pairs: the names given (not where the files are, so a
    moved register keeps its cache) and the files' bytes."""
    digest = hashlib.sha256()
    for name, path in files:
        for part in (name.encode(), path.read_bytes()):
            digest.update(len(part).to_bytes(8, "little"))
            digest.update(part)
    return digest.hexdigest()


@functools.cache
def code_fingerprint() -> str:
    """The ropa-build code and the versions of what pickles depend on.

    Hashing the package's own sources, not just its version number, means an edited checkout
    (``pip install -e``) never reads entries made by other code.
    """
    import pydantic

    sources = sorted(_PACKAGE.rglob("*.py"))
    named = ((p.relative_to(_PACKAGE).as_posix(), p) for p in sources)
    return file_digest(named) + f"|{sys.version}|{pydantic.VERSION}"
