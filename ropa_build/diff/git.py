"""Revisions → registers: read both sides of a diff from git, through the build's own stages.

A revision's register files (``organisation.yaml``, ``catalogue.yaml``, ``records/*.yaml``, and
the vocabularies in ``schema/*.yaml``) are written into a temporary folder and read with
:func:`ropa_build.load.load` and :func:`ropa_build.validate.validate`, exactly as a build reads a
folder: what is compared is the validated register, and no reading rule exists twice. Templates
are not materialised: they change how the register looks, not what it says.

Only ``git`` subprocesses are used (``rev-parse``, ``merge-base``, ``ls-tree``, ``cat-file
--batch``), never the network. The working tree is the register folder itself.

A side that does not validate is still compared (its problems are reported as "in BASE"): the
records with errors are compared as written (their raw YAML data), the others validated. If the
organisation, the catalogue or a vocabulary is invalid, every record of that side is compared as
written.
"""

from __future__ import annotations

import dataclasses
import os
import subprocess
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ropa_build.errors import Problem, UserError, did_you_mean
from ropa_build.load import Reader, Sources, load
from ropa_build.models import Record
from ropa_build.source import read_yaml
from ropa_build.validate import Register, validate
from ropa_build.vocabulary import Vocabulary, load_vocabulary

WORKING_TREE = None  # the HEAD of a diff that reads the folder as it is on disk
# A revision's files are written out to be read back at once: into memory where the system has
# a RAM file system (Linux's /dev/shm), as writing thousands of small files to a disk-backed
# /tmp can cost more than reading and validating them (2.7 s against 0.05 s for 2,000 files on
# the machine this was measured on).
_MEMORY = "/dev/shm" if os.access("/dev/shm", os.W_OK | os.X_OK) else None


class GitError(Exception):
    """git cannot give what was asked (not a repository, no such revision, a shallow clone).

    A usage problem, not a problem in the register: the CLI exits 2 with ``message`` and ``hint``.
    """

    def __init__(self, message: str, hint: str = ""):
        self.message, self.hint = message, hint
        super().__init__(f"{message} — {hint}" if hint else message)


@dataclass(frozen=True)
class Entry:
    """One record as a side has it: its validated model, or None if it is invalid."""

    id: str
    path: str
    text: str
    raw: Any  # the data as written
    model: Record | None  # None: the record did not validate; compare ``raw``

    def validated(self) -> Any:
        """The validated record as JSON-ready data (made only for records that changed: it is
        the most expensive step of a diff of thousands of records)."""
        return self.model.model_dump(mode="json") if self.model is not None else None


@dataclass(frozen=True)
class Snapshot:
    """One side of a diff: a register read at a revision (or from the working tree)."""

    label: str  # "main (1a2b3c4)" or "working tree"
    commit: str | None  # None: the working tree
    organisation: tuple[Any, Any]  # (validated, as written); validated is None if invalid
    catalogue: tuple[Any, Any]
    vocabulary: dict[str, Any]
    records: dict[str, Entry] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()
    valid: bool = True  # the organisation and catalogue validated
    special: frozenset[str] = frozenset()  # data categories of kind art9, art10 or cpr
    register: Register | None = None  # the validated register (its valid part), for rendering
    blobs: dict[str, str] = field(default_factory=dict)  # path inside the register → git blob


def read_revisions(
    root: Path, base: str | None, head: str | None, read: Reader = read_yaml
) -> tuple[Snapshot, Snapshot]:
    """The register at ``base`` (default: the merge-base with the default branch) and at
    ``head`` (default: the working tree). Raises :class:`GitError` for git's problems.

    ``read`` reads one YAML file: a build's cached reader makes the files both sides share
    (most of them) cost one parse.
    """
    top, prefix = _repository(root)
    base_commit, base_label = _resolve(top, base) if base else _default_base(top)
    old = _snapshot_at(top, prefix, base_commit, base_label, read)
    if head is WORKING_TREE:
        return old, _snapshot(root, "working tree", None, read)
    head_commit, head_label = _resolve(top, head)
    return old, _snapshot_at(top, prefix, head_commit, head_label, read, like=old)


