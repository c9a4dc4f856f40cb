"""``ropa diff --format docx``: the register in Word with every change a tracked change.

On a scratch git repository of the example register (as tests/test_diff.py makes them), one
commit makes the brief's changes: a new transfer, two words of a purpose, a removed recipient, a
new checklist mark, a removed activity. The document must

* pass the ECMA-376 schemas (lxml, after removing markup-compatibility content) and the
  structural checks Word is strict about (tests/clients.py);
* give, with every change accepted (our own accept over the XML: drop ``w:del``, unwrap
  ``w:ins``, drop rows marked deleted, join a paragraph whose mark is deleted to the next),
  exactly the tables ``ropa build`` makes of HEAD, cell by cell, paragraph by paragraph and run
  by run; with every change rejected, exactly BASE's — on every change kind and on the hostile
  catalogue's payloads;
* show the changes in LibreOffice (printed with changes shown, the deleted words are there),
  and through LibreOffice's own UNO bridge list them with the commit's author and accept or
  reject them into HEAD's or BASE's cell texts.
"""

from __future__ import annotations

import json
import re
import subprocess
import zipfile
from pathlib import Path

import pytest
import test_diff
from clients import SYSTEM_PYTHON, docx_structure_problems, docx_to_pdf_text, require_client
from lxml import etree
from test_diff import ENV, git
from test_diff import _payloads as hostile_payloads

from ropa_build.source import read_yaml as read

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
XSD = Path("/work/shared/ooxml-xsd")
if not XSD.is_dir():
    XSD = Path(__file__).resolve().parents[2] / "shared" / "ooxml-xsd"
AUTHOR = "Ada Ændring"
scratch = test_diff.repo  # the fixture: the example register, committed as main


def w(name: str) -> str:
    return f"{{{W}}}{name}"


def brief_commit(reg) -> None:
    """The issue's commit: a transfer added, two words of a purpose edited, a recipient removed,
    a checklist mark added, an activity deleted — by another author."""
    reg.patch(
        "records/supporthenvendelser.yaml",
        "  items:\n",
        "  items:\n    - country: IN\n      recipient: Supportcenter i Indien\n"
        "      mechanism: scc\n      documentation: Standardkontraktbestemmelser (2021/914).\n",
    )
    reg.patch(
        "records/supporthenvendelser.yaml",
        "    - ref: meistertask\n      receives:\n        kunder: [identification]\n"
        "    - ref: restya",
        "    - ref: restya",
    )
    reg.patch(
        "records/supporthenvendelser.yaml",
        "name: medarbejdere\n      categories: [identification]",
        "name: medarbejdere\n      categories: [identification, trade_union]",
    )
    reg.patch(
        "records/kundeforhold.yaml",
        "oprettelse og administration af brugere",
        "oprettelse og vedligeholdelse af nye brugere",
    )
    reg.remove("records/nyhedsbrev.yaml")
    author_commit(reg, "the brief's changes")


def author_commit(reg, message: str, date: str = "2026-11-30T14:15:16+01:00") -> None:
    git(reg.root, "add", "-A")
    subprocess.run(
        ["git", "-C", str(reg.root), "commit", "-q", "-m", message],
        env={**ENV, "GIT_AUTHOR_NAME": AUTHOR, "GIT_AUTHOR_DATE": date},
        check=True,
    )


def changes_docx(ropa, reg, out: Path, *extra: str) -> etree._Element:
    result = ropa(
        "diff", "HEAD~1", "HEAD", "--root", reg.root, "--format", "docx", "--out", out, *extra
    )
    assert result.code == 0, result.stderr
    return document(out)


def made(ropa, reg, tmp_path: Path, schema, change, *extra: str, allowed: str = "?"):
    """BASE built, ``change`` committed, HEAD built, the changes document made and checked
    against the schemas and Word's structural rules; → (its document.xml, BASE's and HEAD's
    build folders). ``allowed``: a structural finding the case expects."""
    base = build(ropa, reg.root, tmp_path / "base")
    change(reg)
    head = build(ropa, reg.root, tmp_path / "head")
    out = tmp_path / "changes.docx"
    root = changes_docx(ropa, reg, out, *extra)
    assert schema_errors(schema, out) == []
    assert [p for p in docx_structure_problems(out) if allowed not in p] == []
    return root, base, head


