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
* ``docProps/core.xml``: title, dates, author, revision; nothing is taken from the clock;
* ``docProps/custom.xml`` (with its content type and package relationship), when properties
  are given: where the document comes from (the commit), which Word shows under File → Info
  → Properties → Custom and a DOCPROPERTY field can print;
* headers and footers: the cached result of ``TITLE`` fields, so viewers that do
  not recalculate fields still show the right title.

The reference's small parts are parsed once per reference
(:mod:`ropa_build.render.docx_reference`); each call then only concatenates
strings.  The body itself is never parsed: it can hold thousands of activities,
it was produced by our own templates, and parsing and re-serialising it would
cost far more than everything else here together.

The output is deterministic: the same arguments give the same bytes (with the
same zlib), because ZIP entries carry fixed timestamps and attributes and are
written in a fixed order (:mod:`ropa_build.render.ooxml_zip`).  That keeps
generated registers diffable and cacheable.
"""

from __future__ import annotations

import itertools
import re
import zlib
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

from ropa_build.render.docx_reference import (
    CONTENT_TYPES,
    DATE_MARK,
    DECIMAL_NUM_ID,
    FIRST_LIST_NUM_ID,
    PACKAGE_RELS,
    REL_HYPERLINK,
    TITLE_MARK,
    Numbering,
    Reference,
    prepare,
)
from ropa_build.render.ooxml_zip import Deflated, write_zip

__all__ = ["FIRST_LIST_NUM_ID", "package_docx"]

_REL_ID = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*\Z")
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
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
    body_xml: str | Iterable[str | Deflated],
    *,
    hyperlinks: Sequence[tuple[str, str]],
    numbered_lists: int,
    title: str,
    created: datetime,
    revision: int = 1,
    properties: Sequence[tuple[str, str]] = (),
) -> bytes:
    """Return a .docx: *reference* with its body replaced by *body_xml*.

    *body_xml* is the escaped inner XML of ``w:body`` without the final
    ``w:sectPr``, using the ``w:`` and ``r:`` prefixes; it may come in pieces (a
    register's body is streamed into the ZIP, never held whole), among them pieces
    deflated already (:class:`~ropa_build.render.ooxml_zip.Deflated`).  *hyperlinks* are the
    ``(relationship id, URL)`` pairs its ``w:hyperlink r:id`` attributes refer to;
    *numbered_lists* is how many numIds from ``FIRST_LIST_NUM_ID`` up it uses.
    *created* (naive means UTC) becomes both created and modified date, *revision* the
    core properties' ``cp:revision``; *properties* (name, text) become ``docProps/custom.xml``.

    Raises ValueError for a reference this cannot work with, a hyperlink id that
    clashes with one of the reference's relationships, or a title XML cannot hold.
    """
    ref = prepare(reference)
    if numbered_lists < 0:
        raise ValueError("numbered_lists must not be negative")
    if ref.style_aliases:  # rare (a Word saved in another language): rename in one piece
        body_xml = (ref.rename_styles("".join(body_xml)),)  # type: ignore[arg-type]
    elif isinstance(body_xml, str):
        body_xml = (body_xml,)
    parts: dict[str, str | Iterable[str | Deflated]] = {
        ref.document_name: itertools.chain((ref.document.head,), body_xml, (ref.document.tail,)),
        ref.rels_name: ref.rels.fill(_hyperlink_rels(ref.rel_ids, hyperlinks)),
        ref.core_name: _fill_core(ref.core, title, created, revision),
        **{name: text.replace(TITLE_MARK, _text(title)) for name, text in ref.titled},
    }
    order = ref.order
    if properties:
        order = _with_custom(ref, parts, properties)
    if ref.numbering.splice is not None:
        parts[ref.numbering_name] = ref.numbering.splice.fill(
            _list_nums(ref.numbering, numbered_lists)
        )
    elif numbered_lists:
        raise ValueError("the reference document has no numbering part for numbered lists")
    return write_zip(order, ref.static, parts)


# -------------------------------------------------------------- per-call pieces


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


def _list_nums(numbering: Numbering, count: int) -> str:
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


def _fill_core(template: str, title: str, created: datetime, revision: int = 1) -> str:
    """core.xml for this document; W3CDTF wants UTC with a literal Z."""
    if created.tzinfo is not None:
        created = created.astimezone(UTC)
    stamp = created.strftime("%Y-%m-%dT%H:%M:%SZ")
    core = template.replace(TITLE_MARK, _text(title)).replace(DATE_MARK, stamp)
    return core.replace("<cp:revision>1</cp:revision>", f"<cp:revision>{revision}</cp:revision>")


CUSTOM_NAME = "docProps/custom.xml"
_CUSTOM_TYPE = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
_REL_CUSTOM = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
)
_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"  # the one every custom property has


def _with_custom(ref: Reference, parts: dict, properties: Sequence[tuple[str, str]]) -> tuple:
    """Add ``docProps/custom.xml`` to *parts*, with its content type and package relationship
    (unless the reference declares them: then its custom part is replaced). Returns the order."""
    types = zlib.decompress(ref.static[CONTENT_TYPES].data, -zlib.MAX_WBITS).decode()
    rels = zlib.decompress(ref.static[PACKAGE_RELS].data, -zlib.MAX_WBITS).decode()
    if f'PartName="/{CUSTOM_NAME}"' not in types:
        override = f'<Override PartName="/{CUSTOM_NAME}" ContentType="{_CUSTOM_TYPE}"/>'
        parts[CONTENT_TYPES] = types.replace("</Types>", override + "</Types>")
    if _REL_CUSTOM not in rels:
        relationship = (
            f'<Relationship Id="rIdRopaCustom" Type="{_REL_CUSTOM}" Target="{CUSTOM_NAME}"/>'
        )
        parts[PACKAGE_RELS] = rels.replace("</Relationships>", relationship + "</Relationships>")
    parts[CUSTOM_NAME] = (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"'
        ' xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        + "".join(
            f'<property fmtid="{_FMTID}" pid="{pid}" name="{name.translate(_ATTR_ESCAPES)}">'
            f"<vt:lpwstr>{_text(value)}</vt:lpwstr></property>"
            for pid, (name, value) in enumerate(properties, start=2)  # pid 2 is the first
        )
        + "</Properties>"
    )
    return ref.order if CUSTOM_NAME in ref.order else (*ref.order, CUSTOM_NAME)


def _text(value: str) -> str:
    """*value* escaped as XML character data; rejects characters XML 1.0 forbids."""
    if _XML_ILLEGAL.search(value):
        raise ValueError(f"{value!r} contains a control character XML cannot hold")
    return value.translate(_TEXT_ESCAPES)
