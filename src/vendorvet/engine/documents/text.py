"""Text per page from PDF (pypdf) and DOCX (zip + defusedxml), in reading order.

Layout handling, kept simple and readable:
- two-column pages: lines that sit wholly in the left or right half are read column by column between
  full-width lines (headings, tables), so a sentence is not interleaved with its neighbour column;
- tables: text on one row is joined left to right with `` | `` so a label stays next to its value;
- repeated headers/footers: lines in the top/bottom band that recur on most pages are dropped (digits are
  ignored when comparing, so "Page 3 of 120" repeats).
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field

CELL_SEPARATOR = " | "
MAX_DOCX_BYTES = 50 * 1024 * 1024
MAX_FILE_BYTES = 100 * 1024 * 1024


class DocumentError(ValueError):
    """The file cannot be read as a PDF or DOCX."""


@dataclass
class Page:
    number: int
    lines: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@dataclass
class Extracted:
    pages: list[Page]
    notes: list[str] = field(default_factory=list)

    @property
    def has_text(self) -> bool:
        return any(line.strip() for page in self.pages for line in page.lines)


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def read_file(path: str) -> Extracted:
    import os

    if os.path.getsize(path) > MAX_FILE_BYTES:
        raise DocumentError(f"the file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB")
    with open(path, "rb") as handle:
        head = handle.read(8)
    if head.startswith(b"%PDF"):
        return read_pdf(path)
    if head.startswith(b"PK"):
        return read_docx(path)
    raise DocumentError("not a PDF or DOCX file")


# --- PDF ---------------------------------------------------------------------------------------------------

AVERAGE_CHAR_WIDTH = 0.5  # of the font size; pypdf reports where a text run starts, not where it ends


def _pdf_lines(page) -> list[tuple[float, float, float, float, str]]:
    """(x0, y0, x1, y1, text) of every text run on a pypdf page; x1 is estimated from the text length."""
    found = []

    def visit(text, cm, tm, _font, font_size):
        size = abs((font_size or 10) * (tm[3] or 1) * (cm[3] or 1)) or 10
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        for offset, part in enumerate(text.split("\n")):
            part = _squash(part)
            if part:
                top = y - offset * size
                found.append((x, top - size * 0.2, x + len(part) * size * AVERAGE_CHAR_WIDTH, top + size * 0.8, part))

    page.extract_text(visitor_text=visit)
    return found


def _rows(lines, tolerance: float = 3.0) -> list[list[tuple]]:
    """Group lines whose vertical centres are within ``tolerance`` points into rows, top to bottom."""
    rows: list[list[tuple]] = []
    for line in sorted(lines, key=lambda ln: (-(ln[1] + ln[3]) / 2, ln[0])):
        centre = (line[1] + line[3]) / 2
        if rows and abs(rows[-1][0][4] - centre) <= tolerance:
            rows[-1][1].append(line)
        else:
            rows.append([None, [line]])
            rows[-1][0] = (0, 0, 0, 0, centre)
    return [_merge_words(sorted(members, key=lambda ln: ln[0])) for _c, members in rows]


def _merge_words(row: list[tuple]) -> list[tuple]:
    """Pieces of one row closer than a line height apart are words of one phrase (justified text), not cells."""
    merged = [row[0]]
    for piece in row[1:]:
        last = merged[-1]
        if piece[0] - last[2] < (last[3] - last[1]) * 2.0:
            merged[-1] = (last[0], min(last[1], piece[1]), piece[2], max(last[3], piece[3]), f"{last[4]} {piece[4]}")
        else:
            merged.append(piece)
    return merged


def _order_page(lines, width: float) -> list[str]:
    """Reading order: full-width rows in place; between them, a left column then a right column."""
    middle = width / 2
    slack = width * 0.06  # the end of a run is estimated

    def is_left(ln):
        return ln[0] < middle - 20 and ln[2] <= middle + slack

    def is_right(ln):
        return ln[0] >= middle - 2

    left = [ln for ln in lines if is_left(ln)]
    right = [ln for ln in lines if is_right(ln)]
    two_columns = len(left) >= 4 and len(right) >= 4
    out: list[str] = []
    if not two_columns:
        return [CELL_SEPARATOR.join(ln[4] for ln in row) for row in _rows(lines)]
    pending_left: list[tuple] = []
    pending_right: list[tuple] = []

    def flush():
        out.extend(CELL_SEPARATOR.join(ln[4] for ln in row) for row in _rows(pending_left))
        out.extend(CELL_SEPARATOR.join(ln[4] for ln in row) for row in _rows(pending_right))
        pending_left.clear()
        pending_right.clear()

    right_bottom = min(((ln[1] + ln[3]) / 2 for ln in right), default=0)

    def after_columns(row) -> bool:
        """A left-aligned row below the right column and set apart from the left column (a signature, a
        closing line) is read after both columns."""
        centre, height = (row[0][1] + row[0][3]) / 2, row[0][3] - row[0][1]
        if not pending_left or centre > right_bottom - height:
            return False
        last = min((ln[1] + ln[3]) / 2 for ln in pending_left)
        return last - centre > 1.5 * height

    for row in _rows(lines):
        in_left = all(is_left(ln) for ln in row)
        in_right = all(is_right(ln) for ln in row)
        if in_left and after_columns(row):
            flush()
            out.append(CELL_SEPARATOR.join(ln[4] for ln in row))
        elif in_left:
            pending_left.extend(row)
        elif in_right:
            pending_right.extend(row)
        elif len(row) == 2 and is_left(row[0]) and is_right(row[1]) and min(len(row[0][4]), len(row[1][4])) > 30:
            pending_left.append(row[0])  # a line of running text in each column
            pending_right.append(row[1])
        else:
            flush()
            out.append(CELL_SEPARATOR.join(ln[4] for ln in row))
    flush()
    return out


def read_pdf(path: str) -> Extracted:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    raw_pages = []
    try:
        reader = PdfReader(path)
        if reader.is_encrypted and not reader.decrypt(""):
            raise DocumentError("the PDF is encrypted with a password")
        for number, page in enumerate(reader.pages, start=1):
            box = page.mediabox
            raw_pages.append((number, float(box.width), float(box.height), _pdf_lines(page)))
    except DocumentError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError) as exc:
        # malformed PDFs surface as many exception types inside the parser; each is a clear "cannot read"
        raise DocumentError(f"the PDF cannot be parsed ({exc.__class__.__name__})") from exc
    repeated = _repeated_bands(raw_pages)
    pages = []
    for number, width, height, lines in raw_pages:
        kept = [ln for ln in lines if not _in_band(ln, height) or _band_key(ln[4]) not in repeated]
        pages.append(Page(number, _order_page(kept, width)))
    return Extracted(pages)


def _in_band(line, height: float) -> bool:
    return line[1] > height * 0.92 or line[3] < height * 0.08


def _band_key(text: str) -> str:
    return re.sub(r"\d+", "#", text.lower())


def _repeated_bands(raw_pages) -> set[str]:
    if len(raw_pages) < 3:
        return set()
    counts: dict[str, int] = {}
    for _n, _w, height, lines in raw_pages:
        for key in {_band_key(ln[4]) for ln in lines if _in_band(ln, height)}:
            counts[key] = counts.get(key, 0) + 1
    return {key for key, count in counts.items() if count >= max(3, len(raw_pages) // 2)}


# --- DOCX --------------------------------------------------------------------------------------------------

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def read_docx(path: str) -> Extracted:
    from defusedxml import ElementTree

    try:
        with zipfile.ZipFile(path) as archive:
            info = archive.getinfo("word/document.xml")
            if info.file_size > MAX_DOCX_BYTES:
                raise DocumentError("the DOCX document body is too large")
            root = ElementTree.fromstring(archive.read(info))
    except (zipfile.BadZipFile, KeyError) as exc:
        raise DocumentError("not a readable DOCX file") from exc
    except ElementTree.ParseError as exc:
        raise DocumentError("the DOCX document body is not valid XML") from exc
    body = root.find(f"{W}body")
    pages = [Page(1)]
    for child in list(body) if body is not None else []:
        if child.tag == f"{W}p":
            text = _squash("".join(t.text or "" for t in child.iter(f"{W}t")))
            if text:
                pages[-1].lines.append(text)
            if any(br.get(f"{W}type") == "page" for br in child.iter(f"{W}br")):
                pages.append(Page(len(pages) + 1))
        elif child.tag == f"{W}tbl":
            for row in child.iter(f"{W}tr"):
                cells = [_squash("".join(t.text or "" for t in cell.iter(f"{W}t"))) for cell in row.iter(f"{W}tc")]
                cells = [c for c in cells if c]
                if cells:
                    pages[-1].lines.append(CELL_SEPARATOR.join(cells))
    return Extracted(pages)
