"""Hostile input, built as a user would and opened in the programs readers use.

Each folder in tests/hostile/ holds a `case.yaml`: one mutation of the example register (a
hostile text in every field of a record, a raw file, or a generated one) and what must
happen (format: tests/hostile/README.md). Every case is built with `python -m ropa_build
build` in a child process, as a user runs it, into an output folder that already holds a
previous build.

A case that must fail must exit 1 with `path:line:col: error[code]: message — hint` at the
named place, without a traceback, and leave the previous output byte for byte as it was.

A case that must build has every output opened in a real client, and for each:
  - the text exactly as written appears: in the DOCX's text and the PDF LibreOffice prints
    from it, in the page Chromium shows, in the Markdown as markdown-it renders it; and as
    often as a plain text put in the same fields (a twin build), so that one field that
    mangles it is caught even when the others show it;
  - nothing is evaluated as a template: `{{ 7*7 }}` prints literally;
  - nothing runs: Chromium's DOM has no script-like element and no on* attribute, no alert
    opened, the page requested nothing;
  - nothing dangerous is clickable: no javascript:/data:/vbscript: URL in any HTML attribute,
    DOCX hyperlink relationship or Markdown link destination;
  - and the outputs still pass every check of tests/clients.py (sound DOCX packages, valid
    HTML, WCAG 2.1 AA, no sideways scrolling on a phone, whole GFM tables).

The slow clients run in batches: all cases build first (two at a time), then one soffice
run prints every DOCX, one Chromium probes every page and one Nu checker run validates every
page, while the axe audits run beside them. The whole catalogue takes about three minutes.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml
from clients import (
    MAX_ACTIVITY_PAGES,
    REPO_ROOT,
    VNU_JAR,
    ClientError,
    OutputFolder,
    PdfText,
    _markdown_parser,
    _run,
    browser_audit,
    docx_structure_problems,
    docx_to_pdf_text,
    format_axe_violations,
    gfm_table_problems,
    normalize_text,
    require_client,
    text_contains,
)
from conftest import TODAY
from lxml import etree

from ropa_build.source import read_yaml

HOSTILE = Path(__file__).resolve().with_name("hostile")
CASES = sorted(path.parent.name for path in HOSTILE.glob("*/case.yaml"))
BASE_RECORD = HOSTILE / "base-record.yaml"
DOM_PROBE = HOSTILE / "dom_probe.mjs"
RECORD = "records/hostile.yaml"
MARKER = "Markørtekst"
CATALOGUE_ID = "hostile-system"
BUILD_TIMEOUT_S = 300

#: Where a case's `payload` goes: plain fields (title, owner, a group's name, a note), the
#: rich-text fields, and the catalogue entry the record's recipient refers to.
PAYLOAD_FIELDS = (
    "title",
    "owner",
    "purposes",
    "lawful_basis.description",
    "data_subjects.description",
    "data_subjects.groups.0.name",
    "data_subjects.groups.0.details",
    "recipients.internal.0.note",
    "transfers.description",
    "retention.description",
    "security",
    "catalogue.name",
    "catalogue.used_for",
)
DANGEROUS_URL = re.compile(r"^[\x00-\x20]*(javascript|data|vbscript):", re.IGNORECASE)
TEMPLATE_MARKS = ("{{", "{%", "{#")
PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"


# --------------------------------------------------------------------------------------
# Making a case's register
# --------------------------------------------------------------------------------------


def _spec(name: str) -> dict:
    spec = yaml.safe_load((HOSTILE / name / "case.yaml").read_text(encoding="utf-8"))
    assert "description" in spec, f"tests/hostile/{name}/case.yaml has no description"
    assert ("error" in spec) != bool(spec.get("builds")), (
        f"tests/hostile/{name}/case.yaml must say either `error:` or `builds: true`"
    )
    return spec


def _set(data: dict, dotted: str, value: object) -> None:
    *parents, last = dotted.split(".")
    for key in parents:
        data = data[int(key)] if isinstance(data, list) else data[key]
    data[int(last) if isinstance(data, list) else last] = value


def _merge(base: dict, changes: dict) -> dict:
    """`changes` over `base`, mappings merged key by key (a None value removes the key)."""
    merged = copy.deepcopy(base)
    for key, value in changes.items():
        if value is None:
            merged.pop(key, None)
        elif isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _dump(data: object) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10**9)


def _read(path: Path) -> dict:
    """A register file as ropa reads it (PyYAML's safe_load would turn the country NO into
    False, and dumping that back would write `false`)."""
    source, problems = read_yaml(path, path.name)
    assert not problems, [str(p) for p in problems]
    return source.data


def _base_record() -> dict:
    return _read(BASE_RECORD)


def _make_register(spec: dict, root: Path) -> None:
    """The example register with the case's record instead of the example's records.

    organisation.yaml and catalogue.yaml are the example's (the catalogue gains the entry the
    hostile record's recipient refers to); the records are only the case's own, so that each
    case's documents are small enough for the clients to open dozens of them in minutes.
    """
    (root / "records").mkdir(parents=True)
    shutil.copyfile(REPO_ROOT / "organisation.yaml", root / "organisation.yaml")
    record, catalogue = _base_record(), _read(REPO_ROOT / "catalogue.yaml")
    entry = {"name": "Hostile system", "used_for": "test", "kind": "system", "countries": ["DK"]}
    if "payload" in spec:
        for dotted in spec.get("fields", PAYLOAD_FIELDS):
            if dotted.startswith("catalogue."):
                entry[dotted.removeprefix("catalogue.")] = spec["payload"]
            else:
                _set(record, dotted, spec["payload"])
    catalogue["systems"][CATALOGUE_ID] = entry
    (root / "catalogue.yaml").write_text(_dump(catalogue), encoding="utf-8")
    if "payload" in spec or "record" in spec:
        text = _dump(_merge(record, spec.get("record", {})))
        (root / RECORD).write_text(text, encoding="utf-8")
    for name, text in spec.get("files", {}).items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))  # byte-exact: no newline translation
    for name, kind in spec.get("generate", {}).items():
        GENERATORS[kind](root, root / name)


# Inputs a case.yaml cannot hold as text: invalid UTF-8, binary data, sizes, links.


def _latin1(root: Path, path: Path) -> None:
    path.write_bytes("title: Loen\nowner: Café\n".encode("latin-1"))


def _binary(root: Path, path: Path) -> None:
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 64)


def _fifty_mb(root: Path, path: Path) -> None:
    """A valid record padded with comment lines to 50 MB: refused for its size alone."""
    padding = "# " + "x" * 97 + "\n"
    with path.open("w", encoding="utf-8") as out:
        out.write(_dump(_base_record()))
        out.write(padding * (50 * 1024 * 1024 // len(padding) + 1))


def _one_mb_text(root: Path, path: Path) -> None:
    sentence = "Behandlingen af personoplysninger sker fortroligt og sikkert. "
    text = sentence * (1024 * 1024 // len(sentence) + 1) + "SLUT PÅ EN MEGABYTE"
    path.write_text(_dump(_merge(_base_record(), {"purposes": text})), encoding="utf-8")


def _thousand_groups(root: Path, path: Path) -> None:
    groups = [
        {"id": f"gruppe-{i}", "name": f"gruppe {i}", "categories": ["identification"]}
        for i in range(1, 1001)
    ]
    record = _merge(_base_record(), {"data_subjects": {"groups": groups}})
    record["recipients"]["internal"][0]["receives"] = {"gruppe-1000": ["identification"]}
    path.write_text(_dump(record), encoding="utf-8")


def _symlink_outside(root: Path, path: Path) -> None:
    outside = root.parent / "outside.yaml"
    outside.write_text(_dump(_base_record()), encoding="utf-8")
    path.symlink_to(outside)


GENERATORS = {
    "latin1": _latin1,
    "binary": _binary,
    "fifty-mb": _fifty_mb,
    "one-mb-text": _one_mb_text,
    "thousand-groups": _thousand_groups,
    "symlink-outside": _symlink_outside,
}


# --------------------------------------------------------------------------------------
# Building every case, then the batched clients
# --------------------------------------------------------------------------------------


@dataclass
class Run:
    """One case: its spec, where it was built and what `ropa build` said."""

    name: str
    spec: dict
    out: Path
    before: str
    code: int = -1
    stdout: str = ""
    stderr: str = ""
    pdfs: dict[Path, PdfText] = field(default_factory=dict)
    dom: dict = field(default_factory=dict)
    vnu: list[str] = field(default_factory=list)
    audit: list[str] = field(default_factory=list)
    print_error: str = ""
    marker: Run | None = None

    @property
    def skipped(self) -> set[str]:
        """Checks a case skips (print, audit, page-limit); its case.yaml says why."""
        skipped = set(self.spec.get("skip", ()))
        assert skipped <= {"print", "audit", "page-limit"}, f"{self.name}: skip {skipped}"
        return skipped

    @property
    def expected(self) -> list[str]:
        default = [self.spec["payload"]] if "payload" in self.spec else []
        return list(self.spec.get("expect_text", default))

    def report(self) -> str:
        return (
            f"exit {self.code}\n--- stdout\n{self.stdout[-3000:]}"
            f"\n--- stderr\n{self.stderr[-3000:]}"
        )


def _digest(folder: Path) -> str:
    """One hash over every file's path and bytes: equal digests, identical folders."""
    sha = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        sha.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return sha.hexdigest()


