"""What a downloaded file really is, and its bytes: gzip and zip archives checked to the end.

A file is judged by its first bytes, not only its name: a workbook, an HTML error page or a
JSON API answer saved as `.csv`, or a `.gz` that is not gzip, gets an error saying what it
is and what to do. A gzip stream that stops early (an interrupted download) or fails its
checksum is reported with how much was read; the rows of a cut-short file are never loaded
as if complete, because its missing months would look like a fall in crime.
"""

from __future__ import annotations

import contextlib
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from crimetrends.errors import InputFileError

CHUNK = 1 << 20

# first bytes → what the file is
MAGIC = (
    (b"\x1f\x8b", "gzip"),
    (b"PK\x03\x04", "zip"),
    (b"PK\x05\x06", "zip"),
    (b"PAR1", "parquet"),
    (b"\xd0\xcf\x11\xe0", "xls"),
)

# what to tell a person whose file is not what its name says
NOT_TEXT = {
    "gzip": ("a gzip archive", "rename it to end in .csv.gz"),
    "zip": ("a zip archive", "rename it to end in .zip (or unzip it)"),
    "xlsx": (
        "an Excel workbook",
        "open it and save it as CSV (UTF-8), or export CSV from the portal",
    ),
    "xls": ("an old-format Excel workbook", "open it and save it as CSV (UTF-8)"),
    "parquet": ("a Parquet file", "rename it to end in .parquet"),
    "html": (
        "an HTML page (often a login or error page saved instead of the data)",
        "open it in a browser to see what it says, then download the data again",
    ),
    "json": (
        "JSON (an API answer?)",
        "ask the portal for CSV (Socrata: /resource/<id>.csv) or use `crimetrends fetch`",
    ),
}


@dataclass(frozen=True)
class Container:
    """How a file's text is stored: `plain`, `gzip` or `zip` (with the member read)."""

    kind: str
    member: str | None = None


def sniff(path: Path) -> str:
    """What the file's first bytes say it is: one of MAGIC's kinds, xlsx, html, json or text."""
    with path.open("rb") as f:
        head = f.read(4096)
    for magic, kind in MAGIC:
        if head.startswith(magic):
            if kind == "zip" and _is_workbook(path):
                return "xlsx"
            return kind
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<!doctype html", b"<html", b"<?xml", b"<head", b"<body")):
        return "html"
    if text.startswith((b"{", b"[{", b"[\n", b"[]")):
        return "json"
    return "text"