def document(path: Path) -> etree._Element:
    with zipfile.ZipFile(path) as archive:
        return etree.fromstring(archive.read("word/document.xml"), etree.XMLParser(huge_tree=True))


def build(ropa, root: Path, out: Path) -> Path:
    result = ropa("build", "--root", root, "--out", out, "--format", "docx")
    assert result.code == 0, result.stderr
    return out


def base_checkout(reg, tmp_path: Path) -> Path:
    """BASE as its own folder, to build it as ropa build would."""
    folder = tmp_path / "base-checkout"
    git(reg.root, "worktree", "add", "-q", "--detach", str(folder), "HEAD~1")
    return folder


# --- our own accept and reject ----------------------------------------------------------------


def resolve(root: etree._Element, keep: str) -> etree._Element:
    """Every change accepted (``keep="ins"``) or rejected (``keep="del"``), as Word does it."""
    drop = "del" if keep == "ins" else "ins"
    root = etree.fromstring(etree.tostring(root))
    for row in list(root.iter(w("tr"))):
        if row.find(f"{w('trPr')}/{w(drop)}") is not None:
            row.getparent().remove(row)
    for table in list(root.iter(w("tbl"))):
        if table.find(w("tr")) is None:
            table.getparent().remove(table)
    for mark in list(root.iter(w(drop))):
        if etree.QName(mark.getparent()).localname not in ("rPr", "trPr"):
            mark.getparent().remove(mark)
    for mark in list(root.iter(w(keep))):
        parent = mark.getparent()
        if etree.QName(parent).localname in ("rPr", "trPr"):
            continue
        index = parent.index(mark)
        for offset, child in enumerate(list(mark)):
            parent.insert(index + offset, child)
        parent.remove(mark)
    for paragraph in list(root.iter(w("p"))):
        if paragraph.find(f"{w('pPr')}/{w('rPr')}/{w(drop)}") is not None:
            _join_to_next(paragraph)
    for change in list(root.iter(w("rPrChange"), w("pPrChange"))):
        props = change.getparent()
        if keep == "del":  # the old properties come back
            for child in [
                c for c in props if c is not change and etree.QName(c).localname != "rPr"
            ]:
                props.remove(child)
            old = change.find(w("rPr") if change.tag == w("rPrChange") else w("pPr"))
            for k, child in enumerate(list(old)):
                props.insert(k, child)
        props.remove(change)
    for mark in list(root.iter(w(keep))):
        mark.getparent().remove(mark)
    for text in list(root.iter(w("delText"))):
        text.tag = w("t")
    return root


def _join_to_next(paragraph: etree._Element) -> None:
    following = paragraph.getnext()
    content = [c for c in paragraph if c.tag != w("pPr")]
    if following is not None and following.tag == w("p"):
        at = 1 if following.find(w("pPr")) is not None else 0
        for offset, child in enumerate(content):
            following.insert(at + offset, child)
    else:
        assert not "".join(paragraph.itertext()), "a deleted mark with text and nothing after"
    paragraph.getparent().remove(paragraph)


# --- what a table holds, normalised --------------------------------------------------------------


def activity_tables(root: etree._Element) -> list[list[list[list[tuple]]]]:
    """Each activity table (four grid columns: the summary's have two): rows of cells of
    paragraphs of (paragraph properties, runs of (run properties, link, text))."""
    return [
        [[_cell(cell) for cell in row.iter(w("tc"))] for row in table.iter(w("tr"))]
        for table in root.iter(w("tbl"))
        if len(table.findall(f"{w('tblGrid')}/{w('gridCol')}")) == 4
    ]


def _cell(cell: etree._Element) -> list[tuple]:
    return [_paragraph(p) for p in cell.iter(w("p"))]


