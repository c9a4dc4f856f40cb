"""The change log annex: the register's history from git, one line per activity and commit.

One ``git log`` walk lists the commits that changed the register's content (its organisation,
catalogue, records and vocabularies), following the first parent: the main line, where a merged
pull request is one commit. Each commit is compared with its first parent by ``ropa diff``'s own
stages (:mod:`ropa_build.diff`: read through load and validate, then
:func:`~ropa_build.diff.compare.compare`), so the log says what ``ropa diff`` would have said of
that commit — per activity, the meanings of its change codes, in the register's language. A
removed activity keeps its line: the title comes from the side that had it.

Cost: what one commit changed depends only on the commit and its parent, so it is cached under
their ids (and the code, as every cache key): a rebuild after a new commit compares one commit.
A commit that changed only records is compared on those records alone (with the organisation,
catalogue and vocabularies they are validated against), so a cold walk does not grow with the
size of the register; one that changed a shared file reads both sides whole.

A shallow clone holds only the newest commits; its oldest commit looks like the first of all
but is not, so it is not reported as everything being added: the log says that the history is
incomplete instead.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from babel.dates import format_date

from ropa_build.cache import Cache
from ropa_build.diff.compare import compare
from ropa_build.diff.git import Snapshot, git_output, read_revision
from ropa_build.diff.meanings import Meanings
from ropa_build.errors import Problem, UserError
from ropa_build.render.view import Annex, LogRow
from ropa_build.source import read_yaml

#: What the log lists: the register's content (templates change its look, not what it says).
CONTENT = ("organisation.yaml", "catalogue.yaml", "records", "schema")
#: Lines shown at most; older ones are counted in a visible note (the git history has them all).
CAP = 500
_PULL_REQUEST = re.compile(r"\(#(\d+)\)\s*$|^Merge pull request #(\d+)\b")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_FIELD, _RECORD = "\x1f", "\x1e"


@dataclass(frozen=True)
class Line:
    """What one commit changed in one activity (``subject`` "" for the organisation, the
    catalogue and the vocabularies), language-neutral: the change codes."""

    commit: str
    date: dt.datetime
    author: str
    pull_request: int | None
    subject: str
    title: str
    codes: tuple[str, ...]


@dataclass(frozen=True)
class History:
    lines: tuple[Line, ...]  # newest first, at most ``cap``
    total: int  # lines before the cap
    shallow: bool
    since: str  # as given ("" for everything)

    def key(self) -> str:
        """Everything the annex shows, as one string (for the register-wide files' cache key)."""
        return repr(self)


def history(
    root, since: str = "", cap: int | None = None, cache: Cache | None = None
) -> History | None:
    """The register's history (None outside git or before the first commit), at most ``cap``
    lines (default :data:`CAP`).

    ``since`` is a revision (the log starts after it) or a date YYYY-MM-DD (commits from that
    day, UTC); :func:`check_since` has said it exists."""
    cap = CAP if cap is None else cap
    if not git_output(root, "rev-parse", "--verify", "--quiet", "HEAD^{commit}"):
        return None
    shallow = git_output(root, "rev-parse", "--is-shallow-repository") == "true"
    prefix = git_output(root, "rev-parse", "--show-prefix") or ""
    commits = _log(root, since)
    cache = cache or Cache(None)
    read = cache.reader(read_yaml)
    commits_lines: list[list[Line]] = []
    for commit, parent, stamp, author, subject in commits:  # oldest first
        key = cache.key("changelog", prefix, commit, parent) if cache.folder else ""
        found = cache.get("changelog", key, tuple) if key else None
        if found is None:
            found = _what_changed(root, commit, parent, shallow, read)
            if key:
                cache.put("changelog", key, found)
        date = dt.datetime.fromtimestamp(int(stamp), dt.UTC)
        number = _PULL_REQUEST.search(subject)
        pull = int(number[1] or number[2]) if number else None
        commits_lines.append([Line(commit, date, author, pull, *item) for item in found])
    lines = [line for each in reversed(commits_lines) for line in each]  # newest commit first
    return History(tuple(lines[:cap]), len(lines), shallow, since)


def check_since(root, since: str) -> list[Problem]:
    """``--changelog-since``: a date YYYY-MM-DD or a revision that exists."""
    if _DATE.fullmatch(since):
        try:
            dt.date.fromisoformat(since)
            return []
        except ValueError:
            pass
    elif git_output(root, "rev-parse", "--verify", "--quiet", f"{since}^{{commit}}"):
        return []
    return [
        Problem(
            ".",
            1,
            1,
            "bad-changelog-since",
            f"--changelog-since '{since}' is neither a date nor a revision in this repository",
            "give a date as YYYY-MM-DD, or a tag or commit (see `git log --oneline`)",
        )
    ]


def annex(history: History | None, labels: dict, meanings: Meanings, lang: str) -> Annex | None:
    """The history worded in ``lang``: per line the meanings of its codes, one after another."""
    if history is None:
        return None
    words = labels["changelog"]
    rows = tuple(
        LogRow(
            format_date(line.date.date(), labels["date_format"], locale=labels["locale"]),
            line.title if line.subject else words["organisation"],
            " ".join(meanings.codes[code][lang] for code in line.codes if code in meanings.codes),
            line.author,
            f"#{line.pull_request}" if line.pull_request else "",
        )
        for line in history.lines
    )
    notes = []
    if history.since:
        notes.append(words["since"].format(since=history.since))
    if history.total > len(history.lines):
        notes.append(words["capped"].format(shown=len(history.lines), total=history.total))
    if history.shallow:
        notes.append(words["shallow"])
    if not rows:
        notes.append(words["none"])
    return Annex(rows, tuple(notes))


def _log(root, since: str) -> list[tuple[str, str, str, str, str]]:
    """(commit, first parent, committer time, author, subject) of each commit that changed the
    register's content, oldest first."""
    limit = []
    if _DATE.fullmatch(since):
        limit = [f"--since={since}T00:00:00Z", "HEAD"]
    elif since:
        limit = [f"{since}..HEAD"]
    else:
        limit = ["HEAD"]
    fields = _FIELD.join(("%H", "%P", "%ct", "%an", "%s"))
    out = git_output(
        root,
        "log",
        "--first-parent",
        "--reverse",
        f"--format={fields}{_RECORD}",
        *limit,
        "--",
        *CONTENT,
    )
    if out is None:
        raise UserError(
            [Problem(".", 1, 1, "changelog-git", "git log failed", "see git's message")]
        )
    commits = []
    for record in out.split(_RECORD):
        record = record.strip("\n")
        if record:
            commit, parents, stamp, author, subject = record.split(_FIELD)
            commits.append(
                (commit, parents.split(" ")[0] if parents else "", stamp, author, subject)
            )
    return commits


def _what_changed(root, commit: str, parent: str, shallow: bool, read) -> tuple:
    """(activity id, title, codes) per activity the commit changed, as ``ropa diff`` says."""
    if not parent:
        if shallow:
            return ()  # the clone's cut: its parent is missing, not absent
        head = read_revision(root, commit, read)
        return tuple((i, _title(e), ("record-added",)) for i, e in head.records.items())
    only = _records_only(root, parent, commit)
    return _changed(
        read_revision(root, parent, read, only), read_revision(root, commit, read, only)
    )


def _records_only(root, parent: str, commit: str) -> frozenset[str] | None:
    """The record files a commit changed, when it changed nothing else: then only they need
    reading, on either side. None when it changed the organisation, the catalogue or a
    vocabulary, which reach every activity (``reaches`` needs them all)."""
    out = git_output(
        root, "diff-tree", "-r", "-z", "--no-renames", "--name-only", "--relative", parent, commit
    )
    if out is None:
        return None
    paths = frozenset(p for p in out.split("\0") if p)
    return paths if all(p.startswith("records/") for p in paths) else None


def _changed(base: Snapshot, head: Snapshot) -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """(activity id, title, codes) per activity ``ropa diff`` would report, in its order."""
    found: dict[str, tuple[str, list[str]]] = {}
    for change in compare(base, head):
        subject = change.subject if change.scope == "record" else ""
        _, codes = found.setdefault(subject, (change.title, []))
        if change.code not in codes:
            codes.append(change.code)
    return tuple((subject, title, tuple(codes)) for subject, (title, codes) in found.items())


def _title(entry) -> str:
    title = entry.raw.get("title") if isinstance(entry.raw, dict) else None
    return title if isinstance(title, str) else entry.id