def read_revision(
    root: Path, commit: str, read: Reader = read_yaml, records: frozenset[str] | None = None
) -> Snapshot:
    """The register at ``commit`` (a full commit id, as ``git log`` prints it): one side, for
    a walk over many commits (the change log). ``records``: only these record files (paths
    inside the register, ``records/x.yaml``) besides the organisation, catalogue and
    vocabularies — both sides of a commit that changed only them compare as the whole would,
    at the cost of the few files it changed."""
    top, prefix = _repository(root)
    return _snapshot_at(top, prefix, commit, commit[:7], read, records=records)


# --- git ------------------------------------------------------------------------------------


def _git(top: Path | str, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "GIT_LITERAL_PATHSPECS": "1", "LC_ALL": "C"}  # names as written
    try:
        return subprocess.run(
            ["git", "-C", str(top), *args],
            input=stdin,
            capture_output=True,
            env=env,
            check=False,
        )
    except FileNotFoundError as error:
        raise GitError("git is not installed", "install git; ropa diff reads history") from error


def _out(done: subprocess.CompletedProcess) -> str:
    return done.stdout.decode("utf-8", "replace").strip()


def git_output(folder: Path, *args: str) -> str | None:
    """What ``git -C folder ARGS`` prints, stripped; None if git fails or is not installed
    (provenance and the change log ask git questions that may have no answer)."""
    try:
        done = _git(folder, *args)
    except GitError:
        return None
    return _out(done) if done.returncode == 0 else None


def _repository(root: Path) -> tuple[Path, str]:
    if not root.is_dir():
        raise GitError(f"{root} is not a folder", "pass the register's folder with --root")
    done = _git(root, "rev-parse", "--show-toplevel", "--show-prefix")
    if done.returncode != 0:
        raise GitError(
            f"{root} is not inside a git repository, so there is no history to compare",
            "run `git init` and commit the register, or run ropa diff in a clone",
        )
    top, _, prefix = _out(done).partition("\n")
    return Path(top), prefix.strip()


def _resolve(top: Path, revision: str) -> tuple[str, str]:
    done = _git(
        top, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}"
    )
    if done.returncode == 0:
        commit = _out(done)
        return commit, f"{revision} ({commit[:7]})"
    if _shallow(top):
        raise _shallow_error(f"no revision '{revision}' in this clone")
    names = _out(_git(top, "for-each-ref", "--format=%(refname:short)")).splitlines()
    hint = did_you_mean(revision, names, "see `git log --oneline` and `git branch -a`")
    raise GitError(f"no revision '{revision}' in this repository", hint)


def _shallow(top: Path) -> bool:
    return _out(_git(top, "rev-parse", "--is-shallow-repository")) == "true"


def _shallow_error(what: str) -> GitError:
    return GitError(
        f"{what}, which is shallow (its history is cut off)",
        "if it is an older commit, fetch the history: `git fetch --unshallow`; in GitHub "
        "Actions give actions/checkout `fetch-depth: 0`",
    )


def _default_base(top: Path) -> tuple[str, str]:
    """The merge-base of HEAD with the default branch: ``origin/HEAD``, else main or master."""
    head = _git(top, "rev-parse", "--verify", "--quiet", "HEAD^{commit}")
    if head.returncode != 0:
        raise GitError("the repository has no commits yet", "commit the register first")
    symbolic = _git(top, "symbolic-ref", "--quiet", "--short", "refs/remotes/origin/HEAD")
    candidates = [_out(symbolic)] if symbolic.returncode == 0 else []
    candidates += ["main", "master", "origin/main", "origin/master"]
    for branch in candidates:
        if _git(top, "rev-parse", "--verify", "--quiet", f"{branch}^{{commit}}").returncode:
            continue
        done = _git(top, "merge-base", branch, "HEAD")
        if done.returncode == 0:
            commit = _out(done)
            return commit, f"{branch}...HEAD ({commit[:7]})"  # git's notation for the merge-base
        if _shallow(top):
            raise _shallow_error(f"no common ancestor of HEAD and {branch} in this clone")
        raise GitError(f"HEAD and {branch} have no common ancestor", "pass BASE explicitly")
    if _shallow(top):
        raise _shallow_error("no default branch (origin/HEAD, main or master) in this clone")
    raise GitError(
        "no default branch found (origin/HEAD, main or master)",
        "pass BASE, e.g. `ropa diff HEAD~1`",
    )


