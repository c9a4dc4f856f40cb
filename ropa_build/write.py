"""Stage 5: put the outputs in place all at once, or not at all.

Everything is written into a fresh folder beside the destination; only when every file is
written is that folder swapped in for the old one. A failed or interrupted build leaves the
previous output exactly as it was; two builds at once take turns at the swap (a lock file),
so neither sees the other's half-written files.

The destination must be empty, absent, or a folder this tool made (it holds a marker file):
replacing a whole folder is only safe when we know we own it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path

from ropa_build.errors import Problem, UserError

MARKER = ".ropa-build-output"


def write(out: Path, files: dict[str, bytes]) -> list[Path]:
    """Write ``files`` (relative path → bytes) as the new content of ``out``; return the paths."""
    out = out.resolve()
    _check_owned(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    umask = os.umask(0)
    os.umask(umask)
    staging.chmod(0o777 & ~umask)  # mkdtemp makes it private; the output is an ordinary folder
    try:
        for name, data in sorted(files.items()):
            target = (staging / name).resolve()
            if not target.is_relative_to(staging):
                raise ValueError(f"output path escapes the output folder: {name!r}")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        (staging / MARKER).write_text(
            "made by ropa build; this whole folder is replaced on every build\n"
        )
        with _lock(out):
            _swap(staging, out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return [out / name for name in sorted(files)]


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


def _swap(staging: Path, out: Path) -> None:
    """Replace ``out`` by ``staging`` with two renames; the old folder is removed afterwards."""
    old = None
    if out.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
        os.rename(out, old / "previous")
    os.rename(staging, out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


@contextlib.contextmanager
def _lock(out: Path):
    """An exclusive lock beside ``out`` (POSIX); elsewhere builds simply must not overlap."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    with open(out.parent / f".{out.name}.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