def _build(root: Path, out: Path) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "ropa_build", "build", "--root", str(root), "--out", str(out)]
    return subprocess.run(
        [*cmd, "--today", TODAY],
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT_S,
        stdin=subprocess.DEVNULL,
        check=False,
    )


def _selected(session: pytest.Session) -> list[str]:
    """The cases this pytest run will test (all of them, unless -k or a node id narrows it)."""
    return [
        item.callspec.params["name"]
        for item in session.items
        if getattr(item, "originalname", "") == "test_hostile_case"
    ]


@pytest.fixture(scope="module")
def hostile_runs(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Run]:
    """Every selected case built, each into a copy of a previous build (to show it stays)."""
    work = tmp_path_factory.mktemp("hostile")
    previous = work / "previous" / "output"
    _make_register({"record": {}}, work / "previous" / "register")
    done = _build(work / "previous" / "register", previous)
    if done.returncode != 0:
        pytest.fail(
            f"the hostile cases' base register does not build:\n{done.stderr}", pytrace=False
        )
    before = _digest(previous)

    def run(name: str, spec: dict) -> Run:
        case = work / name.replace(":", "-")
        _make_register(spec, case / "register")
        shutil.copytree(previous, case / "output", symlinks=True)
        result = Run(name, spec, case / "output", before)
        done = _build(case / "register", result.out)
        result.code, result.stdout, result.stderr = done.returncode, done.stdout, done.stderr
        return result

    specs = {name: _spec(name) for name in _selected(request.session)}
    markers = {_marker_name(s): _marker_spec(s) for s in specs.values() if _marker_name(s)}
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        runs = {
            r.name: r for r in pool.map(lambda job: run(*job), [*specs.items(), *markers.items()])
        }
    for result in runs.values():
        result.marker = runs.get(_marker_name(result.spec))
    return runs


