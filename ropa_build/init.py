"""``ropa init [DIR]``: a register folder that checks and builds at once.

Starting a register should not mean guessing the shape of ``organisation.yaml`` and
``catalogue.yaml`` from a field reference. ``ropa init`` writes both with every field present
and commented in Danish and English, a first record (``ropa new``'s), the JSON Schemas the
files' ``yaml-language-server`` lines point at, a ``.gitignore``, the CI workflow (using
ropa-build's own action), a pre-commit configuration and a short README.

The comments are generated from the models' field titles and descriptions (the same text the
editor shows and docs/fields.md lists), so they cannot drift from the schema. Placeholders are
``TODO:`` texts (``ropa check`` warns about each); a party whose existence only the author
knows (joint controller, representative, DPO) is left commented out, so ``ropa check`` asks
about it (``party-not-stated``) instead of the file claiming there is none.

It never overwrites a file: in a folder that already holds a register it adds only what is
missing, and says what it added.
"""

from __future__ import annotations

import datetime as dt
import json
import textwrap
import typing
from dataclasses import dataclass
from importlib import metadata
from importlib.resources import files
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from pydantic import BaseModel

from ropa_build import __version__
from ropa_build.errors import Problem, UserError
from ropa_build.load import RECORD_SUFFIXES
from ropa_build.models import Catalogue, Organisation
from ropa_build.scaffold import new_record
from ropa_build.schema_gen import schema_texts

STARTER = files("ropa_build") / "starter"
ACTION_TOKEN = "__ROPA_ACTION__"
EXAMPLE_TITLE = "Eksempel"
WIDTH = 100


@dataclass(frozen=True)
class Off:
    """A field written commented out: ``lines`` are its example, without the leading ``#``."""

    lines: tuple[str, ...]


def _party(key: str, example: str) -> Off:
    state = "not-appointed" if key == "dpo" else "none"
    none = f"{key}:   # ingen? skriv / none? write: {key}: {state}"
    return Off((none, f"name: {example}", "email: [navn@eksempel.dk]"))


_CONTACT_EXAMPLES = {
    "title": "DPO",
    "cvr": '"12345678"',
    "address": "Vejnavn 1, 1234 By",
    "web": "https://www.eksempel.dk",
    "phone": "+45 12 34 56 78",
    "email": "[kontakt@eksempel.dk]",
    "registration": '[{kind: Org.nr., number: "912 345 678"}]',
    "contact_person": "Navn Navnesen, kundechef",
}
_ORGANISATION: dict[str, Any] = {
    "controller": {
        "name": '"TODO: organisationens navn / name of the organisation"',
        **{key: Off((f"{key}: {value}",)) for key, value in _CONTACT_EXAMPLES.items()},
    },
    "joint_controller": _party("joint_controller", "Anden organisation A/S"),
    "representative": _party("representative", "Repræsentant i EU"),
    "dpo": _party("dpo", "Navn Navnesen"),
    "public_authority": "false",
    "document": {
        "version": '"1"',
        "review_interval_months": "12",
        "approved": Off(('approved: {version: "1", date: 2026-01-31, by: Direktionen}',)),
        "version_log": Off(
            ("version_log:", '  - {version: "1", date: 2026-01-31, changes: Første udgave}')
        ),
        "next_review": Off(("next_review: 2027-01-31",)),
        "review_triggers": Off(("review_triggers: [Nyt system / a new system]",)),
        "introduction": Off(("introduction: Fortegnelsen omfatter ... / The register covers ...",)),
        "scope": Off(("scope: Alle afdelinger / all departments",)),
        "roles": Off(("roles: Dataansvarlig for ...; databehandler for ...",)),
    },
    "open_points": "[]",
}
_CATALOGUE: dict[str, Any] = {
    "systems": {
        "eksempel-system": {
            "name": '"TODO: systemets navn / name of the system"',
            "used_for": '"TODO: hvad det bruges til / what it is used for"',
            "kind": "processor",
            "vendor": '"TODO: leverandør / vendor"',
            "countries": "[DK]",
            "dpa": '"TODO: hvor databehandleraftalen er / where the agreement is"',
            "dpf_certified": "false",
        }
    }
}
_HEADS = {
    "organisation.yaml": (
        "schema/organisation.schema.json",
        "Hvem fører fortegnelsen / who keeps the register. Angives én gang; vises i hver "
        "aktivitets første afsnit / stated once; shown in every activity's first section. En "
        "aktivitet kan afvige / a record can override a party. Udfyld hvert TODO: / fill in "
        "every TODO:. Tjek med / check with: ropa check",
    ),
    "catalogue.yaml": (
        "schema/catalogue.schema.json",
        "Systemer, leverandører og modtagere, angivet én gang og henvist til fra aktiviteterne "
        "med deres id / systems, vendors and recipients, stated once and referred to from "
        "records by id. Eksemplet nedenfor er kun et eksempel / the entry below is an example: "
        "ret det, eller slet det / change it or delete it.",
    ),
}


