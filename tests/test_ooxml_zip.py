"""The ZIP writer's splicing: pieces deflated ahead (in a worker, or a build ago) and text
deflated now make one member that any inflater reads back exactly, with the right CRC."""

from __future__ import annotations

import io
import random
import zipfile
import zlib

from ropa_build.render.ooxml_zip import (
    Deflated,
    _crc_combine,
    deflate,
    deflate_piece,
    write_zip,
)


def _bytes(rng: random.Random, most: int) -> bytes:
    words = [b"<w:p>", b"</w:t>", b"Kunde", b"\xc3\xa6\xc3\xb8", b" ", b"\n"]
    return b"".join(rng.choice(words) for _ in range(rng.randrange(0, most)))


def test_crc_of_a_concatenation_is_combined_from_its_parts() -> None:
    rng = random.Random(7)
    for _ in range(200):
        a, b = _bytes(rng, 500), _bytes(rng, 40000)
        assert _crc_combine(zlib.crc32(a), zlib.crc32(b), len(b)) == zlib.crc32(a + b)


def test_spliced_member_inflates_to_the_text_in_order() -> None:
    rng = random.Random(11)
    for _ in range(50):
        pieces: list[bytes | Deflated] = []
        expected = b""
        for _ in range(rng.randrange(1, 8)):
            raw = _bytes(rng, 3000)
            expected += raw
            pieces.append(deflate_piece(raw) if rng.random() < 0.5 else raw)
        entry = deflate("word/document.xml", pieces)
        assert zlib.decompress(entry.data, -zlib.MAX_WBITS) == expected
        assert (entry.crc, entry.size) == (zlib.crc32(expected), len(expected))


def test_a_package_with_spliced_parts_is_read_by_zipfile() -> None:
    """zipfile checks each member's CRC as it reads: a wrong combination would raise."""
    text = "<w:body>" + "æøå " * 5000 + "</w:body>"
    table = deflate_piece(("<w:tbl>" + "x" * 70000 + "</w:tbl>").encode())
    package = write_zip(["a.xml"], {}, {"a.xml": [text[:10], table, text[10:]]})
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        assert archive.testzip() is None
        data = archive.read("a.xml").decode()
    assert data == text[:10] + "<w:tbl>" + "x" * 70000 + "</w:tbl>" + text[10:]
