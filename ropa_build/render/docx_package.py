"""Put rendered WordprocessingML body XML into a copy of a reference document.

This follows pandoc's ``--reference-doc`` convention: the DOCX look (styles,
numbering, page size, header, footer, theme) lives in a ``.docx`` a user restyles
in Word, and the renderer produces only the body.  Packaging copies every part of
the reference and changes just these:

* ``word/document.xml``: the reference's root element with all its namespace
  declarations, the new body, then the reference's final ``w:sectPr`` (page set-up
  and header/footer references);
* ``word/_rels/document.xml.rels``: one external relationship per hyperlink;
* ``word/numbering.xml``: one ``w:num`` per numbered list so each restarts at 1;
* ``docProps/core.xml``: title, dates, author; nothing is taken from the clock;
* headers and footers: the cached result of ``TITLE`` fields, so viewers that do
  not recalculate fields still show the right title.

The reference's small parts are parsed once (with lxml) per reference and turned
into string templates; each call then only concatenates strings.  The body itself
is never parsed: it can hold thousands of activities, it was produced by our own
templates, and parsing and re-serialising it would cost far more than everything
else here together.

The output is deterministic: the same arguments give the same bytes (with the
same zlib), because ZIP entries carry fixed timestamps and attributes and are
written in a fixed order.  That keeps generated registers diffable and cacheable.
"""

from __future__ import annotations

import functools
import io
import itertools
import posixpath
import re
import struct
import zipfile
import zlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from types import MappingProxyType

from lxml import etree

__all__ = ["FIRST_LIST_NUM_ID", "package_docx"]

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

ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # the earliest a ZIP header can hold
COMPRESS_LEVEL = 6

# Where per-document content goes in a prepared part.  A private-use character
# cannot occur in a real reference, so the split points are unambiguous.
_MARK = "\ue000ropa-build\ue000"
_COMMENT_MARK = f"<!--{_MARK}-->"
_TITLE_MARK = "\ue000title\ue000"
_DATE_MARK = "\ue000date\ue000"

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

_REL_ID = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*\Z")
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_STYLE_REF = re.compile(r'(<w:(?:pStyle|rStyle|tblStyle) w:val=")([^"]*)(")')
_ATTR_ESCAPES = str.maketrans(
    {
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        '"': "&quot;",
        "\t": "&#9;",
        "\n": "&#10;",
        "\r": "&#13;",
    }
)
_TEXT_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


# ------------------------------------------------------------------ public entry


def package_docx(
    reference: bytes,
    body_xml: str | Iterable[str],
    *,
    hyperlinks: Sequence[tuple[str, str]],
    numbered_lists: int,
    title: str,
    created: datetime,
) -> bytes:
    """Return a .docx: *reference* with its body replaced by *body_xml*.

    *body_xml* is the escaped inner XML of ``w:body`` without the final
    ``w:sectPr``, using the ``w:`` and ``r:`` prefixes; it may come in pieces (a
    register's body is streamed into the ZIP, never held whole).  *hyperlinks* are the
    ``(relationship id, URL)`` pairs its ``w:hyperlink r:id`` attributes refer to;
    *numbered_lists* is how many numIds from ``FIRST_LIST_NUM_ID`` up it uses.
    *created* (naive means UTC) becomes both created and modified date.

    Raises ValueError for a reference this cannot work with, a hyperlink id that
    clashes with one of the reference's relationships, or a title XML cannot hold.
    """
    ref = _prepare(reference)
    if numbered_lists < 0:
        raise ValueError("numbered_lists must not be negative")
    if ref.style_aliases:  # rare (a Word saved in another language): rename in one piece
        body_xml = (ref.rename_styles("".join(body_xml)),)
    elif isinstance(body_xml, str):
        body_xml = (body_xml,)
    parts: dict[str, str | Iterable[str]] = {
        ref.document_name: itertools.chain((ref.document.head,), body_xml, (ref.document.tail,)),
        ref.rels_name: ref.rels.fill(_hyperlink_rels(ref.rel_ids, hyperlinks)),
        ref.core_name: _fill_core(ref.core, title, created),
        **{name: text.replace(_TITLE_MARK, _text(title)) for name, text in ref.titled},
    }
    if ref.numbering.splice is not None:
        parts[ref.numbering_name] = ref.numbering.splice.fill(
            _list_nums(ref.numbering, numbered_lists)
        )
    elif numbered_lists:
        raise ValueError("the reference document has no numbering part for numbered lists")
    return _zip(ref.order, ref.static, parts)


# -------------------------------------------------------------- per-call pieces


@dataclass(frozen=True, slots=True)
class _Splice:
    """A serialised part cut at the one place where generated XML goes."""

    head: str
    tail: str

    def fill(self, middle: str) -> str:
        return self.head + middle + self.tail