def _marker_name(spec: dict) -> str:
    """The plain-text twin of a case whose payload must appear as written (none otherwise)."""
    if "payload" not in spec or "expect_text" in spec or spec["payload"] == MARKER:
        return ""
    return "marker:" + ",".join(spec.get("fields", PAYLOAD_FIELDS))


def _marker_spec(spec: dict) -> dict:
    """The case with a harmless text for its payload: where that text shows, and how often,
    is where and how often the hostile one must show."""
    fields = list(spec.get("fields", PAYLOAD_FIELDS))
    return {"payload": MARKER, "fields": fields, "builds": True, "skip": ["print", "audit"]}


@pytest.fixture(scope="module")
def client_runs(
    hostile_runs: dict[str, Run], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Run]:
    """The cases that built, opened in every client: one soffice run prints every DOCX, one
    Chromium probes every page, one Java run validates them; the axe audits (one Chromium
    each) run alongside. Clients wait on each other's I/O, so overlapping them saves time."""
    for name in ("libreoffice", "poppler", "vnu", "browser"):
        require_client(name)
    built = {
        name: run for name, run in hostile_runs.items() if run.spec.get("builds") and run.code == 0
    }
    work = tmp_path_factory.mktemp("hostile-clients")
    pages = {name: OutputFolder.find(run.out).register_html for name, run in built.items()}
    with ThreadPoolExecutor(max_workers=3) as pool:
        printed = pool.submit(_print_all, built, work)
        probed = pool.submit(_dom_probe, list(pages.values()))
        validated = pool.submit(_vnu_batch, list(pages.values()))
        audits = {
            name: pool.submit(_audit, pages[name], work / name)
            for name, run in built.items()
            if "audit" not in run.skipped
        }
        for name, dom in zip(built, probed.result(), strict=True):
            built[name].dom = dom
        for name, run in built.items():
            run.vnu = validated.result().get(pages[name].resolve(), [])
            run.audit = audits[name].result() if name in audits else []
        printed.result()
    return built


