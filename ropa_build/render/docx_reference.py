"""Prepare a reference document once: its small parts parsed and cut into string templates.

Word lays out what we write in the look a user gave ``templates/reference.docx`` (pandoc's
``--reference-doc`` convention). Preparing it — finding the main document, its relationships,
numbering, core properties, headers and footers through the package's own relationships, never
by fixed names — is done once per reference and cached; packaging a document
(:mod:`ropa_build.render.docx_package`) then only concatenates strings.

Problems with a reference are :class:`ValueError` with a sentence a user can act on; the DOCX
format (:mod:`ropa_build.render.docx`) turns them into a user error at the reference's path.
"""

from __future__ import annotations

import functools
import io
import posixpath
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from lxml import etree

from ropa_build.render.ooxml_zip import Entry, deflate

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
CP_NS = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
DC_NS = "http://purl.org/dc/elements/1.1/"
DCTERMS_NS = "http://purl.org/dc/terms/"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"

REL_DOCUMENT = R_NS + "/officeDocument"
REL_CORE = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
REL_THUMBNAIL = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail"
REL_NUMBERING = R_NS + "/numbering"
REL_STYLES = R_NS + "/styles"
REL_HEADER = R_NS + "/header"
REL_FOOTER = R_NS + "/footer"
REL_HYPERLINK = R_NS + "/hyperlink"

CONTENT_TYPES = "[Content_Types].xml"
PACKAGE_RELS = "_rels/.rels"

#: numId of the bullet list; numbered lists use FIRST_LIST_NUM_ID + i.
BULLET_NUM_ID = 1
#: The reference's decimal list; per-list numIds share its abstract definition.
DECIMAL_NUM_ID = 2
FIRST_LIST_NUM_ID = 100


# Where per-document content goes in a prepared part.  A private-use character
# cannot occur in a real reference, so the split points are unambiguous.
_MARK = "\ue000ropa-build\ue000"
_COMMENT_MARK = f"<!--{_MARK}-->"
TITLE_MARK = "\ue000title\ue000"
DATE_MARK = "\ue000date\ue000"

# Built-in styles the renderer uses, by Word's invariant English name.  A localised
# Word saves them under translated IDs (e.g. "Overskrift1"); see _style_aliases.
BUILTIN_STYLE_NAMES = MappingProxyType(
    {
        "Normal": "normal",
        "Title": "title",
        "Subtitle": "subtitle",
        "Heading1": "heading 1",
        "Heading2": "heading 2",
        "Heading3": "heading 3",
        "TOCHeading": "toc heading",
        "TOC1": "toc 1",
        "TOC2": "toc 2",
        "Hyperlink": "hyperlink",
    }
)

_STYLE_REF = re.compile(r'(<w:(?:pStyle|rStyle|tblStyle) w:val=")([^"]*)(")')


@dataclass(frozen=True, slots=True)
class Splice:
    """A serialised part cut at the one place where generated XML goes."""

    head: str
    tail: str

    def fill(self, middle: str) -> str:
        return self.head + middle + self.tail


# ------------------------------------------------------- preparing a reference


@dataclass(frozen=True, slots=True)
class Numbering:
    """numbering.xml cut where new ``w:num`` go, its numIds, the decimal abstract."""

    splice: Splice | None = None
    num_ids: frozenset[int] = frozenset()
    decimal_abstract: str | None = None


@dataclass(frozen=True, slots=True)
class Reference:
    """Everything derived from one reference document, reused across calls."""

    order: tuple[str, ...]
    static: Mapping[str, Entry]
    document_name: str
    document: Splice
    rels_name: str
    rels: Splice
    rel_ids: frozenset[str]
    core_name: str
    core: str
    numbering_name: str
    numbering: Numbering
    titled: tuple[tuple[str, str], ...]
    style_aliases: Mapping[str, str]
    style_ids: frozenset[str]

    def rename_styles(self, body_xml: str) -> str:
        """Point built-in style references at the reference's own IDs, if they differ."""
        if not self.style_aliases:
            return body_xml
        aliases = self.style_aliases
        return _STYLE_REF.sub(
            lambda m: m.group(1) + aliases.get(m.group(2), m.group(2)) + m.group(3), body_xml
        )