def _snapshot_at(
    top: Path,
    prefix: str,
    commit: str,
    label: str,
    read: Reader,
    like: Snapshot | None = None,
    records: frozenset[str] | None = None,
) -> Snapshot:
    """Write the register's files at ``commit`` (of the records, only ``records`` if given)
    into a temporary folder and read that.

    ``like``: the other side, already read. Its records whose files are the same blobs here are
    taken from it instead of being written, read and validated again (most of a diff's time in
    a large register), where that cannot change what is found: see :func:`_same_records`.
    """
    wanted = [f"{prefix}{name}" for name in ("organisation.yaml", "catalogue.yaml")]
    wanted += [f"{prefix}records", f"{prefix}schema"]
    listing = _git(top, "ls-tree", "-r", "-z", "--full-tree", commit, "--", *wanted)
    if listing.returncode != 0:
        raise GitError(f"git cannot list {label}", listing.stderr.decode("utf-8", "replace"))
    files: list[tuple[str, str, bool]] = []  # (path inside the register, blob id, a link)
    skipped: list[Problem] = []
    for line in listing.stdout.decode("utf-8", "surrogateescape").split("\0"):
        if not line:
            continue
        meta, _, path = line.partition("\t")
        mode, kind, blob = meta.split()
        inner = path[len(prefix) :]
        folder, _, name = inner.rpartition("/")
        if folder not in ("", "records", "schema") or not name.endswith((".yaml", ".yml")):
            continue  # load() reads records/ and schema/ one level deep, YAML only
        if records is not None and folder == "records" and inner not in records:
            continue
        if kind != "blob":
            skipped.append(
                Problem(inner, 1, 1, "not-a-file", "a submodule, not a file: not compared", "")
            )
            continue
        files.append((inner, blob, mode == "120000"))
    same = _same_records(files, like)
    written = [f for f in files if f[0] not in same]
    contents = _blobs(top, [blob for _, blob, _ in written])
    with tempfile.TemporaryDirectory(prefix="ropa-diff-", dir=_MEMORY) as folder:
        root = Path(folder)
        (root / "records").mkdir()
        for (inner, _, link), content in zip(written, contents, strict=True):
            target = root / inner
            target.parent.mkdir(parents=True, exist_ok=True)
            if not link:
                target.write_bytes(content)
                continue
            try:  # as a checkout makes it: load() reads a link inside, refuses one outside
                target.symlink_to(os.fsdecode(content))
            except (OSError, ValueError):  # a link git holds but no file system can make
                skipped.append(Problem(inner, 1, 1, "not-a-file", "a broken link: not compared"))
        snapshot = _snapshot(root, label, commit, read)
    if same and like is not None:
        snapshot = _with_records(snapshot, like, same)
    blobs = {inner: ("link " if link else "") + blob for inner, blob, link in files}
    return dataclasses.replace(snapshot, problems=(*snapshot.problems, *skipped), blobs=blobs)


def _same_records(files: list[tuple[str, str, bool]], like: Snapshot | None) -> dict[str, Entry]:
    """The records ``like`` already read from the same blobs, by path — only if reading them
    again could find nothing new: ``like`` has no errors, every file but the records (the
    organisation, the catalogue, the vocabularies) is the same blob, nothing is a link, and no
    two record ids here clash (the one check that looks across records)."""
    if like is None or like.register is None or not like.blobs or not like.valid:
        return {}
    if any(p.severity == "error" for p in like.problems) or any(link for *_, link in files):
        return {}
    shared = {(i, b) for i, b, _ in files if not i.startswith("records/")}
    if shared != {(i, b) for i, b in like.blobs.items() if not i.startswith("records/")}:
        return {}
    ids = [unicodedata.normalize("NFC", Path(i).stem).casefold() for i, _, _ in files]
    if len(set(ids)) != len(ids):
        return {}
    entries = {entry.path: entry for entry in like.records.values()}
    return {i: entries[i] for i, b, _ in files if i in entries and like.blobs.get(i) == b}