def _print_all(built: dict[str, Run], work: Path) -> None:
    """Every DOCX of every case printed by LibreOffice in one soffice run.

    One DOCX that LibreOffice cannot load fails the whole run; then each case is printed on
    its own, so that the failure is reported by its case and the other cases still pass.
    """
    jobs = [
        (run, path)
        for run in built.values()
        if "print" not in run.skipped
        for path in OutputFolder.find(run.out).all_docx
    ]
    try:
        _print(jobs, work / "all")
    except ClientError:
        for run in {id(run): run for run, _ in jobs}.values():
            try:
                _print([job for job in jobs if job[0] is run], work / run.name)
            except ClientError as error:
                run.print_error = str(error)


def _print(jobs: list[tuple[Run, Path]], work: Path) -> None:
    # soffice names each PDF after its input's stem: give every file its own stem.
    staged = []
    for index, (_, path) in enumerate(jobs):
        target = work / "docx" / f"{index:03d}-{path.stem}.docx"
        target.parent.mkdir(parents=True, exist_ok=True)
        staged.append(shutil.copyfile(path, target))
    for (run, path), pdf in zip(jobs, docx_to_pdf_text(staged, work / "pdf"), strict=True):
        run.pdfs[path] = pdf


def _audit(page: Path, work: Path) -> list[str]:
    """What clients.browser_audit finds on a page (axe, requests, console, phone width)."""
    try:
        audit = browser_audit(page, work / "register-html.png")
    except ClientError as error:
        return [f"the browser audit could not run: {error}"]
    problems = [f"axe: {v}" for v in format_axe_violations(audit["violations"])]
    problems += [f"requested {r['url']}" for r in audit["requests"]]
    problems += [f"console error: {e}" for e in audit["console_errors"]]
    phone = audit["phone"]
    if phone["scrollWidth"] > phone["width"]:
        problems.append(f"scrolls sideways on a phone: {phone['overflowing']}")
    return problems