def _hyperlink_rels(taken: frozenset[str], hyperlinks: Sequence[tuple[str, str]]) -> str:
    """Relationship elements for *hyperlinks*, refusing ids that would be ambiguous.

    A duplicate Id makes Word declare the file corrupt, so clashes are errors
    here rather than a broken document later.
    """
    seen: set[str] = set()
    out = []
    for r_id, url in hyperlinks:
        if not _REL_ID.match(r_id):
            raise ValueError(f"hyperlink relationship id {r_id!r} is not an XML name")
        if r_id in taken or r_id in seen:
            raise ValueError(f"hyperlink relationship id {r_id!r} is already used")
        seen.add(r_id)
        out.append(
            f'<Relationship Id="{r_id}" Type="{REL_HYPERLINK}" '
            f'Target="{url.translate(_ATTR_ESCAPES)}" TargetMode="External"/>'
        )
    return "".join(out)


def _list_nums(numbering: _Numbering, count: int) -> str:
    """One ``w:num`` per numbered list: same look as numId 2, but restarting at 1.

    Lists that share a numId continue each other's numbering in Word; a
    startOverride on a fresh numId is how Word itself restarts a list.
    """
    clash = numbering.num_ids & set(range(FIRST_LIST_NUM_ID, FIRST_LIST_NUM_ID + count))
    if clash:
        raise ValueError(f"the reference already defines numId {min(clash)}")
    if count and numbering.decimal_abstract is None:
        raise ValueError(f"the reference has no numId {DECIMAL_NUM_ID} (the numbered list)")
    return "".join(
        f'<w:num w:numId="{FIRST_LIST_NUM_ID + i}">'
        f'<w:abstractNumId w:val="{numbering.decimal_abstract}"/>'
        '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'
        for i in range(count)
    )


def _fill_core(template: str, title: str, created: datetime) -> str:
    """core.xml for this document; W3CDTF wants UTC with a literal Z."""
    if created.tzinfo is not None:
        created = created.astimezone(UTC)
    stamp = created.strftime("%Y-%m-%dT%H:%M:%SZ")
    return template.replace(_TITLE_MARK, _text(title)).replace(_DATE_MARK, stamp)


def _text(value: str) -> str:
    """*value* escaped as XML character data; rejects characters XML 1.0 forbids."""
    if _XML_ILLEGAL.search(value):
        raise ValueError(f"{value!r} contains a control character XML cannot hold")
    return value.translate(_TEXT_ESCAPES)


def _zip(
    order: Sequence[str], static: Mapping[str, _Entry], dynamic: Mapping[str, str | Iterable[str]]
) -> bytes:
    """Write the package with fixed metadata so equal input gives equal bytes.

    A small ZIP writer rather than zipfile: the reference's static parts are deflated once per
    reference (:func:`_prepare`) and their compressed bytes copied into every document, which
    zipfile cannot do; only the parts that change are deflated per call. Entries carry the
    earliest date a ZIP can hold and no host file modes, as Word writes them.
    """
    out = io.BytesIO()
    central = []
    for name in order:
        entry = _deflate(name, _encoded(dynamic[name])) if name in dynamic else static[name]
        central.append(_header(_CENTRAL, entry, out.tell()))
        out.write(_header(_LOCAL, entry))
        out.write(entry.data)
    start = out.tell()
    out.writelines(central)
    size = out.tell() - start
    if len(order) > 0xFFFF or start > 0xFFFFFFFF:
        raise ValueError("the document is too large for a ZIP file without ZIP64")
    out.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(order), len(order), size, start, 0))
    return out.getvalue()


@dataclass(frozen=True, slots=True)
class _Entry:
    """One ZIP member, already deflated."""

    name: bytes
    crc: int
    size: int
    data: bytes


def _deflate(name: str, pieces: Iterable[bytes]) -> _Entry:
    """Raw deflate of the pieces, with their CRC-32 and length, as one ZIP member."""
    packer = zlib.compressobj(COMPRESS_LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS)
    crc = size = 0
    packed = []
    for piece in pieces:
        crc, size = zlib.crc32(piece, crc), size + len(piece)
        packed.append(packer.compress(piece))
    packed.append(packer.flush())
    if size > 0xFFFFFFFF:
        raise ValueError(f"{name} is too large for a ZIP file without ZIP64")
    return _Entry(name.encode(), crc, size, b"".join(packed))


def _encoded(chunks: Iterable[str], batch: int = 1 << 16) -> Iterator[bytes]:
    """UTF-8 in pieces of about ``batch`` characters (a template yields thousands of tiny ones)."""
    if isinstance(chunks, str):
        yield chunks.encode()
        return
    pending: list[str] = []
    length = 0
    for chunk in chunks:
        pending.append(chunk)
        length += len(chunk)
        if length >= batch:
            yield "".join(pending).encode()
            pending, length = [], 0
    yield "".join(pending).encode()


