"""The YAML reader: every trap refused at its line and column, and the dialect we promise.

Each case is raw bytes beside the (line, column, code) list the reader must report. Positions
are 1-based, as editors show them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ropa_build.source import MAX_FILE_BYTES, read_yaml

BOMB = b"""\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
"""

REFUSED = {
    "duplicate key": (b"title: a\nrole: b\ntitle: c\n", [(3, 1, "duplicate-key")]),
    "duplicate nested key": (
        b"dpo:\n  name: a\n  email: x@y.dk\n  name: b\n",
        [(4, 3, "duplicate-key")],
    ),
    "tab indenting a list": (b"title: a\nlist:\n\t- x\n", [(3, 1, "yaml-syntax")]),
    "tab indenting a key": (b"a:\n  b: 1\n\tc: 2\n", [(3, 1, "yaml-syntax")]),
    "tab after a dash": (b"items:\n  -\tx\n", [(2, 4, "yaml-syntax")]),
    # An unclosed quote is reported where it opened, not where libyaml gave up.
    "unterminated double quote at the end": (b'title: "abc\nrole: x\n', [(1, 8, "yaml-syntax")]),
    "unterminated single quote at the end": (b"title: 'it\nrole: x\n", [(1, 8, "yaml-syntax")]),
    "unterminated quote closed by a later one": (
        b'title: Support\nowner: "Kundeservice\nrole: x\nupdated: "2021-03-10"\n',
        [(2, 8, "yaml-syntax")],
    ),
    "anchor and alias": (b"a: &x 1\nb: *x\n", [(1, 4, "yaml-alias"), (2, 4, "yaml-alias")]),
    "merge from an alias": (
        b"base: &base {x: 1}\nrecord:\n  <<: *base\n",
        [(1, 7, "yaml-alias"), (3, 7, "yaml-alias")],
    ),
    "python tag": (b"a: !!python/object/apply:os.system ['ls']\n", [(1, 4, "yaml-tag")]),
    "local tag": (b"title: !secret abc\n", [(1, 8, "yaml-tag")]),
    "invalid UTF-8": (b"title: ok\nowner: caf\xe9 x\n", [(2, 11, "invalid-utf8")]),
    "invalid UTF-8 after a multi-byte letter": (b"owner: \xc3\xa6\xff\n", [(1, 9, "invalid-utf8")]),
    "Latin-1 file": ("title: Løn\n".encode("latin-1"), [(1, 9, "invalid-utf8")]),
    "empty file": (b"", [(1, 1, "empty-file")]),
    "only comments": (b"# nothing yet\n\n", [(1, 1, "empty-file")]),
    "a list": (b"# records are mappings\n- title: a\n- title: b\n", [(2, 1, "not-a-mapping")]),
    "a scalar": (b"just some text\n", [(1, 1, "not-a-mapping")]),
    "raw BEL": (b"title: a\x07b\n", [(1, 9, "control-character")]),
    "raw NUL": (b"title: ok\nowner: a\x00\n", [(2, 9, "control-character")]),
    "raw form feed": (b"title: a\n\x0crole: b\n", [(2, 1, "control-character")]),
    "escaped form feed": (b'title: "a\\fb"\n', [(1, 8, "control-character")]),
    "escaped NUL": (b'title: ok\nowner: "a\\0"\n', [(2, 8, "control-character")]),
    "escaped vertical tab in a list": (
        b'groups:\n  - "ok"\n  - "a\\vb"\n',
        [(3, 5, "control-character")],
    ),
    "raw C1 after a multi-byte letter": (
        "title: æ\u0090b\n".encode(),
        [(1, 9, "control-character")],
    ),
    "raw DEL": (b"title: a\x7f\n", [(1, 9, "control-character")]),
    # YAML counts NEL and U+2028 as line breaks, editors do not: every later line would be off.
    "raw NEL": ("title: a\u0085b\nrole: x\n".encode(), [(1, 9, "control-character")]),
    "raw line separator": ("title: a\u2028b\n".encode(), [(1, 9, "control-character")]),
    "escaped C1": (b'title: ok\nowner: "a\\x85b"\n', [(2, 8, "control-character")]),
    "escaped C1 as \\u": (b'title: "\\u0090"\n', [(1, 8, "control-character")]),
    # The position is the backslash that starts the escape.
    "lone surrogate escape": (b'title: "a\\ud800b"\n', [(1, 10, "yaml-syntax")]),
    "low surrogate escape": (b'title: ok\nowner: "\\uDC00"\n', [(2, 9, "yaml-syntax")]),
    "Windows path in double quotes": (b'dpa: "C:\\Users\\dpo"\n', [(1, 9, "yaml-syntax")]),
    "key that is a list": (b"? [a, b]\n: c\n", [(1, 3, "yaml-key")]),
    "key that is a number": (b"title: a\n12: b\n", [(2, 1, "yaml-key")]),
}


def read(tmp_path: Path, raw: bytes):
    path = tmp_path / "x.yaml"
    path.write_bytes(raw)
    return read_yaml(path, "records/x.yaml")


@pytest.mark.parametrize(("raw", "expected"), REFUSED.values(), ids=REFUSED.keys())
def test_trap_is_refused_at_its_place(tmp_path, raw, expected):
    _, problems = read(tmp_path, raw)
    assert [(p.line, p.column, p.code) for p in problems] == expected
    for problem in problems:
        assert problem.path == "records/x.yaml"
        assert problem.severity == "error"
        assert problem.hint, f"{problem.code} has no hint"


def test_problem_reads_as_path_line_column_code_message_hint(tmp_path):
    _, [problem] = read(tmp_path, b"title: a\ntitle: b\n")
    assert str(problem) == (
        "records/x.yaml:2:1: error[duplicate-key]: the key 'title' appears twice "
        "(first at line 1) — keep one of them; YAML would silently drop the first"
    )


def test_messages_name_the_real_cause(tmp_path):
    """The three traps libyaml reports most obscurely get a message a process owner can act on."""
    cases = {
        b"a:\n\tb: 1\n": "spaces only",
        b'title: "abc\nrole: x\n': "closing quote",
        b'p: "C:\\Users"\n': "single quotes",
    }
    for raw, fix in cases.items():
        _, [problem] = read(tmp_path, raw)
        assert fix in problem.hint, (raw, str(problem))


def test_alias_bomb_is_refused_without_expanding(tmp_path):
    """Seven lines that would expand to 9**6 copies of a list: refused from the event stream,
    so no data is ever built (the builder would record a position for every copy)."""
    source, problems = read(tmp_path, BOMB)
    assert source.data is None
    assert source.values == {}
    assert {p.code for p in problems} == {"yaml-alias"}
    assert (problems[0].line, problems[0].column, problems[0].message) == (
        1,
        4,
        "YAML anchor 'a' is not allowed",
    )


def test_python_tag_never_runs(tmp_path):
    marker = tmp_path / "ran"
    source, problems = read(
        tmp_path, f"a: !!python/object/apply:os.system ['touch {marker}']\n".encode()
    )
    assert [p.code for p in problems] == ["yaml-tag"]
    assert source.data == {"a": None}
    assert not marker.exists()


def test_file_over_the_limit_is_refused_unread(tmp_path):
    raw = b"title: x\nsecurity: |\n" + (b"  " + b"a" * 97 + b"\n") * (6 * 1024 * 1024 // 100)
    assert len(raw) > MAX_FILE_BYTES == 5 * 1024 * 1024
    source, problems = read(tmp_path, raw)
    assert [(p.line, p.column, p.code) for p in problems] == [(1, 1, "file-too-large")]
    assert "limit is 5 MB" in problems[0].message
    assert source.data is None


def test_file_at_the_limit_is_read(tmp_path):
    head = b"title: x\n#"
    raw = head + b"c" * (MAX_FILE_BYTES - len(head) - 1) + b"\n"
    assert len(raw) == MAX_FILE_BYTES
    source, problems = read(tmp_path, raw)
    assert problems == []
    assert source.data == {"title": "x"}


def test_bom_is_accepted_and_columns_are_unshifted(tmp_path):
    source, problems = read(tmp_path, b"\xef\xbb\xbftitle: Support\nrole: controller\n")
    assert problems == []
    assert source.data == {"title": "Support", "role": "controller"}
    assert source.keys[("title",)] == (1, 1)
    assert source.values[("title",)] == (1, 8)


def test_crlf_is_accepted_with_lines_as_an_editor_counts_them(tmp_path):
    raw = b"# comment\r\ntitle: a\r\nsecurity: |\r\n  one\r\n  two\r\nrole: x\r\n"
    source, problems = read(tmp_path, raw)
    assert problems == []
    assert source.data == {"title": "a", "security": "one\ntwo\n", "role": "x"}
    assert source.keys[("role",)] == (6, 1)


def test_error_positions_after_crlf_lines(tmp_path):
    _, problems = read(tmp_path, b"title: a\r\nrole: b\r\ntitle: c\r\n")
    assert [(p.line, p.column) for p in problems] == [(3, 1)]


DIALECT = b"""\
country: NO
postcode: 010
yes_word: yes
on_word: on
off_word: Off
no_lower: no
truth: true
falsity: False
number: 12
negative: -3
decimal: 1.5
exponent: 1e3
octal: 0o17
hex: 0x1F
sexagesimal: 1:20
date: 2021-03-10
empty:
tilde: ~
quoted_true: "true"
quoted_number: '12'
block: |
  NO
