"""A CSV file's text as people's tools leave it: line endings, encodings, BOMs, NUL bytes.

`scan` reads the (decompressed) bytes once, counting what DuckDB's reader cannot take or
would take silently: a lone CR (an old Mac line end, or one pasted line), CRLF mixed with LF,
a byte-order mark inside the file (files joined with `cat`), a repeated header line, NUL
bytes, UTF-16. Clean files (nearly all) are then read by DuckDB as they are; the others are
rewritten once as UTF-8 with LF line ends (`rewrite`), so one bad line never refuses a file.
Lines that are not UTF-8 (DuckDB reports them) are re-read as Windows-1252, the encoding US
spreadsheets save in; each change is listed for the manifest, never made silently.
"""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crimetrends.errors import InputFileError
from crimetrends.ingest.archives import Container, chunks

BOM = b"\xef\xbb\xbf"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


@dataclass
class TextScan:
    """What one pass over a file's bytes found (line counts are physical lines)."""

    header: list[str] = field(default_factory=list)
    header_line: bytes = b""
    lf: int = 0
    crlf: int = 0
    lone_cr: int = 0
    nul: int = 0
    bom_inside: int = 0
    header_repeats: int = 0
    utf16: bool = False
    header_not_utf8: bool = False

    @property
    def needs_rewrite(self) -> bool:
        mixed = self.crlf and self.crlf != self.lf
        return bool(self.lone_cr or mixed or self.bom_inside or self.utf16 or self.header_not_utf8)


def _first_record(text: str) -> list[str]:
    row = next(csv.reader(io.StringIO(text, newline="")), None)
    return [h for h in row] if row else []


def _header(first: bytes, scan: TextScan) -> None:
    """The header (first record) from the file's first chunk."""
    if first.startswith(UTF16_BOMS):
        scan.utf16 = True
        text = first.decode("utf-16", errors="replace")
        scan.header = _first_record(text.splitlines()[0] if text else "")
        return
    end = min((i for i in (first.find(b"\n"), first.find(b"\r")) if i >= 0), default=len(first))
    line = first[:end]
    scan.header_line = line.removeprefix(BOM)
    try:
        text = scan.header_line.decode("utf-8")
    except UnicodeDecodeError:
        text = scan.header_line.decode("cp1252", errors="replace")
        scan.header_not_utf8 = True
    scan.header = _first_record(text)


def scan(path: Path, container: Container) -> TextScan:
    """One pass over the bytes (an archive checked to its end; see `archives.chunks`)."""
    out = TextScan()
    progress = [0, 0]
    prev_cr = False
    tail = b""
    first = True
    for chunk in chunks(path, container, progress):
        if first:
            _header(chunk, out)
            first = False
            if out.utf16:
                continue  # counted after conversion, when it is rewritten
            out.bom_inside -= chunk.startswith(BOM)
        if out.utf16:
            continue
        out.lf += chunk.count(b"\n")
        inside = chunk.count(b"\r\n")
        across = int(prev_cr and chunk.startswith(b"\n"))  # a CRLF split between chunks
        out.crlf += inside + across
        out.lone_cr += chunk.count(b"\r") - inside - across
        prev_cr = chunk.endswith(b"\r")
        out.nul += chunk.count(b"\0")
        out.bom_inside += chunk.count(BOM)
        if out.header_line:
            window = tail + chunk
            out.header_repeats += window.count(b"\n" + out.header_line)
            out.header_repeats += window.count(b"\n" + BOM + out.header_line)
            tail = window[-(len(out.header_line) + len(BOM)) :]
    if first or not any(h.strip() for h in out.header):
        raise InputFileError(f"{path.name}: empty file (no header row)")
    return out


def _decode_lines(data: bytes, first_line: int, odd: list[int]) -> str:
    """UTF-8 text of whole lines; a line that is not UTF-8 is read as Windows-1252."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    parts = []
    for i, line in enumerate(data.split(b"\n")):
        try:
            parts.append(line.decode("utf-8"))
        except UnicodeDecodeError:
            odd.append(first_line + i)
            try:
                parts.append(line.decode("cp1252"))
            except UnicodeDecodeError:  # the five bytes cp1252 leaves undefined
                parts.append(line.decode("latin-1"))
    return "\n".join(parts)


def rewrite(path: Path, container: Container, out: Path, found: TextScan) -> dict[str, Any]:
    """Write the file's text as UTF-8 with LF line ends; return what was changed."""
    odd: list[int] = []
    line_no = 1
    carry = b""
    decoder = codecs.getincrementaldecoder("utf-16")() if found.utf16 else None
    with out.open("wb") as dst:
        for chunk in chunks(path, container, [0, 0]):
            if decoder is not None:  # UTF-16 → UTF-8 bytes, then as any other file
                chunk = decoder.decode(chunk).encode("utf-8")
            data = carry + chunk
            if data.endswith(b"\r"):  # may be the first half of a CRLF
                data, carry = data[:-1], b"\r"
            else:
                carry = b""
            data = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
            cut = data.rfind(b"\n") + 1
            whole, rest = data[:cut], data[cut:]
            carry = rest + carry
            if whole:
                text = _decode_lines(whole, line_no, odd)
                line_no += whole.count(b"\n")
                dst.write(text.replace("\ufeff", "").encode("utf-8"))
        if carry:
            last = carry.replace(b"\r", b"\n")
            dst.write(_decode_lines(last, line_no, odd).replace("\ufeff", "").encode("utf-8"))
    return _changes(found, odd)


def _changes(found: TextScan, odd: list[int]) -> dict[str, Any]:
    """The manifest's account of what `rewrite` changed."""
    notes: dict[str, Any] = {}
    if found.utf16:
        notes["encoding"] = "UTF-16 (converted to UTF-8)"
    if found.lone_cr or (found.crlf and found.crlf != found.lf):
        notes["line_endings"] = (
            f"mixed: {found.crlf:,} CRLF, {found.lf - found.crlf:,} LF, {found.lone_cr:,} lone CR "
            "(each read as the end of a line)"
        )
    if found.bom_inside:
        notes["byte_order_marks_removed"] = found.bom_inside
    if odd:
        notes["lines_not_utf8"] = {
            "count": len(odd),
            "read_as": "Windows-1252",
            "first_lines": odd[:20],
        }
    return notes