_LOCAL, _CENTRAL = b"PK\x03\x04", b"PK\x01\x02"
_DOS_DATE = (ZIP_DATE[0] - 1980) << 9 | ZIP_DATE[1] << 5 | ZIP_DATE[2]
_DOS_TIME = ZIP_DATE[3] << 11 | ZIP_DATE[4] << 5 | ZIP_DATE[5] // 2


def _header(signature: bytes, entry: _Entry, offset: int = 0) -> bytes:
    """A local (``offset`` unused) or central directory header: deflate, version 2.0, MS-DOS."""
    flags = 0 if entry.name.isascii() else 0x800  # UTF-8 names
    common = struct.pack(
        "<4H3L2H",
        flags,
        zipfile.ZIP_DEFLATED,
        _DOS_TIME,
        _DOS_DATE,
        entry.crc,
        len(entry.data),
        entry.size,
        len(entry.name),
        0,  # no extra field
    )
    if signature == _LOCAL:
        return _LOCAL + struct.pack("<H", 20) + common + entry.name
    # made by MS-DOS 2.0, needs 2.0; no comment, disk 0, no attributes; where the entry starts
    tail = struct.pack("<3HLL", 0, 0, 0, 0, offset)
    return _CENTRAL + struct.pack("<2H", 20, 20) + common + tail + entry.name


# ------------------------------------------------------- preparing a reference


@dataclass(frozen=True, slots=True)
class _Numbering:
    """numbering.xml cut where new ``w:num`` go, its numIds, the decimal abstract."""

    splice: _Splice | None = None
    num_ids: frozenset[int] = frozenset()
    decimal_abstract: str | None = None


@dataclass(frozen=True, slots=True)
class _Reference:
    """Everything derived from one reference document, reused across calls."""

    order: tuple[str, ...]
    static: Mapping[str, _Entry]
    document_name: str
    document: _Splice
    rels_name: str
    rels: _Splice
    rel_ids: frozenset[str]
    core_name: str
    core: str
    numbering_name: str
    numbering: _Numbering
    titled: tuple[tuple[str, str], ...]
    style_aliases: Mapping[str, str]

    def rename_styles(self, body_xml: str) -> str:
        """Point built-in style references at the reference's own IDs, if they differ."""
        if not self.style_aliases:
            return body_xml
        aliases = self.style_aliases
        return _STYLE_REF.sub(
            lambda m: m.group(1) + aliases.get(m.group(2), m.group(2)) + m.group(3), body_xml
        )


@functools.lru_cache(maxsize=4)
def _prepare(reference: bytes) -> _Reference:
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
    numbering = _prepare_numbering(files, numbering_name) if numbering_name else _Numbering()
    styles_name = next(iter(_targets(doc_rels, base, REL_STYLES)), "")
    titled = tuple(
        (name, text)
        for name in _targets(doc_rels, base, REL_HEADER) + _targets(doc_rels, base, REL_FOOTER)
        if (text := _prepare_title_fields(files, name)) is not None
    )

    dynamic = {document_name, rels_name, core_name, numbering_name, *(n for n, _ in titled)}
    order = [CONTENT_TYPES] + [n for n in files if n != CONTENT_TYPES and n not in dropped]
    return _Reference(
        order=tuple(order),
        static=MappingProxyType({n: _deflate(n, [files[n]]) for n in order if n not in dynamic}),
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


def _splice(root: etree._Element) -> _Splice:
    head, tail = _serialise(root).split(_COMMENT_MARK)
    return _Splice(head, tail)


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


def _prepare_document(files: Mapping[str, bytes], name: str) -> _Splice:
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


def _prepare_numbering(files: Mapping[str, bytes], name: str) -> _Numbering:
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
    return _Numbering(_splice(_with_mark(root, index)), frozenset(num_ids), decimal_abstract)


def _prepare_core(files: Mapping[str, bytes], name: str) -> str:
    """core.xml with markers for title and dates; author fields say ropa-build.

    Everything else (subject, keywords, category) is kept: a user may set those
    once in the reference for every register.
    """
    root = _parse(files, name)
    for tag, value in (
        (f"{{{DC_NS}}}title", _TITLE_MARK),
        (f"{{{DC_NS}}}creator", "ropa-build"),
        (f"{{{CP_NS}}}lastModifiedBy", "ropa-build"),
        (f"{{{CP_NS}}}revision", "1"),
        (f"{{{DCTERMS_NS}}}created", _DATE_MARK),
        (f"{{{DCTERMS_NS}}}modified", _DATE_MARK),
    ):
        element = root.find(tag)
        if element is None:
            element = etree.SubElement(root, tag, nsmap=_CORE_PREFIXES[etree.QName(tag).namespace])
        element.text = value
        if value == _DATE_MARK:
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
            texts[0].text = _TITLE_MARK
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
