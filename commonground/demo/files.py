"""Files for the demo's data room, made on the fly from the rows and texts in library.yaml."""

from __future__ import annotations

import io
import struct
import zlib
from typing import Any


def png_bytes(
    width: int, height: int, colour: tuple[int, int, int], stripe: tuple[int, int, int]
) -> bytes:
    """A small valid PNG: a coloured picture with a stripe, made without any imaging library."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    rows = b""
    for y in range(height):
        rgb = stripe if height // 3 <= y < 2 * height // 3 else colour
        rows += b"\x00" + bytes(rgb) * width
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def csv_bytes(rows: list[list[Any]]) -> bytes:
    return "\n".join(",".join(str(c) for c in row) for row in rows).encode() + b"\n"


def xlsx_bytes(rows: list[list[Any]]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def docx_bytes(title: str, paragraphs: list[str]) -> bytes:
    from docx import Document as Docx

    d = Docx()
    d.add_heading(title, 1)
    for para in paragraphs:
        d.add_paragraph(para)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def file_bytes(spec: dict[str, Any]) -> bytes:
    """The content of one document: exactly one of text, csv, xlsx, docx or png."""
    if "text" in spec:
        return str(spec["text"]).encode()
    if "csv" in spec:
        return csv_bytes(spec["csv"])
    if "xlsx" in spec:
        return xlsx_bytes(spec["xlsx"])
    if "docx" in spec:
        return docx_bytes(spec["docx"]["title"], spec["docx"]["paragraphs"])
    png = spec["png"]
    return png_bytes(png["width"], png["height"], tuple(png["colour"]), tuple(png["stripe"]))