def _paragraph(paragraph: etree._Element) -> tuple:
    props = paragraph.find(w("pPr"))
    shown = ""
    if props is not None:
        shown = "".join(
            etree.tostring(c, encoding="unicode") for c in props if c.tag != w("rPr") or len(c)
        )
    shown = re.sub(r'(numId w:val=)"\d+"', r'\1"N"', re.sub(r' xmlns:\w+="[^"]*"', "", shown))
    runs: list[list[str]] = []
    for run in paragraph.iter(w("r")):
        link = (
            run.getparent().get(f"{{{R}}}id", "") if run.getparent().tag == w("hyperlink") else ""
        )
        rpr = run.find(w("rPr"))
        props_text = (
            ""
            if rpr is None
            else re.sub(
                r' xmlns:\w+="[^"]*"',
                "",
                "".join(etree.tostring(c, encoding="unicode") for c in rpr),
            )
        )
        text = "".join(
            c.text or "" if c.tag == w("t") else "\n" if c.tag == w("br") else "" for c in run
        )
        if runs and runs[-1][:2] == [props_text, link]:
            runs[-1][2] += text
        else:
            runs.append([props_text, link, text])
    return shown, tuple(tuple(r) for r in runs if r[2])


def headings(root: etree._Element) -> list[str]:
    return [
        "".join(p.itertext())
        for p in root.iter(w("p"))
        if p.find(f"{w('pPr')}/{w('pStyle')}[@{w('val')}='Heading1']") is not None
    ]


def plain(out: Path, ids: list[str]) -> tuple[list, list[str]]:
    """The tables and titles ``ropa build`` made of these activities, in this order."""
    tables, titles = [], []
    for activity in ids:
        root = document(out / "activities" / f"{activity}.docx")
        tables += activity_tables(root)
        titles += headings(root)
    return tables, titles


def assert_accept_and_reject(root, head_out: Path, head_ids, base_out: Path, base_ids) -> None:
    accepted, rejected = resolve(root, "ins"), resolve(root, "del")
    head_tables, head_titles = plain(head_out, head_ids)
    base_tables, base_titles = plain(base_out, base_ids)
    assert headings(accepted) == head_titles
    assert headings(rejected) == base_titles
    assert len(activity_tables(accepted)) == len(head_tables)
    for got, want in zip(activity_tables(accepted), head_tables, strict=True):
        assert got == want
    assert len(activity_tables(rejected)) == len(base_tables)
    for got, want in zip(activity_tables(rejected), base_tables, strict=True):
        assert got == want


# --- the ECMA-376 schemas ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def wml_schema() -> etree.XMLSchema:
    if not (XSD / "wml.xsd").exists():
        pytest.skip(f"no ECMA-376 schemas at {XSD}")
    wrapper = (
        '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:ropa">'
        '<xs:import namespace="http://www.w3.org/XML/1998/namespace" schemaLocation="xml.xsd"/>'
        f'<xs:import namespace="{W}" schemaLocation="wml.xsd"/></xs:schema>'
    )
    return etree.XMLSchema(etree.fromstring(wrapper, base_url=(XSD / "wrapper.xsd").as_uri()))


def schema_errors(schema: etree.XMLSchema, docx: Path) -> list[str]:
    errors = []
    with zipfile.ZipFile(docx) as archive:
        for part in ("word/document.xml", "word/numbering.xml", "word/styles.xml"):
            root = _without_markup_compatibility(etree.fromstring(archive.read(part)))
            if not schema.validate(root):
                errors += [f"{part}:{e.line}: {e.message}" for e in schema.error_log]
    return errors


