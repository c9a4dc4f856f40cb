"""The two kinds of failure: a user's mistake never shows a traceback, a bug always does.

A register is broken in a handful of ways and ``python -m ropa_build check`` and ``build`` run
on it as real processes: each must exit 1 with ``path:line:col: error[code]`` lines and no
"Traceback". Then every value of the clean register is replaced, one at a time, by a value of
the wrong kind, which must give problems and never an exception.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import yaml
from conftest import DATA, TODAY
from test_source import BOMB

from ropa_build import pipeline
from ropa_build.check import check
from ropa_build.cli import main
from ropa_build.errors import UserError
from ropa_build.load import load
from ropa_build.validate import validate
from ropa_build.vocabulary import load_vocabulary

PROBLEM_LINE = re.compile(r"^\S.*:\d+:\d+: (error|warning)\[[a-z0-9-]+\]: .+$")
KUNDER = "records/kunder.yaml"


def _write(name: str, text: str | bytes):
    def apply(reg):
        path = reg.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text if isinstance(text, bytes) else text.encode())

    return apply


def _patch(name: str, old: str, new: str):
    return lambda reg: reg.patch(name, old, new)


BROKEN = {
    "yaml syntax": _write("records/x.yaml", "title: a\nlist:\n\t- b\n"),
    "unclosed quote": _write("records/x.yaml", 'title: "Support\nrole: controller\n'),
    "alias bomb": _write("records/x.yaml", BOMB),
    "python tag": _write("records/x.yaml", "title: !!python/object/apply:os.system ['true']\n"),
    "binary record": _write("records/x.yaml", bytes(range(256))),
    "record is a list": _write("records/x.yaml", "- title: a\n"),
    "empty record": _write("records/x.yaml", ""),
    "empty organisation": _write("organisation.yaml", ""),
    "organisation is text": _write("organisation.yaml", "MarketingPlatform ApS\n"),
    "catalogue systems is a list": _write("catalogue.yaml", "systems: [crm, zendesk]\n"),
    "groups as plain words": _patch(
        KUNDER,
        "    - id: kunder\n      name: kunder\n      categories: [identification, financial]\n",
        "    - kunder\n",
    ),
    "recipients as plain words": _patch(KUNDER, "    - ref: crm\n", "    - crm\n    - ref: crm\n"),
    "receives as a list": _patch(
        KUNDER, "      receives:\n        kunder: [financial]", "      receives: [financial]"
    ),
    "lint errors": _patch(
        KUNDER,
        "      categories: [identification, financial]\n",
        "      categories: [identification, financial]\n"
        "    - id: kunder2\n      name: kunder\n      categories: [identification]\n",
    ),
    "bad file name": _write("records/my record.yaml", "title: x\n"),
    "own adequacy list malformed": _write("schema/adequacy.yaml", "eea: DK\nadequate: [US]\n"),
    "own data categories malformed": _write("schema/data-categories.yaml", "identification: 3\n"),
    "date that is no date": _patch(KUNDER, "updated: 2026-06-01", "updated: 2026-02-30"),
}


@pytest.fixture(params=["check", "build"])
def command(request):
    return request.param


@pytest.mark.parametrize("breakage", BROKEN.values(), ids=BROKEN.keys())
def test_user_error_exits_1_without_traceback(register, ropa_process, tmp_path, command, breakage):
    reg = register(DATA / "clean")
    breakage(reg)
    out = tmp_path / "out"
    extra = ["--out", out] if command == "build" else []
    result = ropa_process(command, "--root", reg.root, *extra)
    assert result.code == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert re.fullmatch(r"\d+ error\(s\), \d+ warning\(s\)", lines[-1])
    assert lines[:-1] and all(PROBLEM_LINE.match(line) for line in lines[:-1]), lines
    assert not out.exists()


def test_missing_register_exits_1_without_traceback(ropa_process, tmp_path, command):
    result = ropa_process(command, "--root", tmp_path / "nowhere")
    assert (result.code, "Traceback" in result.stderr) == (1, False)
    assert "error[no-register]" in result.stderr


def test_the_seed_as_is_cannot_be_built(ropa_process, tmp_path):
    result = ropa_process("build", "--root", DATA / "seed-as-is", "--out", tmp_path / "out")
    assert result.code == 1
    assert "Traceback" not in result.stderr
    assert "error[role-mismatch]" in result.stderr
    assert not (tmp_path / "out").exists()


def test_a_failed_build_leaves_the_previous_output_untouched(register, ropa, tmp_path):
    reg = register(DATA / "clean")
    out = tmp_path / "out"
    assert ropa("build", "--root", reg.root, "--out", out).code == 0
    before = {p: p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
    BROKEN["lint errors"](reg)
    assert ropa("build", "--root", reg.root, "--out", out).code == 1
    assert {p: p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()} == before


def test_a_bug_keeps_its_traceback(monkeypatch):
    """Anything but a UserError is ours to fix: main() must not swallow it."""

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("ropa_build.cli.checked", broken)
    with pytest.raises(RuntimeError, match="a bug"):
        main(["check", "--root", str(DATA / "clean"), "--today", TODAY])


def test_bug_traceback_reaches_stderr_of_the_process(tmp_path, ropa_process, monkeypatch):
    """The same through a real process: a crash in a lint rule prints its traceback."""
    (tmp_path / "sitecustomize.py").write_text(
        "import ropa_build.check as c\n"
        "def boom(register, today):\n"
        "    raise ZeroDivisionError('rule crashed')\n"
        "c.RULES['missing-item'] = c.RULES['missing-item'].__class__("
        "'missing-item', 'error', '', '', boom)\n"
    )
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))
    result = ropa_process("check", "--root", DATA / "clean")
    assert result.code != 0
    assert "Traceback" in result.stderr and "ZeroDivisionError: rule crashed" in result.stderr


# --- every value of the wrong kind ----------------------------------------------------------

WRONG = [None, "x", 7, True, [], {}, ["x"], {"x": "y"}, [{"x": 1}]]
FILES = ["records/kunder.yaml", "records/support.yaml", "organisation.yaml", "catalogue.yaml"]


def _places(data, loc=()):
    if loc:
        yield loc
    items = (
        data.items()
        if isinstance(data, dict)
        else enumerate(data)
        if isinstance(data, list)
        else ()
    )
    for key, value in items:
        yield from _places(value, (*loc, key))


def _replaced(data, loc, value):
    data = yaml.safe_load(yaml.safe_dump(data))
    target = data
    for part in loc[:-1]:
        target = target[part]
    target[loc[-1]] = value
    return data


@pytest.mark.parametrize("name", FILES)
def test_every_value_of_the_wrong_kind_is_a_problem_not_a_crash(tmp_path, name):
    """Validation and the linter read raw data and models: neither may crash on odd shapes."""
    root = tmp_path / "register"
    for file in [*FILES]:
        (root / file).parent.mkdir(parents=True, exist_ok=True)
        (root / file).write_bytes((DATA / "clean" / file).read_bytes())
    vocabulary = load_vocabulary(root)
    original = yaml.safe_load((DATA / "clean" / name).read_text(encoding="utf-8"))
    today = dt.date.fromisoformat(TODAY)
    tried = 0
    for loc in _places(original):
        for value in WRONG:
            text = yaml.safe_dump(_replaced(original, loc, value), allow_unicode=True)
            (root / name).write_text(text, encoding="utf-8")
            try:
                check(validate(load(root), vocabulary), today)
            except UserError as error:
                assert error.problems
            tried += 1
    assert tried > 50


def test_pipeline_reads_nothing_from_the_clock(register, monkeypatch):
    """Review findings depend on --today only (the CLI passes the real date when it is absent)."""
    reg = register(DATA / "clean")

    class Frozen(dt.date):
        @classmethod
        def today(cls):
            raise AssertionError("the pipeline read the clock")

    monkeypatch.setattr(dt, "date", Frozen)
    assert pipeline.lint(reg.root, pipeline.Options(today=Frozen(2026, 11, 25))) == []


def test_paths_in_messages_are_relative_to_the_register(register, ropa_process, tmp_path):
    reg = register(DATA / "clean")
    reg.patch(KUNDER, "ref: crm", "ref: cmr")
    result = ropa_process("check", "--root", reg.root)
    assert result.stderr.startswith("records/kunder.yaml:17:12: error[unknown-ref]")
    assert str(Path(reg.root)) not in result.stderr