def _with_records(snapshot: Snapshot, like: Snapshot, same: dict[str, Entry]) -> Snapshot:
    """``snapshot`` (read without the records in ``same``) with them, as ``like`` read them."""
    records = {**snapshot.records, **{entry.id: entry for entry in same.values()}}
    register = snapshot.register
    if register is not None and like.register is not None:
        kept = {entry.id for entry in same.values()}
        activities = [a for a in like.register.activities if a.id in kept]
        activities += register.activities
        register = dataclasses.replace(
            register, activities=tuple(sorted(activities, key=lambda a: a.id))
        )
    return dataclasses.replace(snapshot, records=dict(sorted(records.items())), register=register)


def _blobs(top: Path, blobs: list[str]) -> list[bytes]:
    """The contents of ``blobs``, in one ``git cat-file --batch``."""
    if not blobs:
        return []
    done = _git(top, "cat-file", "--batch", stdin="".join(f"{b}\n" for b in blobs).encode())
    if done.returncode != 0:
        raise GitError("git cat-file failed", done.stderr.decode("utf-8", "replace"))
    out, position, contents = done.stdout, 0, []
    for _ in blobs:
        end = out.index(b"\n", position)
        size = int(out[position:end].split()[2])
        contents.append(out[end + 1 : end + 1 + size])
        position = end + 1 + size + 1
    return contents


# --- a folder → a snapshot ------------------------------------------------------------------


def _snapshot(root: Path, label: str, commit: str | None, read: Reader) -> Snapshot:
    """Read ``root`` with the build's stages; an invalid part falls back to its raw data."""
    problems: list[Problem] = []
    try:
        sources = load(root, read)
    except UserError as error:  # no organisation.yaml: no register at this revision
        empty = (None, {})
        return Snapshot(
            label, commit, empty, empty, {}, problems=tuple(error.problems), valid=False
        )
    vocabulary: Vocabulary | None = None
    try:
        vocabulary = load_vocabulary(root)
    except UserError as error:
        problems += error.problems
    register = None
    if vocabulary is not None:
        try:
            register = validate(sources, vocabulary)
        except UserError as error:
            problems += error.problems
            register = _valid_part(sources, vocabulary, error.problems)
    validated = {a.id: a.record for a in register.activities} if register else {}
    records = {
        record_id: Entry(
            record_id,
            source.path,
            _text(root / source.path),
            source.data,
            validated.get(record_id),
        )
        for record_id, source in sources.records
    }
    return Snapshot(
        label,
        commit,
        (_dump(register.organisation) if register else None, sources.organisation.data),
        (_dump(register.catalogue) if register else None, sources.catalogue.data),
        _vocabulary(vocabulary),
        records,
        tuple(problems),
        valid=register is not None,
        special=frozenset(
            c
            for c, spec in (vocabulary.categories if vocabulary else {}).items()
            if spec.get("kind") in ("art9", "art10", "cpr")
        ),
        register=register,
    )


def _dump(model: Any) -> Any:
    return model.model_dump(mode="json")


def _valid_part(sources: Sources, vocabulary: Vocabulary, problems: list[Problem]):
    """The register without its records that have errors, or None if still invalid."""
    bad = {p.path for p in problems if p.severity == "error"}
    kept = [(rid, s) for rid, s in sources.records if s.path not in bad]
    try:
        return validate(
            Sources(sources.root, sources.organisation, sources.catalogue, kept), vocabulary
        )
    except UserError:
        return None


def _vocabulary(vocabulary: Vocabulary | None) -> dict[str, Any]:
    if vocabulary is None:
        return {}
    return {
        "data-categories": vocabulary.categories,
        "transfer-mechanisms": vocabulary.mechanisms,
        "adequacy": {
            "eea": sorted(vocabulary.eea),
            "adequate": {  # decision dates as written (YYYY-MM-DD): compared and shown as text
                code: {k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in spec.items()}
                for code, spec in vocabulary.adequate.items()
            },
        },
        "international-organisations": vocabulary.organisations,
    }


def _text(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8", "replace")
    except OSError:
        return ""