def _without_markup_compatibility(root: etree._Element) -> etree._Element:
    """As a consumer that knows none of the ignorable namespaces reads it (ECMA-376 Part 3)."""
    ignorable = set()
    for element in root.iter():
        for prefix in (element.get(f"{{{MC}}}Ignorable") or "").split():
            ignorable.add(element.nsmap.get(prefix))
    for alternate in list(root.iter(f"{{{MC}}}AlternateContent")):
        parent, at = alternate.getparent(), alternate.getparent().index(alternate)
        fallback = alternate.find(f"{{{MC}}}Fallback")
        parent.remove(alternate)
        for k, child in enumerate(list(fallback) if fallback is not None else []):
            parent.insert(at + k, child)
    for element in list(root.iter()):
        if not isinstance(element.tag, str):
            continue
        if etree.QName(element).namespace in ignorable:
            element.getparent().remove(element)
            continue
        for name in list(element.attrib):
            if etree.QName(name).namespace in ignorable | {MC}:
                del element.attrib[name]
    return root


# --- the tests ---------------------------------------------------------------------------------


def test_the_brief_commit_accepts_into_head_and_rejects_into_base(
    scratch, ropa, tmp_path, wml_schema
):
    root, base, head = made(ropa, scratch, tmp_path, wml_schema, brief_commit)
    # Only the three activities that changed, in the register's order.
    assert_accept_and_reject(
        root,
        head,
        ["kundeforhold", "supporthenvendelser"],
        base,
        ["kundeforhold", "nyhedsbrev", "supporthenvendelser"],
    )
    body = etree.tostring(root, encoding="unicode")
    deleted = ["".join(d.itertext()) for d in root.iter(w("del")) if len(d)]
    inserted = ["".join(i.itertext()) for i in root.iter(w("ins")) if len(i)]
    assert "administration" in deleted and "vedligeholdelse" in inserted  # words, not the cell
    assert " nye" in inserted
    assert any("Indien" in text for text in inserted)  # the transfer
    assert any(text.startswith("MeisterTask") for text in deleted)  # the recipient
    assert "x" in inserted  # the checklist mark
    assert any("Nyhedsbrev" in text for text in deleted)  # the activity, kept to be seen
    # Every revision: its own id, the commit's author, the commit's date in UTC.
    marks = [m for m in root.iter(w("ins"), w("del"), w("rPrChange"), w("pPrChange"))]
    ids = [m.get(w("id")) for m in marks]
    assert len(ids) == len(set(ids)) > 20
    assert {m.get(w("author")) for m in marks} == {AUTHOR}
    assert {m.get(w("date")) for m in marks} == {"2026-11-30T13:15:16Z"}
    assert "Supportcenter i Indien" in body


def test_a_removed_activity_is_deleted_whole_and_rows_are_marked_with_their_contents(
    scratch, ropa, tmp_path
):
    brief_commit(scratch)
    root = changes_docx(ropa, scratch, tmp_path / "changes.docx")
    tables = [
        t for t in root.iter(w("tbl")) if len(t.findall(f"{w('tblGrid')}/{w('gridCol')}")) == 4
    ]
    removed = tables[1]
    assert "Nyhedsbrevet" in "".join(removed.itertext())
    for row in removed.iter(w("tr")):
        assert row.find(f"{w('trPr')}/{w('del')}") is not None
        for paragraph in row.iter(w("p")):  # Word shows and accepts only a row marked through
            assert paragraph.find(f"{w('pPr')}/{w('rPr')}/{w('del')}") is not None
            for run in paragraph.iter(w("r")):
                assert run.getparent().tag == w("del") or run.getparent().getparent().tag == w(
                    "del"
                )
            assert not list(paragraph.iter(w("t")))  # deleted text is delText
    # The merged label cells of a table that stays are never revised.
    for table in (tables[0], tables[2]):
        for row in table.iter(w("tr")):
            label = row.find(w("tc"))
            if (
                row.find(f"{w('trPr')}/{w('ins')}") is None
                and row.find(f"{w('trPr')}/{w('del')}") is None
            ):
                assert label.find(f".//{w('ins')}") is None and label.find(f".//{w('del')}") is None


