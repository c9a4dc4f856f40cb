"""A mistake in a register's own template is reported in the template author's words: where the
unclosed block was opened, and which of the template's names lacks the field it asked for."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ropa_build.resources import BUILT_IN

GOLDEN = Path(__file__).resolve().parent / "golden" / "register"
TEMPLATE = "templates/register.md.j2"
BUILT_IN_MD = (BUILT_IN["templates"] / "register.md.j2").read_text(encoding="utf-8")


@pytest.fixture
def own(tmp_path: Path):
    """``own(old, new)``: the golden register with the built-in Markdown template, changed."""
    root = tmp_path / "register"
    shutil.copytree(GOLDEN, root)
    (root / "templates").mkdir()

    def make(old: str, new: str) -> Path:
        assert BUILT_IN_MD.count(old) >= 1, old
        (root / TEMPLATE).write_text(BUILT_IN_MD.replace(old, new, 1), encoding="utf-8")
        return root

    return make


def _line_of(text: str, snippet: str) -> int:
    return text[: text.index(snippet)].count("\n") + 1


def _error(ropa, root: Path, command: str = "build") -> str:
    args = ("--format", "md") if command == "build" else ()
    result = ropa(command, "--root", root, *args)
    assert result.code == 1
    assert "Traceback" not in result.stderr
    return result.stderr


def test_an_unclosed_block_points_at_the_tag_that_opened_it(own, ropa) -> None:
    opener = "{% for activity in view.activities %}\n{{ loop.index }}"
    root = own(
        "{% endfor %}\n{% for activity in view.activities %}",
        "{% for activity in view.activities %}",
    )
    line = _line_of(BUILT_IN_MD, opener)
    assert line > 1
    for command in ("check", "build"):
        assert (
            f"{TEMPLATE}:{line}:1: error[template-syntax]: '{{% for %}}' is never closed — add "
            "'{% endfor %}' where the for block should end"
        ) in _error(ropa, root, command)


def test_a_block_closed_by_the_wrong_tag_points_at_the_open_one(own, ropa) -> None:
    old = "{% endfor %}\n{% endfor %}\n{% endblock %}"
    root = own(old, "{% endfor %}\n{% endblock %}")
    outer = "{% for section in activity.sections %}"  # its endfor is the one removed
    opened, closed = _line_of(BUILT_IN_MD, outer), _line_of(BUILT_IN_MD, old) + 1
    assert (
        f"{TEMPLATE}:{opened}:1: error[template-syntax]: '{{% for %}}' is not closed before "
        f"'{{% endblock %}}' on line {closed}"
    ) in _error(ropa, root)


def test_the_column_of_an_unclosed_tag_later_on_its_line(own, ropa) -> None:
    """A block `set` is a block; an assigning `set` is not; the column is the opener's."""
    root = own(
        "# {{ view.title | md }}",
        "{% set x %}x{% endset %}{% set y = 1 %}# {% if view.title %}{{ view.title | md }}",
    )
    line = _line_of(BUILT_IN_MD, "# {{ view.title | md }}")
    assert f"{TEMPLATE}:{line}:42: error[template-syntax]: '{{% if %}}' is never closed" in _error(
        ropa, root
    )


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "{{ activity.month | md }}",
            "{{ activity.monht | md }}",
            "activity has no field 'monht' — did you mean 'month'?",
        ),
        (
            "{{ row.description | md }}",
            "{{ row.descripton }}",
            "row has no field 'descripton' — did you mean 'description'?",
        ),
        (
            "{{ labels.document.version }}",
            "{{ labels.documnet.version }}",
            "labels has no key 'documnet' — did you mean 'document'?",
        ),
        (
            "{{ labels.document.version }}",
            "{{ labels.document.versoin }}",
            "labels.document has no key 'versoin' — did you mean 'version'?",
        ),
        (
            "{{ view.organisation | md }}",
            "{{ veiw.organisation | md }}",
            "there is no variable 'veiw' here — did you mean 'view'?",
        ),
    ],
)
def test_a_missing_field_names_the_template_variable(own, ropa, old, new, message) -> None:
    root = own(old, new)
    line = _line_of(BUILT_IN_MD, old)
    column = BUILT_IN_MD.splitlines()[line - 1].index(old) + 4  # after "{{ "
    stderr = _error(ropa, root)
    assert f"{TEMPLATE}:{line}:{column}: error[template-error]: {message}" in stderr
    assert "object" not in stderr and "ropa_build" not in stderr  # no Python types