def _is_workbook(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as z:
            return any(n.startswith("xl/") for n in z.namelist())
    except zipfile.BadZipFile:
        return False


def check_kind(path: Path, fmt: str, container: str) -> None:
    """Refuse a file whose bytes are not what its name says (InputFileError, exit 3)."""
    kind = sniff(path)
    name = path.name
    if fmt == "parquet":
        if kind != "parquet":
            what = NOT_TEXT.get(kind, ("text (CSV?)", "rename it to end in .csv"))
            raise InputFileError(f"{name}: named .parquet but it is {what[0]}", hint=what[1])
        _check_parquet_footer(path)
        return
    expected = {"gzip": "gzip", "zip": "zip", "plain": "text"}[container]
    if kind == expected:
        return
    if container == "plain":
        what, hint = NOT_TEXT[kind]
        raise InputFileError(f"{name}: named like a CSV file but it is {what}", hint=hint)
    what = NOT_TEXT.get(kind, ("plain text", "rename it without the archive extension"))[0]
    raise InputFileError(
        f"{name}: named .{'gz' if container == 'gzip' else 'zip'} but it is {what}",
        hint="download it again, or rename it to what it is",
    )


def _check_parquet_footer(path: Path) -> None:
    """A Parquet file ends with its schema and `PAR1`: without them it was cut short."""
    size = path.stat().st_size
    with path.open("rb") as f:
        f.seek(max(0, size - 4))
        tail = f.read(4)
    if size < 12 or tail != b"PAR1":
        raise InputFileError(
            f"{path.name}: the Parquet file is truncated ({size:,} bytes, no footer): "
            "its schema and row groups cannot be found, so nothing was loaded",
            hint="download or write the file again",
        )


def zip_member(path: Path) -> str:
    """The one data file inside a zip archive (folders and macOS metadata left aside)."""
    try:
        with zipfile.ZipFile(path) as z:
            names = [
                i.filename
                for i in z.infolist()
                if not i.is_dir()
                and not i.filename.startswith("__MACOSX/")
                and not i.filename.rsplit("/", 1)[-1].startswith(".")
            ]
    except zipfile.BadZipFile as exc:
        raise InputFileError(
            f"{path.name}: the zip archive is truncated or damaged ({exc}; "
            f"{path.stat().st_size:,} bytes): its directory of files cannot be read, so "
            "nothing was loaded",
            hint="download the file again; `unzip -t FILE` checks an archive",
        ) from None
    data = [n for n in names if n.lower().endswith((".csv", ".txt"))]
    if len(data) != 1:
        listed = ", ".join(names[:10]) or "nothing"
        raise InputFileError(
            f"{path.name}: the zip archive holds {len(data)} CSV files ({listed}); "
            "crimetrends loads one file at a time",
            hint="unzip it and load each CSV file with its own --source",
        )
    return data[0]


def _gunzip(f: BinaryIO) -> Iterator[bytes]:
    """A gzip file's bytes, member after member (files joined with `cat`), as they
    decompress, so a cut-short file still gives what it holds before the EOFError."""
    d = zlib.decompressobj(wbits=31)
    ended = False  # the member read last reached its end marker
    while raw := f.read(CHUNK // 4):
        while raw:
            if ended:
                if not raw.strip(b"\0"):  # zero padding after the last member
                    break
                d, ended = zlib.decompressobj(wbits=31), False
            if out := d.decompress(raw):
                yield out
            ended = d.eof
            raw = d.unused_data if ended else b""
    if not ended:
        raise EOFError("the gzip stream ends before its end marker")


def _gzip_pieces(path: Path) -> Iterator[bytes]:
    with path.open("rb") as f:
        yield from _gunzip(f)


@contextlib.contextmanager
def open_bytes(path: Path, container: Container) -> Iterator[BinaryIO]:
    """The file's decompressed bytes (a zip archive's one data member)."""
    if container.kind == "zip":
        with zipfile.ZipFile(path) as z, z.open(container.member or "") as f:
            yield f  # type: ignore[misc]
    else:
        with path.open("rb") as f:
            yield f


def _read_chunks(path: Path, container: Container) -> Iterator[bytes]:
    with open_bytes(path, container) as f:
        while chunk := f.read(CHUNK):
            yield chunk


def chunks(path: Path, container: Container, progress: list[int]) -> Iterator[bytes]:
    """Decompressed chunks; a damaged or cut-short archive raises InputFileError.

    `progress` holds [bytes read, complete lines read] so the error can say what was read.
    """
    try:
        pieces = _gzip_pieces(path) if container.kind == "gzip" else _read_chunks(path, container)
        buf: list[bytes] = []
        size = 0
        for piece in pieces:  # counted as read; yielded in pieces of at least CHUNK
            progress[0] += len(piece)
            progress[1] += piece.count(b"\n")
            buf.append(piece)
            size += len(piece)
            if size >= CHUNK:
                yield b"".join(buf)
                buf, size = [], 0
        if buf:
            yield b"".join(buf)
    except EOFError:
        raise _damaged(
            path, container, "truncated: it ends before its end marker", progress
        ) from None
    except (zipfile.BadZipFile, zlib.error, OSError) as exc:
        raise _damaged(path, container, f"corrupt ({exc})", progress) from None


def _damaged(path: Path, container: Container, what: str, progress: list[int]) -> InputFileError:
    kind = "gzip" if container.kind == "gzip" else "zip"
    return InputFileError(
        f"{path.name}: the {kind} archive is {what}; {progress[0]:,} bytes of text "
        f"({progress[1]:,} complete lines) could be read before that, so the file is "
        "incomplete and nothing was loaded",
        hint=f"download the file again; `{'gzip -t' if kind == 'gzip' else 'unzip -t'} FILE` "
        "checks an archive",
        bytes_read=progress[0],
        lines_read=progress[1],
    )
