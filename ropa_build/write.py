"""Stage 5: put the outputs in place all at once, or not at all.

Everything is written into a fresh folder beside the destination; only when every file is
written is that folder swapped in for the old one. A failed or interrupted build leaves the
previous output exactly as it was; two builds at once take turns at the swap (a lock file),
so neither sees the other's half-written files.

Files go into the staging folder as soon as they are rendered (:func:`staged`), so a register of
ten thousand activities never has to sit in memory as bytes, and worker processes can write
their share directly. A staging folder left behind by a killed build starts with a dot and is
never the output; the next build in the same place removes it.

The destination must be empty, absent, or a folder this tool made (it holds a marker file):
replacing a whole folder is only safe when we know we own it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from ropa_build.errors import Problem, UserError

MARKER = ".ropa-build-output"


class Staging:
    """The folder a build writes into before it becomes the output.

    A file can be put with the key of the cache entry it came from; the output then remembers
    the key (in its marker file), and the next build links the file from the previous output
    instead of writing it again when its key is the same — a rebuild of ten thousand activities
    after a one-line change writes one activity's document, not ten thousand.
    """

    def __init__(self, folder: Path, previous: Path | None = None):
        self.folder = folder
        self.names: set[str] = set()  # relative paths of the files written, wherever written
        self.keys: dict[str, str] = {}  # name → key, for the files put with one
        self.previous = previous
        self._before = _manifest(previous) if previous else {}

    def adopt(self, name: str, key: str = "") -> None:
        """Record a file that another process (a worker, with its own copy of this) wrote."""
        self.names.add(name)
        if key:
            self.keys[name] = key

    def link_made_from(self, key: str) -> bool:
        """Link every file of the previous output made from ``key``; False if there is none, or
        one could not be linked (then nothing of them counts as done)."""
        names = [name for name, (made, _) in self._before.items() if key and made == key]
        linked = [name for name in names if self.link(name, key)]
        if linked and len(linked) == len(names):
            return True
        for name in linked:  # a partial set is no use: the files are made afresh
            (self.folder / name).unlink()
            self.names.discard(name)
            self.keys.pop(name, None)
        return False

    def link(self, name: str, key: str) -> bool:
        """Link ``name`` from the previous output if it was made from ``key``; False if not."""
        before = self._before.get(name)
        if not key or before is None or before[0] != key or self.previous is None:
            return False
        source, target = self.previous / name, self.folder / name
        try:
            if source.stat().st_size != before[1]:  # changed by hand since: make it afresh
                return False
            target.parent.mkdir(parents=True, exist_ok=True)
            os.link(source, target)
        except OSError:  # gone, or a file system without hard links: write it
            return False
        self.adopt(name, key)
        return True

    def put(self, name: str, data: bytes | Iterable[str], key: str = "") -> None:
        """Write one output file (``name`` is relative, with ``/``); it may not leave the folder.

        ``data`` is bytes, or text in pieces (UTF-8), written as they come. A worker process
        writes through its own copy: the render stage adds the names it reports to ``names``.
        """
        target = (self.folder / name).resolve()
        if not target.is_relative_to(self.folder):
            raise ValueError(f"output path escapes the output folder: {name!r}")
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            target.write_bytes(data)
        else:
            with open(target, "w", encoding="utf-8", newline="") as out:
                out.writelines(data)
        self.adopt(name, key)


@contextlib.contextmanager
def staged(out: Path) -> Iterator[Staging]:
    """A staging folder that replaces ``out`` when the block ends normally, and vanishes if not."""
    out = out.resolve()
    _check_owned(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.ExitStack() as stack:
        with _lock(out):  # no other build sweeps while ours is made and not yet locked
            _remove_leftovers(out)
            folder = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
            stack.callback(shutil.rmtree, folder, ignore_errors=True)
            stack.enter_context(_held(folder, wait=True))  # in use until it is the output
        umask = os.umask(0)
        os.umask(umask)
        folder.chmod(0o777 & ~umask)  # mkdtemp makes it private; the output is ordinary
        staging = Staging(folder, out if out.is_dir() else None)
        yield staging
        keys = "".join(
            f"{key} {(folder / name).stat().st_size} {name}\n"
            for name, key in sorted(staging.keys.items())
        )
        (folder / MARKER).write_text(
            "made by ropa build; this whole folder is replaced on every build\n" + keys,
            encoding="utf-8",
        )
        with _lock(out):
            _swap(folder, out)


def _manifest(out: Path) -> dict[str, tuple[str, int]]:
    """The files of a previous output that were made from a cache entry: name → (key, size)."""
    try:
        lines = (out / MARKER).read_text(encoding="utf-8").splitlines()[1:]
    except (OSError, UnicodeDecodeError):
        return {}
    found = {}
    for line in lines:
        key, size, name = [*line.split(" ", 2), "", ""][:3]
        if len(key) == 64 and size.isdigit() and name:
            found[name] = (key, int(size))
    return found


def _check_owned(out: Path) -> None:
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file():
        raise UserError(
            [
                Problem(
                    str(out),
                    1,
                    1,
                    "output-not-ours",
                    "the output folder holds files ropa build did not make",
                    "choose an empty or new folder with --out; nothing was written",
                )
            ]
        )


def _remove_leftovers(out: Path) -> None:
    """Remove staging folders of killed builds: their lock died with their process."""
    for folder in out.parent.glob(f".{out.name}.new-*"):
        with contextlib.suppress(OSError), _held(folder, wait=False) as free:
            if free:
                shutil.rmtree(folder, ignore_errors=True)


def _swap(staging: Path, out: Path) -> None:
    """Replace ``out`` by ``staging`` with two renames; the old folder is removed afterwards."""
    old = None
    for stale in out.parent.glob(f".{out.name}.old-*"):  # a swap was killed; we hold the lock
        shutil.rmtree(stale, ignore_errors=True)
    if out.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
        os.rename(out, old / "previous")
    os.rename(staging, out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


@contextlib.contextmanager
def _lock(out: Path):
    """An exclusive lock beside ``out``, so two builds take turns at the swap."""
    out.parent.joinpath(f".{out.name}.lock").touch()
    with _held(out.parent / f".{out.name}.lock", wait=True):
        yield


@contextlib.contextmanager
def _held(path: Path, *, wait: bool) -> Iterator[bool]:
    """An exclusive flock on ``path`` (a file or folder); yields whether it was had.

    The kernel drops the lock when the holder dies, which is how a killed build's staging folder
    is told from a running one's. Without POSIX locks (Windows) nothing is locked and leftovers
    stay.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield wait
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(fd)  # closing releases the lock