def init_register(root: Path, today: dt.date, action: str | None = None) -> list[Path]:
    """Write every file of a new register that ``root`` lacks; return those written, in order.

    ``action`` is what the workflow's ``uses:`` names (``owner/ropa-build@ref``); by default
    where this ropa-build was installed from, if pip recorded a GitHub repository and commit.
    """
    if root.exists() and not root.is_dir():
        raise UserError(
            [Problem(str(root), 1, 1, "not-a-folder", "this is a file", "name a folder to init")]
        )
    texts = {
        "organisation.yaml": _commented("organisation.yaml", Organisation, _ORGANISATION),
        "catalogue.yaml": _commented("catalogue.yaml", Catalogue, _CATALOGUE),
        **{f"schema/{name}": text for name, text in schema_texts(root).items()},
        ".gitignore": _starter("gitignore"),
        ".github/workflows/register.yml": _starter("register.yml").replace(
            ACTION_TOKEN, action or default_action()
        ),
        ".pre-commit-config.yaml": _starter("pre-commit-config.yaml"),
        "README.md": _starter("README.md"),
    }
    written = []
    for name, text in texts.items():
        path = root / name
        if path.exists() or path.is_symlink():
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8", newline="\n") as file:  # "x": never overwrite
            file.write(text)
        written.append(path)
    if not _has_records(root / "records"):
        written.append(new_record(root, EXAMPLE_TITLE, "controller", today))
    return written


def gitignore_gaps(root: Path) -> list[str]:
    """The lines of the starter .gitignore that ``root``'s own .gitignore lacks (it is kept)."""
    path = root / ".gitignore"
    have = set(path.read_text(encoding="utf-8").split()) if path.is_file() else set()
    wanted = [line for line in _starter("gitignore").splitlines() if not line.startswith("#")]
    return [line for line in wanted if line and line not in have]


def default_action() -> str:
    """``owner/repo@commit`` of the GitHub repository this ropa-build was installed from.

    pip records it (PEP 610, ``direct_url.json``) for ``pip install git+https://github.com/...``.
    Otherwise the owner cannot be known here: ``OWNER/ropa-build@v<version>``, which the user
    replaces (``ropa init`` says so).
    """
    try:
        recorded = metadata.distribution("ropa-build").read_text("direct_url.json")
    except metadata.PackageNotFoundError:
        recorded = None
    info = json.loads(recorded) if recorded else {}
    url, commit = urlparse(info.get("url", "")), info.get("vcs_info", {}).get("commit_id")
    parts = url.path.strip("/").removesuffix(".git").split("/")
    if url.hostname == "github.com" and commit and len(parts) == 2:
        return f"{parts[0]}/{parts[1]}@{commit}"
    return f"OWNER/ropa-build@v{__version__}"


def _has_records(folder: Path) -> bool:
    return folder.is_dir() and any(p.suffix.lower() in RECORD_SUFFIXES for p in folder.rglob("*"))


def _starter(name: str) -> str:
    return (STARTER / name).read_text(encoding="utf-8")


# --- commented YAML from the models ---------------------------------------------------------


def _commented(name: str, model: type[BaseModel], values: dict[str, Any]) -> str:
    schema, head = _HEADS[name]
    lines = [f"# yaml-language-server: $schema={schema}", "#"]
    lines += [f"# {line}" for line in textwrap.wrap(head, WIDTH - 2)]
    lines.append("")
    lines += _fields(model, values, 0)
    return "\n".join(lines) + "\n"


def _fields(model: type[BaseModel], values: dict[str, Any], indent: int) -> list[str]:
    """Every field of ``model``, each under its bilingual comment; ``values`` says how each is
    written (text: as is; a mapping: a nested model; :class:`Off`: commented out). A field with
    no entry in ``values`` (one added to the models later) is written commented out."""
    pad = " " * indent
    lines: list[str] = []
    for key, info in model.model_fields.items():
        lines += _comment(info, pad)
        value = values.get(key, Off((f"{key}: ...",)))
        if isinstance(value, Off):
            first, *rest = value.lines
            if not first.startswith(f"{key}:"):
                first, rest = f"{key}:", [first, *rest]
            lines.append(f"{pad}# {first}")
            lines += [f"{pad}#   {line}" for line in rest]
        elif isinstance(value, dict) and _is_mapping_of_models(info.annotation):
            lines.append(f"{pad}{key}:")
            for entry, fields in value.items():
                lines.append(f"{pad}  {entry}:   # id, som aktiviteterne henviser til / the id")
                lines += _fields(_inner_model(info.annotation), fields, indent + 4)
        elif isinstance(value, dict):
            lines.append(f"{pad}{key}:")
            lines += _fields(_inner_model(info.annotation), value, indent + 2)
        else:
            lines.append(f"{pad}{key}: {value}")
    return lines


def _comment(info: Any, pad: str) -> list[str]:
    extra = info.json_schema_extra or {}
    title_en, title_da = info.title, extra.get("title_da", info.title)
    help_en = (info.description or "").split("\n\n")[0]
    help_da = extra.get("description_da", help_en)
    title = title_da if title_da == title_en else f"{title_da} / {title_en}"
    text = f"{title}: {help_da}" if help_da == help_en else f"{title}: {help_da} / {help_en}"
    return [f"{pad}# {line}" for line in textwrap.wrap(text, WIDTH - len(pad) - 2)]


def _inner_model(annotation: Any) -> type[BaseModel]:
    """The model inside ``Contact | None`` or ``dict[Id, System]``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for argument in typing.get_args(annotation):
        try:
            return _inner_model(argument)
        except TypeError:
            continue
    raise TypeError(f"no model in {annotation}")


def _is_mapping_of_models(annotation: Any) -> bool:
    return typing.get_origin(annotation) is dict
