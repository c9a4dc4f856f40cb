"""A deterministic ZIP writer for OOXML packages (DOCX today, any other Office format tomorrow).

Why not :mod:`zipfile`: a package's unchanging parts are deflated once and their compressed bytes
copied into every document, and a large part can be assembled from pieces deflated earlier (in a
worker process, or in a previous build's cache) without deflating them again — neither of which
zipfile can do. Entries carry the earliest date a ZIP header can hold and no host file modes, as
Word writes them, so equal input gives equal bytes.

Splicing works because a raw deflate stream that ends with a *full flush* is byte-aligned and
refers to nothing before it: such streams concatenate, and a final empty block ends the whole.
The CRC-32 of the concatenation is combined from the pieces' own CRCs (:func:`_crc_combine`).
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # the earliest a ZIP header can hold
COMPRESS_LEVEL = 6


@dataclass(frozen=True, slots=True)
class Entry:
    """One ZIP member, already deflated."""

    name: bytes
    crc: int
    size: int
    data: bytes


@dataclass(frozen=True, slots=True)
class Deflated:
    """A piece of a member deflated on its own, ending in a full flush: ready to be spliced."""

    data: bytes
    crc: int
    size: int


def deflate_piece(raw: bytes) -> Deflated:
    """``raw`` deflated so that it can stand anywhere inside a member (see the module's note)."""
    packer = zlib.compressobj(COMPRESS_LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS)
    data = packer.compress(raw) + packer.flush(zlib.Z_FULL_FLUSH)
    return Deflated(data, zlib.crc32(raw), len(raw))


def deflate(name: str, pieces: Iterable[bytes | Deflated]) -> Entry:
    """One member from raw bytes and already deflated pieces, in order."""
    packer = zlib.compressobj(COMPRESS_LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS)
    crc = size = 0
    packed = []
    for piece in pieces:
        if isinstance(piece, Deflated):
            packed.append(packer.flush(zlib.Z_FULL_FLUSH))
            packed.append(piece.data)
            crc, size = _crc_combine(crc, piece.crc, piece.size), size + piece.size
        else:
            crc, size = zlib.crc32(piece, crc), size + len(piece)
            packed.append(packer.compress(piece))
    packed.append(packer.flush())
    if size > 0xFFFFFFFF:
        raise ValueError(f"{name} is too large for a ZIP file without ZIP64")
    return Entry(name.encode(), crc, size, b"".join(packed))


def write_zip(
    order: Sequence[str],
    static: Mapping[str, Entry],
    dynamic: Mapping[str, str | Iterable[str] | Iterable[str | Deflated]],
) -> bytes:
    """The package: members in ``order``, each from ``static`` (deflated already) or ``dynamic``
    (text, in pieces, possibly with pieces deflated already)."""
    out = io.BytesIO()
    central = []
    for name in order:
        entry = deflate(name, encoded(dynamic[name])) if name in dynamic else static[name]
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


def encoded(
    chunks: str | Iterable[str | Deflated], batch: int = 1 << 16
) -> Iterator[bytes | Deflated]:
    """UTF-8 in pieces of about ``batch`` characters (a template yields thousands of tiny ones);
    deflated pieces pass through in their place."""
    if isinstance(chunks, str):
        yield chunks.encode()
        return
    pending: list[str] = []
    length = 0
    for chunk in chunks:
        if isinstance(chunk, Deflated):
            yield "".join(pending).encode()
            yield chunk
            pending, length = [], 0
            continue
        pending.append(chunk)
        length += len(chunk)
        if length >= batch:
            yield "".join(pending).encode()
            pending, length = [], 0
    yield "".join(pending).encode()


_ZEROS = bytes(1 << 16)


def _crc_combine(crc_a: int, crc_b: int, length_b: int) -> int:
    """CRC-32 of A followed by B, from both CRCs and B's length.

    CRC-32 is affine over GF(2), so crc(B, start=c) = crc(B, 0) ^ crc(0ⁿ, c) ^ crc(0ⁿ, 0) with
    n = len(B): only runs of zeros are checksummed, at zlib's speed, never B again.
    """
    with_a, without_a, remaining = crc_a, 0, length_b
    while remaining:
        step = min(remaining, len(_ZEROS))
        chunk = memoryview(_ZEROS)[:step]
        with_a, without_a = zlib.crc32(chunk, with_a), zlib.crc32(chunk, without_a)
        remaining -= step
    return crc_b ^ with_a ^ without_a


_LOCAL, _CENTRAL = b"PK\x03\x04", b"PK\x01\x02"
_DOS_DATE = (ZIP_DATE[0] - 1980) << 9 | ZIP_DATE[1] << 5 | ZIP_DATE[2]
_DOS_TIME = ZIP_DATE[3] << 11 | ZIP_DATE[4] << 5 | ZIP_DATE[5] // 2


def _header(signature: bytes, entry: Entry, offset: int = 0) -> bytes:
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
