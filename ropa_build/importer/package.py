"""Open a .docx file someone sent us without trusting it: the zip and the XML inside.

A Word file is a zip of XML parts. Both layers can be hostile: a zip entry that inflates to
gigabytes (a zip bomb: the declared size may lie, so the bytes are counted as they come), and XML
with a DOCTYPE that defines entities (billion laughs) or points at files and URLs (external
entities). Word never writes a DOCTYPE into a .docx, so one is refused outright; the parser is
also told not to resolve entities, not to touch the network and not to lift libxml2's limits.

A Word 97–2003 file (.doc) and an encrypted .docx are OLE2 compound files, not zips: both get a
message saying what to do instead of "not a zip file".
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from ropa_build.errors import Problem, UserError

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# The main part may be large (a register of thousands of activities is a few hundred MB of XML);
# it is streamed, so the cap bounds time, not memory. Small parts are read whole.
MAX_MAIN_BYTES = 1 << 30
MAX_PART_BYTES = 32 << 20
CHUNK = 1 << 16
_DOCTYPE = re.compile(rb"^\s*(<\?xml[^>]*\?>\s*)?(<!--.*?-->\s*|<\?.*?\?>\s*)*<!DOCTYPE", re.S)


def refuse(path: Path, code: str, message: str, hint: str) -> UserError:
    return UserError([Problem(str(path), 1, 1, code, message, hint)])


def first_bytes(path: Path) -> bytes:
    """The file's first 8 bytes (an OLE2 or zip signature), or a :class:`UserError`."""
    try:
        with path.open("rb") as file:
            return file.read(8)
    except OSError as error:
        raise refuse(path, "unreadable", f"cannot read the file: {error.strerror}", "") from None


def open_docx(path: Path) -> zipfile.ZipFile:
    """The file as a zip that holds a Word main document, or a :class:`UserError` saying why not."""
    if first_bytes(path) == OLE2:
        raise refuse(
            path,
            "not-docx",
            "this is a Word 97–2003 document (.doc) or a password-protected .docx",
            "open it in Word and save it as .docx (Word Document), without a password",
        )
    if not zipfile.is_zipfile(path):
        raise refuse(
            path,
            "not-docx",
            "this is not a Word document (.docx): it is not a zip file",
            "export the register from Word as .docx",
        )
    try:
        package = zipfile.ZipFile(path)
        package.getinfo("word/document.xml")
    except KeyError:
        raise refuse(
            path,
            "not-docx",
            "the zip holds no word/document.xml, so it is not a Word document",
            "export the register from Word as .docx",
        ) from None
    except zipfile.BadZipFile as error:
        raise refuse(path, "not-docx", f"the zip file is damaged: {error}", "") from None
    return package


def chunks(package: zipfile.ZipFile, name: str, path: Path, limit: int) -> Iterator[bytes]:
    """The part's bytes in bounded chunks; refused past ``limit``, declared or actual."""
    info = package.getinfo(name)
    if info.file_size > limit:
        raise _too_big(path, name, limit)
    if info.flag_bits & 0x1:
        raise refuse(path, "not-docx", f"{name} is encrypted", "save the file without a password")
    seen = 0
    try:
        with package.open(info) as stream:
            while block := stream.read(CHUNK):
                seen += len(block)
                if seen > limit:
                    raise _too_big(path, name, limit)
                yield block
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError) as error:
        raise refuse(path, "not-docx", f"{name} is damaged in the zip: {error}", "") from None


def _too_big(path: Path, name: str, limit: int) -> UserError:
    return refuse(
        path,
        "too-large",
        f"{name} unpacks to more than {limit >> 20} MB: refused (a zip bomb, or not a register)",
        "split the register into several documents",
    )


def parser(**events) -> etree.XMLPullParser:
    """A parser that expands no entity, loads no DTD and reaches no network."""
    return etree.XMLPullParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        dtd_validation=False,
        remove_comments=True,
        remove_pis=True,
        **events,
    )


def check_prolog(first: bytes, path: Path, name: str) -> None:
    """Refuse a DOCTYPE: Word writes none, and it is where entity attacks live."""
    if _DOCTYPE.match(first[:CHUNK]) or b"<!ENTITY" in first[:CHUNK]:
        raise refuse(
            path,
            "unsafe-xml",
            f"{name} declares a DOCTYPE, which Word never writes (entity expansion or external "
            "entities): refused",
            "open the file in Word and save it again as .docx",
        )


def read_part(package: zipfile.ZipFile, name: str, path: Path) -> etree._Element | None:
    """A small part (relationships, numbering, styles) as a tree; None when it is absent.

    A DOCTYPE hidden after a long prolog (past the first chunk) is caught from the tree."""
    try:
        package.getinfo(name)
    except KeyError:
        return None
    pull = parser()
    first = True
    try:
        for block in chunks(package, name, path, MAX_PART_BYTES):
            if first:
                check_prolog(block, path, name)
                first = False
            pull.feed(block)
        root = pull.close()
    except etree.XMLSyntaxError as error:
        raise refuse(path, "bad-xml", f"{name} is not well-formed XML: {error}", "") from None
    if root.getroottree().docinfo.doctype:
        check_prolog(b"<!DOCTYPE", path, name)
    return root
