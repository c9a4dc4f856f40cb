"""Where a build comes from: the register's version, commit and date, computed once per build.

Every output is stamped with it (the cover, the DOCX footer and properties, an HTML ``<meta>``,
the Markdown's first lines), so the DPO holding a printed register can tell which version of
the repository it is, and whether it was built from uncommitted work.

Never the clock: inside git the date is the commit's (committer date, UTC); outside git it is
``SOURCE_DATE_EPOCH`` if set, else the newest record's ``updated`` date. The version is the
nearest tag (``git describe --tags``), else the short commit. A shallow clone (CI's default
``fetch-depth: 1``) holds the commit but not its history: the tags and the commits before it may
be missing, so the version is the short commit and ``shallow`` says that the history is
incomplete rather than anything being guessed.

Only the register's own files count as uncommitted changes (``organisation.yaml``,
``catalogue.yaml``, ``records/``, and the register's ``schema/`` and ``templates/``): a built
``output/`` or the cache never does.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from ropa_build import __version__
from ropa_build.dates import midnight
from ropa_build.diff.git import git_output

#: The register's files, relative to its folder: what a commit of the register consists of.
REGISTER_FILES = ("organisation.yaml", "catalogue.yaml", "records", "schema", "templates")


@dataclass(frozen=True)
class Provenance:
    """One build's origin. ``commit`` is "" outside git; ``dated_by`` says where ``date`` came
    from: "commit", "epoch" (SOURCE_DATE_EPOCH) or "records" (the newest ``updated``)."""

    version: str  # "v2.0", "v2.0-3-g1a2b3c4", "1a2b3c4"; "" outside git
    commit: str
    date: dt.datetime  # UTC
    dated_by: str
    dirty: bool  # the register's files differ from the commit
    shallow: bool  # the clone's history is cut off
    revision: int  # commits that changed the register (those this clone holds); 0 outside git
    tool: str = __version__  # ropa-build's own version

    @property
    def short(self) -> str:
        return self.commit[:7]

    def key(self) -> str:
        """Every field, as one string: for the cache keys of the files it stamps."""
        return "\0".join(map(str, dataclasses.astuple(self)))


def provenance(
    root: Path, newest: dt.date | None = None, epoch: dt.datetime | None = None
) -> Provenance:
    """The provenance of the register in ``root``: from git, else from ``epoch``
    (SOURCE_DATE_EPOCH, read by the CLI) or ``newest`` (the newest record's date)."""
    commit = git_output(root, "rev-parse", "--verify", "--quiet", "HEAD^{commit}")
    if not commit:  # not a repository, git missing, or no commit yet
        if epoch is not None:
            return Provenance("", "", epoch.astimezone(dt.UTC), "epoch", False, False, 0)
        return Provenance("", "", midnight(newest), "records", False, False, 0)
    stamp = git_output(root, "log", "-1", "--format=%ct", commit) or "0"
    shallow = git_output(root, "rev-parse", "--is-shallow-repository") == "true"
    short = git_output(root, "rev-parse", "--short", commit) or commit[:7]
    described = None if shallow else git_output(root, "describe", "--tags", commit)
    status = git_output(root, "status", "--porcelain", "-z", "--", *REGISTER_FILES)
    count = git_output(root, "rev-list", "--count", commit, "--", *REGISTER_FILES)
    return Provenance(
        version=described or short,
        commit=commit,
        date=dt.datetime.fromtimestamp(int(stamp), dt.UTC),
        dated_by="commit",
        dirty=bool(status),
        shallow=shallow,
        revision=int(count or 0),
    )