def _dom_probe(pages: list[Path]) -> list[dict]:
    """tests/hostile/dom_probe.mjs on every page in one Chromium."""
    if not pages:
        return []
    result = _run(["node", DOM_PROBE, *pages], timeout=60 + 10 * len(pages))
    if result.returncode != 0:
        raise ClientError(f"dom_probe.mjs failed (exit {result.returncode}):\n{result.stderr}")
    return json.loads(result.stdout)


def _vnu_batch(pages: list[Path]) -> dict[Path, list[str]]:
    """The Nu HTML checker's errors for many pages in one Java run, by resolved path.

    Like clients.vnu_errors, which starts the JVM for each page (about 1.5 s each).
    """
    if not pages:
        return {}
    cmd = ["java", "-jar", VNU_JAR, "--errors-only", "--format", "json", "--stdout", *pages]
    result = _run(cmd, timeout=120 + 5 * len(pages))
    try:
        report = json.loads(result.stdout[result.stdout.index("{") :])
    except ValueError as exc:
        raise ClientError(f"vnu gave no JSON report:\n{result.stdout}\n{result.stderr}") from exc
    errors: dict[Path, list[str]] = {}
    for message in report.get("messages", []):
        page = Path(message.get("url", "").removeprefix("file:")).resolve()
        if message.get("type") == "error" or message.get("subType") == "fatal":
            where = f"{message.get('lastLine', '?')}:{message.get('firstColumn', '?')}"
            errors.setdefault(page, []).append(f"{where}: {message.get('message')}")
    return errors


# --------------------------------------------------------------------------------------
# What each output holds
# --------------------------------------------------------------------------------------


def _markdown_links_and_html(md_text: str) -> tuple[list[str], list[str]]:
    """Every link destination and raw HTML the Markdown makes, as a GFM renderer reads it.

    markdown-it refuses javascript: links itself (validateLink), which would hide a
    destination our escaping let through; this parser accepts every destination, so the
    check sees what the Markdown says, not what one renderer happens to sanitise.
    """
    parser = _markdown_parser()
    parser.validateLink = lambda url: True
    links, html = [], []
    for token in parser.parse(md_text):
        if token.type == "html_block":
            html.append(token.content)
        for child in token.children or ():
            if child.type in ("link_open", "image"):
                links.append(str(child.attrs.get("href") or child.attrs.get("src") or ""))
            elif child.type == "html_inline" and child.content.lower() not in ("<br>", "<br/>"):
                html.append(child.content)
    return links, html


def _markdown_text(md_text: str) -> str:
    """The text a reader sees in the rendered Markdown (markdown-it, entities decoded)."""
    parts = []
    for token in _markdown_parser().parse(md_text):
        for child in token.children or ():
            if child.type in ("text", "code_inline"):
                parts.append(child.content)
            elif child.type in ("softbreak", "hardbreak", "html_inline"):
                parts.append("\n")
        parts.append("\n")
    return "".join(parts)


def _docx_link_targets(docx: Path) -> list[str]:
    """Every external relationship target and HYPERLINK field of a DOCX package."""
    targets = []
    with zipfile.ZipFile(docx) as archive:
        for name in archive.namelist():
            if name.endswith(".rels"):
                for rel in etree.fromstring(archive.read(name)).iter(PKG_REL):
                    if rel.get("TargetMode") == "External":
                        targets.append(rel.get("Target", ""))
            elif name.startswith("word/") and name.endswith(".xml"):
                text = archive.read(name).decode("utf-8")
                targets += re.findall(r'HYPERLINK\s+"([^"]*)"', text)
    return targets


def _structure_problems(run: Run, docx: Path) -> list[str]:
    """docx_structure_problems, except template syntax the record itself holds as text.

    The check reports `{{` in a paragraph as a template left unrendered; when the record's
    text contains it, finding it printed literally is the point of the case.
    """
    literal = any(mark in text for text in run.expected for mark in TEMPLATE_MARKS)
    return [
        p
        for p in docx_structure_problems(docx)
        if not (literal and "template syntax" in p and "left in paragraph" in p)
    ]