@functools.lru_cache(maxsize=4)
def prepare(reference: bytes) -> Reference:
    """Parse the reference's small parts once and cut them into templates.

    Cached on the reference bytes (bytes cache their own hash), so packaging many
    documents against one reference parses it only once.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(reference)) as archive:
            files = {name: archive.read(name) for name in archive.namelist()}
    except zipfile.BadZipFile as exc:
        raise ValueError(f"the reference document is not a .docx (ZIP) file: {exc}") from None
    if CONTENT_TYPES not in files or PACKAGE_RELS not in files:
        raise ValueError("the reference document is not an OOXML package")

    package_rels = _parse(files, PACKAGE_RELS)
    document_name = _require(_targets(package_rels, "", REL_DOCUMENT), "main document")
    core_name = _require(_targets(package_rels, "", REL_CORE), "docProps/core.xml")
    dropped = _drop_thumbnails(files, package_rels)

    rels_name = _rels_name(document_name)
    doc_rels = _parse(files, rels_name)
    rel_ids = frozenset(rel.get("Id") for rel in doc_rels.iter(f"{{{PKG_REL_NS}}}Relationship"))
    base = posixpath.dirname(document_name)
    numbering_name = next(iter(_targets(doc_rels, base, REL_NUMBERING)), "")
    numbering = _prepare_numbering(files, numbering_name) if numbering_name else Numbering()
    styles_name = next(iter(_targets(doc_rels, base, REL_STYLES)), "")
    titled = tuple(
        (name, text)
        for name in _targets(doc_rels, base, REL_HEADER) + _targets(doc_rels, base, REL_FOOTER)
        if (text := _prepare_title_fields(files, name)) is not None
    )

    dynamic = {document_name, rels_name, core_name, numbering_name, *(n for n, _ in titled)}
    order = [CONTENT_TYPES] + [n for n in files if n != CONTENT_TYPES and n not in dropped]
    return Reference(
        order=tuple(order),
        static=MappingProxyType({n: deflate(n, [files[n]]) for n in order if n not in dynamic}),
        document_name=document_name,
        document=_prepare_document(files, document_name),
        rels_name=rels_name,
        rels=_splice(_with_mark(doc_rels, len(doc_rels))),
        rel_ids=rel_ids,
        core_name=core_name,
        core=_prepare_core(files, core_name),
        numbering_name=numbering_name,
        numbering=numbering,
        titled=titled,
        style_aliases=MappingProxyType(_style_aliases(files, styles_name)),
        style_ids=_style_ids(files, styles_name),
    )


def _parse(files: Mapping[str, bytes], name: str) -> etree._Element:
    if name not in files:
        raise ValueError(f"the reference document has no part {name}")
    try:
        return etree.fromstring(files[name], etree.XMLParser(resolve_entities=False))
    except etree.XMLSyntaxError as exc:
        raise ValueError(f"{name} in the reference document is not XML: {exc}") from None


def _serialise(root: etree._Element) -> str:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True).decode()


def _with_mark(root: etree._Element, index: int) -> etree._Element:
    """Insert the splice marker as a comment at child *index* of *root*."""
    root.insert(index, etree.Comment(_MARK))
    return root


def _splice(root: etree._Element) -> Splice:
    head, tail = _serialise(root).split(_COMMENT_MARK)
    return Splice(head, tail)


def _require(names: list[str], what: str) -> str:
    if not names:
        raise ValueError(f"the reference document has no {what}")
    return names[0]


def _targets(rels: etree._Element, base: str, reltype: str) -> list[str]:
    """Part names of internal relationships of *reltype*, resolved against *base*."""
    names = []
    for rel in rels.iter(f"{{{PKG_REL_NS}}}Relationship"):
        if rel.get("Type") == reltype and rel.get("TargetMode") != "External":
            target = rel.get("Target", "")
            path = target[1:] if target.startswith("/") else posixpath.join(base, target)
            names.append(posixpath.normpath(path))
    return names


def _rels_name(part_name: str) -> str:
    folder, file = posixpath.split(part_name)
    return posixpath.join(folder, "_rels", file + ".rels")


def _drop_thumbnails(files: dict[str, bytes], package_rels: etree._Element) -> set[str]:
    """Remove the package thumbnail: it would show the reference's sample page.

    Rewrites ``_rels/.rels`` and ``[Content_Types].xml`` in *files* and returns the
    part names to leave out.
    """
    dropped = set(_targets(package_rels, "", REL_THUMBNAIL))
    if not dropped:
        return dropped
    for rel in list(package_rels):
        if rel.get("Type") == REL_THUMBNAIL:
            package_rels.remove(rel)
    files[PACKAGE_RELS] = _serialise(package_rels).encode()
    types = _parse(files, CONTENT_TYPES)
    for override in types.findall(f"{{{CT_NS}}}Override"):
        if override.get("PartName", "").lstrip("/") in dropped:
            types.remove(override)
    files[CONTENT_TYPES] = _serialise(types).encode()
    return dropped


def _prepare_document(files: Mapping[str, bytes], name: str) -> Splice:
    """document.xml without its body content, keeping the final ``w:sectPr``.

    The body renderer writes ``w:`` and ``r:`` prefixes, so the root must bind
    them to the WordprocessingML and relationship namespaces.
    """
    root = _parse(files, name)
    for prefix, uri in (("w", W_NS), ("r", R_NS)):
        if root.nsmap.get(prefix) != uri:
            raise ValueError(f"{name} in the reference does not declare xmlns:{prefix}={uri}")
    body = root.find(f"{{{W_NS}}}body")
    if body is None:
        raise ValueError(f"{name} in the reference has no w:body")
    last = body[-1] if len(body) else None
    keep = last if last is not None and last.tag == f"{{{W_NS}}}sectPr" else None
    for child in list(body):
        if child is not keep:
            body.remove(child)
    body.text = None
    _with_mark(body, 0)
    return _splice(root)


def _prepare_numbering(files: Mapping[str, bytes], name: str) -> Numbering:
    """Where new ``w:num`` elements go in numbering.xml, and what they may use.

    The schema wants every ``w:num`` after every ``w:abstractNum`` and only
    ``w:numIdMacAtCleanup`` after them, so new ones go just before that or at the end.
    The abstract is looked up through numId 2 rather than assumed, because Word
    renumbers abstractNumIds when it saves.
    """
    root = _parse(files, name)
    num_ids: set[int] = set()
    decimal_abstract = None
    for num in root.findall(f"{{{W_NS}}}num"):
        num_id = int(num.get(f"{{{W_NS}}}numId", "-1"))
        num_ids.add(num_id)
        abstract = num.find(f"{{{W_NS}}}abstractNumId")
        if num_id == DECIMAL_NUM_ID and abstract is not None:
            decimal_abstract = abstract.get(f"{{{W_NS}}}val")
    cleanup = root.find(f"{{{W_NS}}}numIdMacAtCleanup")
    index = root.index(cleanup) if cleanup is not None else len(root)
    return Numbering(_splice(_with_mark(root, index)), frozenset(num_ids), decimal_abstract)


def _prepare_core(files: Mapping[str, bytes], name: str) -> str:
    """core.xml with markers for title and dates; author fields say ropa-build.

    Everything else (subject, keywords, category) is kept: a user may set those
    once in the reference for every register.
    """
    root = _parse(files, name)
    for tag, value in (
        (f"{{{DC_NS}}}title", TITLE_MARK),
        (f"{{{DC_NS}}}creator", "ropa-build"),
        (f"{{{CP_NS}}}lastModifiedBy", "ropa-build"),
        (f"{{{CP_NS}}}revision", "1"),
        (f"{{{DCTERMS_NS}}}created", DATE_MARK),
        (f"{{{DCTERMS_NS}}}modified", DATE_MARK),
    ):
        element = root.find(tag)
        if element is None:
            element = etree.SubElement(root, tag, nsmap=_CORE_PREFIXES[etree.QName(tag).namespace])
        element.text = value
        if value == DATE_MARK:
            element.set(f"{{{XSI_NS}}}type", "dcterms:W3CDTF")
    for stale in root.findall(f"{{{CP_NS}}}lastPrinted"):
        root.remove(stale)
    return _serialise(root)


# Declared on elements _prepare_core has to add (the xsi:type value uses "dcterms:").
_CORE_PREFIXES = MappingProxyType(
    {
        DC_NS: {"dc": DC_NS},
        CP_NS: {"cp": CP_NS},
        DCTERMS_NS: {"dcterms": DCTERMS_NS, "xsi": XSI_NS},
    }
)


def _is_title_field(instr: str | None) -> bool:
    words = (instr or "").split()
    return bool(words) and words[0].upper() == "TITLE"


def _prepare_title_fields(files: Mapping[str, bytes], name: str) -> str | None:
    """The part with every ``TITLE`` field result replaced by a marker, or None.

    Handles both simple fields and the begin/separate/end runs Word turns them
    into when it saves; Word and LibreOffice recalculate the field anyway, but
    previewers and converters show the stored result.
    """
    root = _parse(files, name)
    targets = [
        list(field.iter(f"{{{W_NS}}}t"))
        for field in root.iter(f"{{{W_NS}}}fldSimple")
        if _is_title_field(field.get(f"{{{W_NS}}}instr"))
    ]
    targets += _complex_title_results(root)
    found = False
    for texts in targets:
        if texts:
            texts[0].text = TITLE_MARK
            texts[0].set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            for extra in texts[1:]:
                extra.text = ""
            found = True
    return _serialise(root) if found else None


def _complex_title_results(root: etree._Element) -> list[list[etree._Element]]:
    """``w:t`` elements in the result of each complex ``TITLE`` field, in order."""
    results: list[list[etree._Element]] = []
    stack: list[list] = []  # [instruction, in result?, result texts] per open field
    tags = (f"{{{W_NS}}}fldChar", f"{{{W_NS}}}instrText", f"{{{W_NS}}}t")
    for el in root.iter(*tags):
        if el.tag == tags[0]:
            kind = el.get(f"{{{W_NS}}}fldCharType")
            if kind == "begin":
                stack.append(["", False, []])
            elif kind == "separate" and stack:
                stack[-1][1] = True
            elif kind == "end" and stack:
                instr, _, texts = stack.pop()
                if _is_title_field(instr):
                    results.append(texts)
        elif stack and el.tag == tags[1] and not stack[-1][1]:
            stack[-1][0] += el.text or ""
        elif stack and el.tag == tags[2] and stack[-1][1]:
            stack[-1][2].append(el)
    return results


def _style_ids(files: Mapping[str, bytes], name: str) -> frozenset[str]:
    if not name:
        return frozenset()
    return frozenset(
        style.get(f"{{{W_NS}}}styleId", "")
        for style in _parse(files, name).iter(f"{{{W_NS}}}style")
    )


def _style_aliases(files: Mapping[str, bytes], name: str) -> dict[str, str]:
    """Map the renderer's built-in style IDs to the reference's, where they differ.

    Word in another language saves built-in styles under translated IDs
    ("Overskrift1" for Heading1) but keeps the English ``w:name``; pandoc had the
    same problem.  Empty in the usual case, so most calls skip the substitution.
    """
    if not name:
        return {}
    ids_by_name: dict[str, str] = {}
    ids = set()
    for style in _parse(files, name).iter(f"{{{W_NS}}}style"):
        style_id = style.get(f"{{{W_NS}}}styleId", "")
        ids.add(style_id)
        name_el = style.find(f"{{{W_NS}}}name")
        if name_el is not None:
            ids_by_name.setdefault(name_el.get(f"{{{W_NS}}}val", "").lower(), style_id)
    return {
        canonical: ids_by_name[style_name]
        for canonical, style_name in BUILTIN_STYLE_NAMES.items()
        if canonical not in ids and style_name in ids_by_name
    }