def test_pdf_of_libreoffice_shows_the_deleted_and_the_inserted_words(scratch, ropa, tmp_path):
    require_client("libreoffice")
    require_client("poppler")
    brief_commit(scratch)
    out = tmp_path / "changes.docx"
    changes_docx(ropa, scratch, out)
    text = " ".join(docx_to_pdf_text(out, tmp_path / "pdf").text.split())
    assert "administrationvedligeholdelse" in text.replace(" ", "") or (
        "administration" in text and "vedligeholdelse" in text
    )
    assert "Supportcenter i Indien" in text
    assert "Behandlingsaktiviteter vedrørende Nyhedsbrev" in text  # the removed activity


def test_libreoffice_lists_the_author_and_accepts_and_rejects_into_the_two_registers(
    scratch, ropa, tmp_path
):
    require_client("uno")
    base = build(ropa, scratch.root, tmp_path / "base")
    brief_commit(scratch)
    head = build(ropa, scratch.root, tmp_path / "head")
    out = tmp_path / "changes.docx"
    changes_docx(ropa, scratch, out)
    changed = ("kundeforhold", "supporthenvendelser")
    plain_docs = [head / "activities" / f"{a}.docx" for a in changed]
    plain_docs += [
        base / "activities" / f"{a}.docx"
        for a in ("kundeforhold", "nyhedsbrev", "supporthenvendelser")
    ]
    (tmp_path / "profile").mkdir()
    done = subprocess.run(
        [
            SYSTEM_PYTHON,
            Path(__file__).with_name("uno_tracked.py"),
            tmp_path / "profile",
            out,
            *plain_docs,
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    results = [json.loads(line) for line in done.stdout.splitlines()]
    changes, plain_results = results[0], results[1:]
    assert {author for author, _ in changes["redlines"]} == {AUTHOR}
    assert {kind for _, kind in changes["redlines"]} == {"Insert", "Delete"}
    summary = len(changes["shown"]) - 3  # the first page's tables come first
    head_cells = [r["shown"][0] for r in plain_results[:2]]
    base_cells = [r["shown"][0] for r in plain_results[2:]]
    assert changes["accepted"][summary:] == head_cells
    assert changes["rejected"][summary:] == base_cells


def test_every_kind_of_change_accepts_and_rejects_exactly(scratch, ropa, tmp_path, wml_schema):
    """Rows added and removed (a subject group), a new activity, bold made plain, a list made
    paragraphs, a link changed, a lawful basis added, a note accepted."""

    def change(scratch):
        scratch.patch(
            "records/supporthenvendelser.yaml",
            "    - id: medarbejdere\n      name: medarbejdere\n      categories: [identification]\n"
            "      details: Navn, adresse, telefonnummer, e-mail.\n",
            "    - id: leverandorer\n      name: leverandører\n"
            "      categories: [financial, health_genetic]\n"
            "      details: Navn og **bankoplysninger**.\n",
        )
        path = scratch.root / "records/supporthenvendelser.yaml"
        path.write_text(
            path.read_text(encoding="utf-8").replace(
                "        medarbejdere: [identification]\n", ""
            ),
            encoding="utf-8",
        )
        scratch.patch(
            "records/support.yaml",
            "  - Kunden kan se alt data over deres materiale på platformen\n",
            "  Kunden kan se *alt* data over deres materiale på platformen\n\n",
        )
        scratch.patch(
            "records/support.yaml",
            "https://marketingplatform.com/da/saadan-overholder-marketingplatform-gdpr/)",
            "https://marketingplatform.com/da/gdpr/)",
        )
        scratch.patch(
            "records/kundeforhold.yaml", "title: Kundeforhold og fakturering", "title: Kundeforhold"
        )
        scratch.write(
            "records/ny-aktivitet.yaml",
            """
            title: Ny aktivitet
            role: controller
            owner: HR
            updated: 2026-11-01
            reviewed: 2026-11-01
            purposes: |
              1. første
              2. anden
            """,
        )
        author_commit(scratch, "every kind")

    root, base, head = made(ropa, scratch, tmp_path, wml_schema, change)
    assert_accept_and_reject(
        root,
        head,
        ["kundeforhold", "ny-aktivitet", "support", "supporthenvendelser"],
        base,
        ["kundeforhold", "support", "supporthenvendelser"],
    )
    rows_added = [r for r in root.iter(w("tr")) if r.find(f"{w('trPr')}/{w('ins')}") is not None]
    rows_removed = [r for r in root.iter(w("tr")) if r.find(f"{w('trPr')}/{w('del')}") is not None]
    assert any("leverandører" in "".join(r.itertext()) for r in rows_added)
    assert any("medarbejdere" in "".join(r.itertext()) for r in rows_removed)
    assert list(root.iter(w("rPrChange")))  # "alt" made italic: its formatting, not its text
    assert list(root.iter(w("pPrChange")))  # a list item made a paragraph


def test_the_whole_register_with_full_accepts_into_register_docx(
    scratch, ropa, tmp_path, wml_schema
):
    root, base, head = made(ropa, scratch, tmp_path, wml_schema, brief_commit, "--full")
    head_ids = sorted(p.stem for p in (head / "activities").glob("*.docx"))
    base_ids = sorted(p.stem for p in (base / "activities").glob("*.docx"))
    assert len(head_ids) == 6
    assert_accept_and_reject(root, head, head_ids, base, base_ids)


def test_the_same_inputs_give_the_same_bytes(scratch, ropa, tmp_path):
    brief_commit(scratch)
    one, two = tmp_path / "one.docx", tmp_path / "two.docx"
    changes_docx(ropa, scratch, one)
    changes_docx(ropa, scratch, two)
    assert one.read_bytes() == two.read_bytes()


def test_hostile_payloads_accept_and_reject_exactly(scratch, ropa, tmp_path, wml_schema):
    payloads = hostile_payloads()
    assert len(payloads) > 30
    quoted = [json.dumps(p, ensure_ascii=False) for p in payloads]

    def change(scratch):
        items = "".join(
            f"    - country: US\n      recipient: {q}\n      mechanism: scc\n"
            f"      documentation: {q}\n"
            for q in quoted
        )
        scratch.patch("records/support.yaml", "  items:\n", "  items:\n" + items)
        scratch.patch("records/support.yaml", "title: Support", f"title: {quoted[0]}")
        path = scratch.root / "records/kundeforhold.yaml"
        purposes = "purposes: |\n" + "".join(f"  - {p}\n" for p in payloads if "\n" not in p)
        text = re.sub(r"purposes: \|\n(  .*\n)+", lambda m: purposes, path.read_text("utf-8"))
        path.write_text(text, encoding="utf-8")
        author_commit(scratch, "hostile")

    # The Jinja payloads are record text, there as written: not template syntax left over.
    root, base, head = made(ropa, scratch, tmp_path, wml_schema, change, allowed="template syntax")
    assert_accept_and_reject(
        root, head, ["kundeforhold", "support"], base, ["kundeforhold", "support"]
    )
    text = "".join(root.itertext())
    assert all(p.split("\n")[0] in text for p in payloads)


def test_the_schema_check_can_fail(tmp_path, wml_schema, scratch, ropa):
    """A revision mark in the wrong place is caught: the check is not a formality."""
    brief_commit(scratch)
    out = tmp_path / "changes.docx"
    changes_docx(ropa, scratch, out)
    broken = tmp_path / "broken.docx"
    with zipfile.ZipFile(out) as source, zipfile.ZipFile(broken, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "word/document.xml":  # the paragraph mark after its style
                data = re.sub(
                    rb"<w:pPr>(<w:pStyle [^>]*/>)(<w:rPr><w:del [^>]*/></w:rPr>)",
                    rb"<w:pPr>\2\1",
                    data,
                    count=1,
                )
            target.writestr(item, data)
    assert schema_errors(wml_schema, broken)


def test_usage_errors_and_an_invalid_side(scratch, ropa, tmp_path):
    no_out = ropa("diff", "HEAD", "--root", scratch.root, "--format", "docx")
    assert no_out.code == 2 and "--out" in no_out.stderr
    scratch.patch("records/support.yaml", "role: processor", "role: processer")
    author_commit(scratch, "a typo")
    result = ropa(
        "diff",
        "HEAD~1",
        "HEAD",
        "--root",
        scratch.root,
        "--format",
        "docx",
        "--out",
        tmp_path / "x.docx",
    )
    assert result.code == 1
    assert "records/support.yaml" in result.stderr and "in HEAD" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "x.docx").exists()


def test_uncommitted_changes_carry_the_configured_name_and_no_date(scratch, ropa, tmp_path):
    git(scratch.root, "config", "user.name", "Bo Redaktør")
    scratch.patch("records/support.yaml", "owner: Kundeservice", "owner: Kundeservice & drift")
    out = tmp_path / "changes.docx"
    result = ropa("diff", "HEAD", "--root", scratch.root, "--format", "docx", "--out", out)
    assert result.code == 0, result.stderr
    marks = list(document(out).iter(w("ins"), w("del")))
    assert marks and {m.get(w("author")) for m in marks} == {"Bo Redaktør"}
    assert all(m.get(w("date")) is None for m in marks)  # never the clock
    inserted = ["".join(m.itertext()) for m in marks if m.tag == w("ins")]
    assert "& drift" in "".join(inserted)


@pytest.mark.parametrize("clash", [False, True])
def test_head_read_with_base_reused_equals_head_read_alone(scratch, tmp_path, clash):
    """HEAD's unchanged records are taken from BASE's reading: what that gives must be what
    reading HEAD alone gives — records, validated activities and problems (a clashing new id
    turns the reuse off, and the clash is still found)."""
    from ropa_build.diff import git as diffgit

    brief_commit(scratch)
    if clash:
        scratch.write("records/Support.yml", "title: Dublet\n")
        author_commit(scratch, "a clashing id")
    top, prefix = diffgit._repository(scratch.root)
    base = diffgit._snapshot_at(top, prefix, git(top, "rev-parse", "HEAD~1").strip(), "B", read)
    head_commit = git(top, "rev-parse", "HEAD").strip()
    reused = diffgit._snapshot_at(top, prefix, head_commit, "H", read, like=base)
    alone = diffgit._snapshot_at(top, prefix, head_commit, "H", read)

    def seen(snapshot):
        records = {k: (e.path, e.text, e.raw, e.validated()) for k, e in snapshot.records.items()}
        register = snapshot.register
        activities = [(a.id, a.record) for a in register.activities] if register else None
        return records, activities, sorted(snapshot.problems), snapshot.valid

    assert seen(reused) == seen(alone)
    assert ("duplicate-id" in {p.code for p in alone.problems}) == clash
    assert "nyhedsbrev" not in reused.records
    unchanged = reused.records["rekruttering"] is base.records["rekruttering"]
    assert unchanged != clash  # taken from BASE's reading, unless an id clashes


def test_a_processor_record_made_a_controller_record_changes_its_sections(
    scratch, ropa, tmp_path, wml_schema
):
    """Art. 30(2) → 30(1): other sections, other first rows; each section whose first row is
    not on both sides is replaced whole, so the merged label cells stay whole either way."""

    def change(reg):
        path = reg.root / "records/support.yaml"
        text = path.read_text(encoding="utf-8").replace("role: processor", "role: controller")
        text, count = re.subn(
            r"controllers:\n(  .*\n)+\nprocessing: \|\n(  .*\n|\n)+",
            "lawful_basis:\n  art6: [b]\n  description: Aftalen med kunden.\n",
            text,
        )
        assert count == 1
        path.write_text(text, encoding="utf-8")
        author_commit(reg, "support is our own processing")

    root, base, head = made(ropa, scratch, tmp_path, wml_schema, change)
    assert_accept_and_reject(root, head, ["support"], base, ["support"])
    labels = {
        "".join(row.find(w("tc")).itertext())
        for row in root.iter(w("tr"))
        if row.find(f"{w('trPr')}/{w('del')}") is not None
    }
    assert "Databehandler" in labels  # the processor's first section, deleted whole