def _docx_text(docx: Path) -> str:
    """A DOCX's text straight from its XML: paragraphs, line breaks and tabs as Word shows
    them. Empty when the XML does not parse (the structure check reports that)."""
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    marks = {f"{w}br": "\n", f"{w}cr": "\n", f"{w}tab": "\t"}
    with zipfile.ZipFile(docx) as archive:
        try:
            root = etree.fromstring(archive.read("word/document.xml"))
        except etree.XMLSyntaxError:
            return ""
    return "\n".join(
        "".join(
            (el.text or "") if el.tag == f"{w}t" else marks[el.tag]
            for el in p.iter(f"{w}t", *marks)
            if el.getparent().tag != f"{w}tabs"  # a tab stop, not a tab
        )
        for p in root.iter(f"{w}p")
    )


def _seen(run: Run) -> dict[str, str]:
    """What a reader sees: the DOCX's own text, Chromium's page, markdown-it's rendering."""
    folder = OutputFolder.find(run.out)
    return {
        "register.docx (XML)": _docx_text(folder.register_docx),
        "activities/*.docx (XML)": "\n".join(_docx_text(p) for p in folder.activity_docx),
        "register.html (Chromium)": run.dom["text"],
        "register.md (markdown-it)": _markdown_text(folder.register_md.read_text(encoding="utf-8")),
    }


def _count(text: str, part: str) -> int:
    return normalize_text(text).count(normalize_text(part))


def _text_problems(run: Run, folder: OutputFolder) -> list[str]:
    """The text as written must be what a reader of each output sees.

    Seen: the DOCX's own text (its XML, exact), Chromium's page, markdown-it's rendering; and
    as often as a plain text put in the same fields (so one field that mangles it is caught
    even when the other fields show it).
    Printed: LibreOffice's PDF of each DOCX, read back by pdftotext; `pdf_text` replaces the
    expected text there where printing changes it (right-to-left text comes back in visual
    order, invisible characters and glyphs a font lacks come back not at all).
    """
    seen = _seen(run)
    printed = {}
    if run.print_error:
        return [f"LibreOffice could not print it: {run.print_error}"]
    if "print" not in run.skipped:
        printed = {
            "register.docx (PDF)": run.pdfs[folder.register_docx].text,
            "activities/*.docx (PDF)": "\n".join(run.pdfs[p].text for p in folder.activity_docx),
        }
    problems = []
    for texts, expected in ((seen, run.expected), (printed, run.spec.get("pdf_text"))):
        for text in expected or run.expected:
            problems += [
                f"{output} lacks the text as written: {text[:200]!r}"
                for output, shown in texts.items()
                if not text_contains(shown, text)
            ]
    if run.marker and run.marker.code != 0:
        problems.append(f"its plain-text twin does not build:\n{run.marker.report()}")
    elif run.marker:
        plain = _seen(run.marker)
        for output, shown in seen.items():
            found, wanted = _count(shown, run.spec["payload"]), _count(plain[output], MARKER)
            if found != wanted:
                problems.append(
                    f"{output} shows the text as written {found} times; a plain text in the "
                    f"same fields shows {wanted} times"
                )
    for forbidden in run.spec.get("forbid_text", ()):
        problems += [
            f"{output} shows {forbidden!r}"
            for output, shown in {**seen, **printed}.items()
            if forbidden in shown
        ]
    return problems


def _docx_problems(run: Run, folder: OutputFolder) -> list[str]:
    problems = []
    for path in folder.all_docx:
        name = path.relative_to(folder.root)
        problems += [f"{name}: {p}" for p in _structure_problems(run, path)]
        problems += [
            f"{name}: dangerous hyperlink target {t!r}"
            for t in _docx_link_targets(path)
            if DANGEROUS_URL.match(t)
        ]
        pdf = run.pdfs.get(path)
        limited = path in folder.activity_docx and "page-limit" not in run.skipped
        if pdf and limited and pdf.page_count > MAX_ACTIVITY_PAGES:
            problems.append(f"{name}: {pdf.page_count} pages, at most {MAX_ACTIVITY_PAGES}")
    return problems