"""


def test_yaml_1_1_traps_are_plain_strings(tmp_path):
    """Norway stays "NO", a post code keeps its zero, yes/on are words; only true/false are
    booleans, only plain decimal integers are numbers; dates stay text for the schema to parse."""
    source, problems = read(tmp_path, DIALECT)
    assert problems == []
    assert source.data == {
        "country": "NO",
        "postcode": "010",
        "yes_word": "yes",
        "on_word": "on",
        "off_word": "Off",
        "no_lower": "no",
        "truth": True,
        "falsity": False,
        "number": 12,
        "negative": -3,
        "decimal": "1.5",
        "exponent": "1e3",
        "octal": "0o17",
        "hex": "0x1F",
        "sexagesimal": "1:20",
        "date": "2021-03-10",
        "empty": None,
        "tilde": None,
        "quoted_true": "true",
        "quoted_number": "12",
        "block": "NO\n",
    }
    assert type(source.data["truth"]) is bool
    assert type(source.data["number"]) is int


def test_positions_of_keys_and_values(tmp_path):
    raw = b"title: a\ndata_subjects:\n  groups:\n    - id: kunder\n      categories: [x, y]\n"
    source, _ = read(tmp_path, raw)
    loc = ("data_subjects", "groups", 0, "categories", 1)
    assert source.values[loc] == (5, 23)
    assert source.keys[("data_subjects", "groups", 0, "categories")] == (5, 7)
    assert source.where(("data_subjects", "groups", 0, "name")) == (4, 7)  # nearest enclosing
    assert source.where(("data_subjects",), key=True) == (2, 1)
