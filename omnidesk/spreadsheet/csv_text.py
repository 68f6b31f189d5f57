"""How CSV files really arrive: guessing their encoding and delimiter.

Excel on a Turkish Windows saves "CSV" as Windows-1254 with ``;`` between fields,
"CSV UTF-8" with a byte-order mark, and "Unicode text" as UTF-16 with tabs; ERP
exports add Latin-1. None of them say which they are, so the bytes have to.
"""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass
from pathlib import Path

from omnidesk.i18n import _

from .errors import UnreadableFile

_CHUNK = 1 << 20
# Bytes that are Turkish letters in Windows-1254 (Ğ ğ İ ı Ş ş) but rare Icelandic
# letters in Latin-1; their presence is what tells the two apart.
_TURKISH_BYTES = (0xD0, 0xF0, 0xDD, 0xFD, 0xDE, 0xFE)
# Windows-1254 leaves these undefined; a file that uses them is not Windows-1254.
_UNDEFINED_IN_1254 = (0x81, 0x8D, 0x8E, 0x8F, 0x90, 0x9D, 0x9E)
_DELIMITERS = (",", ";", "\t", "|")
_TELLING = {*_TURKISH_BYTES, *_UNDEFINED_IN_1254, *range(0x80, 0xA0)}
_UNTELLING = bytes(b for b in range(256) if b not in _TELLING)
_DEFINED_IN_1254 = bytes(b for b in range(256) if b not in _UNDEFINED_IN_1254)


@dataclass(frozen=True, slots=True)
class TextFormat:
    encoding: str  # a Python codec name
    delimiter: str

    @property
    def encoding_label(self) -> str:
        return {
            "utf-8": "UTF-8",
            "utf-8-sig": _("UTF-8 (with BOM)"),
            "utf-16": "UTF-16",
            "utf-16-le": "UTF-16",
            "utf-16-be": "UTF-16",
            "cp1254": _("Windows-1254 (Turkish)"),
            "latin-1": "Latin-1",
        }.get(self.encoding, self.encoding)


def detect_encoding(path: Path) -> str:
    """The codec that decodes the whole file, preferring UTF-8 and Turkish over Latin-1."""
    with path.open("rb") as handle:
        head = handle.read(4096)
        if head.startswith(codecs.BOM_UTF8):
            return "utf-8-sig"
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return "utf-16"
        utf16 = _utf16_without_bom(head)
        if utf16:
            return utf16
        if b"\x00" in head:
            raise UnreadableFile(
                _(
                    "{name} is not a text file, so it cannot be read as CSV. Export it from your "
                    "spreadsheet program as .xlsx or CSV."
                ).format(name=path.name)
            )
        handle.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")()
        utf8 = True
        turkish = False  # a Turkish letter's byte or a C1 control seen (once not UTF-8)
        while chunk := handle.read(_CHUNK):
            if utf8:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    utf8 = False
            if not utf8:
                # Only the telling bytes, each chunk in one pass of C: counting each
                # byte over the whole chunk took half a second of a 20 MB file.
                telling = chunk.translate(None, _UNTELLING)
                if telling.translate(None, _DEFINED_IN_1254):
                    return "latin-1"  # whatever else the file holds
                turkish = turkish or bool(telling)
        if utf8:
            try:
                decoder.decode(b"", final=True)
                return "utf-8"
            except UnicodeDecodeError:
                pass
        return "cp1254" if turkish else "latin-1"


def _utf16_without_bom(head: bytes) -> str | None:
    """UTF-16 text without a byte-order mark has a NUL next to every ASCII letter."""
    if len(head) < 4:
        return None
    even, odd = head[0::2], head[1::2]
    if odd.count(0) > len(odd) * 0.6 and even.count(0) < len(even) * 0.1:
        return "utf-16-le"
    if even.count(0) > len(even) * 0.6 and odd.count(0) < len(odd) * 0.1:
        return "utf-16-be"
    return None


def sniff_delimiter(sample: str, preferred: str = ",") -> str:
    """The delimiter that splits the first lines into the most, and most even, columns.

    ``csv.Sniffer`` trips over decimal commas, title rows and quoted newlines;
    parsing the sample with each candidate and comparing column counts does not.
    The sample is split on ``\r`` too (``newline=""``): old Mac exports end lines
    with it alone, and split only on ``\n`` they would be one broken line.
    """
    best, best_score = preferred, (0.0, 0, 0.0)
    for delimiter in _DELIMITERS:
        counts: list[int] = []
        try:
            for row in csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter):
                if row:
                    counts.append(len(row))
                if len(counts) >= 50:
                    break
        except csv.Error:
            continue
        if len(counts) > 2:
            counts.pop()  # the sample may have cut the last row in half
        width = max(set(counts), key=lambda n: (counts.count(n), n)) if counts else 1
        if width < 2:
            continue
        share = counts.count(width) / len(counts)
        # Rounded first, so a stray title row does not decide; then exact, so a
        # semicolon file with decimal commas ("SKU;Fiyat", "123;4,50") is not read
        # as comma-separated just because its data rows also split in two on commas.
        score = (round(share, 1), width, share)
        if score > best_score or (score == best_score and delimiter == preferred):
            best, best_score = delimiter, score
    return best