def _html_problems(run: Run) -> list[str]:
    dom = run.dom
    problems = [f"register.html: live element {e}" for e in dom["active"]]
    problems += [f"register.html: event handler {h}" for h in dom["handlers"]]
    problems += [f"register.html: dangerous URL {u}" for u in dom["dangerousUrls"]]
    problems += [f"register.html: a dialog opened: {d}" for d in dom["dialogs"]]
    problems += [f"register.html (vnu): {e}" for e in run.vnu]
    return problems + [f"register.html (browser audit): {p}" for p in run.audit]


def _markdown_problems(folder: OutputFolder) -> list[str]:
    md_source = folder.register_md.read_text(encoding="utf-8")
    links, html = _markdown_links_and_html(md_source)
    problems = [f"register.md: dangerous link {x!r}" for x in links if DANGEROUS_URL.match(x)]
    problems += [f"register.md: raw HTML {h[:100]!r}" for h in html]
    problems += [f"register.md: {p}" for p in gfm_table_problems(md_source)]
    return problems


def _client_problems(run: Run) -> list[str]:
    folder = OutputFolder.find(run.out)
    return (
        _text_problems(run, folder)
        + _docx_problems(run, folder)
        + _html_problems(run)
        + _markdown_problems(folder)
    )


# --------------------------------------------------------------------------------------
# The test
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", CASES)
def test_hostile_case(name: str, hostile_runs: dict[str, Run], request: pytest.FixtureRequest):
    run = hostile_runs[name]
    assert "Traceback" not in run.stderr, f"{name}: a traceback\n{run.report()}"
    if "error" in run.spec:
        _assert_refused(run)
        return
    assert run.code == 0, f"{name} should build:\n{run.report()}"
    for output in run.spec.get("expect_files", ()):
        assert (run.out / output).is_file(), f"{name}: no {output} in {sorted(run.out.rglob('*'))}"
    checked = request.getfixturevalue("client_runs")[name]
    problems = _client_problems(checked)
    assert not problems, f"{name}: {len(problems)} problem(s):\n" + "\n".join(
        f"  - {p}" for p in problems
    )


def _assert_refused(run: Run) -> None:
    error = run.spec["error"]
    assert run.code == 1, f"{run.name} should exit 1:\n{run.report()}"
    place = f"{error['path']}:{error['line']}:"
    lines = [
        line
        for line in run.stderr.splitlines()
        if line.startswith(place) and f": error[{error['code']}]: " in line
    ]
    assert lines, f"{run.name}: no error[{error['code']}] at {place}\n{run.report()}"
    assert " — " in lines[0], f"{run.name}: the message has no hint: {lines[0]}"
    if "message" in run.spec:
        assert run.spec["message"] in lines[0], f"{run.name}: {lines[0]}"
    assert _digest(run.out) == run.before, f"{run.name}: the previous output was changed"
    beside = {p.name for p in run.out.parent.iterdir()} - {"register", "output", "outside.yaml"}
    assert not beside, f"{run.name}: the refused build left {sorted(beside)} beside the output"


def test_every_case_is_a_folder_with_a_case_file():
    """A stray file in tests/hostile/ is a case nobody runs; 40 cases is the floor."""
    assert len(CASES) >= 40, f"only {len(CASES)} hostile cases"
    expected = {BASE_RECORD.name, DOM_PROBE.name, "README.md"}
    strays = sorted(
        p.name for p in HOSTILE.iterdir() if p.is_file() and p.name not in expected
    ) + sorted(p.name for p in HOSTILE.iterdir() if p.is_dir() and not (p / "case.yaml").exists())
    assert not strays, f"not hostile cases: {strays}"
