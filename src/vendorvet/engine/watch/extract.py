"""Meaningful text of a published page: canonical lines, a fingerprint and a readable diff."""

from __future__ import annotations

import difflib
import hashlib
import io
import re
from html.parser import HTMLParser

# elements whose text is not the page's content
SKIP = {"script", "style", "nav", "footer", "noscript", "template", "svg", "iframe", "head", "button", "form"}
BLOCK = {"p", "div", "section", "article", "main", "header", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr",
         "table", "ul", "ol", "dl", "dt", "dd", "br", "hr", "blockquote", "pre", "aside", "figure", "caption",
         "thead", "tbody", "details", "summary", "address"}
VOID = {"br", "hr", "img", "input", "meta", "link", "area", "base", "col", "embed", "source", "track", "wbr"}
ROW_MARK = "\x07"  # a table row or list item (sortable within its group)
GROUP_START, GROUP_END = "\x1d[", "\x1d]"

# a line that only states when the page was last changed (English and German)
STAMP_LINE = re.compile(
    r"^\s*(last\s+(updated|modified|changed|revised|reviewed)|updated(\s+on)?|page\s+updated|as\s+of|generated"
    r"|stand|zuletzt\s+(aktualisiert|geändert|bearbeitet)|letzte\s+(aktualisierung|änderung)|aktualisiert(\s+am)?"
    r"|gültig\s+ab|effective(\s+date)?|version\s+vom)\b[\s:.\-–]*", re.I)
MONTHS = (r"(jan(uary|uar)?|feb(ruary|ruar)?|m(a|ä)r(ch|z)?|apr(il)?|ma(y|i)|jun[ei]?|jul[iy]?|aug(ust)?|"
          r"sep(t|tember)?|o[ck]t(ober)?|nov(ember)?|de[cz](ember)?)\.?")
DATE = re.compile(
    r"\b(\d{4}-\d{2}-\d{2}([ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?"
    r"|\d{1,2}\.\s?\d{1,2}\.\s?\d{2,4}|\d{1,2}/\d{1,2}/\d{2,4}"
    rf"|\d{{1,2}}\.?\s+{MONTHS}\s+\d{{4}}|{MONTHS}\s+\d{{1,2}}(st|nd|rd|th)?,?\s+\d{{4}}|{MONTHS}\s+\d{{4}})\b", re.I)
TIME = re.compile(r"\b\d{1,2}:\d{2}(:\d{2})?\s*(uhr|am|pm|utc|gmt|cet|cest)?\b", re.I)
TOKEN = re.compile(r"\b([0-9a-f]{16,}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
                   r"|[A-Za-z0-9_\-]*\d[A-Za-z0-9_\-]*[A-Za-z][A-Za-z0-9_\-]{22,})\b")
SPACE = re.compile(r"\s+")


class _Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.buf: list[str] = []
        self.skip = 0
        self.cell: list[str] | None = None
        self.row: list[str] | None = None

    def _flush(self):
        text = SPACE.sub(" ", "".join(self.buf)).strip()
        self.buf = []
        if text:
            self.lines.append(text)

    def handle_starttag(self, tag, attrs):
        if tag in SKIP:
            if tag not in VOID:
                self.skip += 1
            return
        if self.skip:
            return
        if tag in ("table", "ul", "ol"):
            self._flush()
            self.lines.append(GROUP_START)
        elif tag == "tr":
            self._flush()
            self.row = []
        elif tag in ("td", "th") and self.row is not None:
            self.cell = []
        elif tag == "li":
            self._flush()
            self.buf.append(ROW_MARK)
        elif tag in BLOCK:
            self._flush()

    def handle_endtag(self, tag):
        if tag in SKIP:
            if tag not in VOID:
                self.skip = max(0, self.skip - 1)
            return
        if self.skip:
            return
        if tag in ("td", "th") and self.cell is not None and self.row is not None:
            self.row.append(SPACE.sub(" ", "".join(self.cell)).strip())
            self.cell = None
        elif tag == "tr" and self.row is not None:
            cells = [c for c in self.row if c]
            if cells:
                self.lines.append(ROW_MARK + " | ".join(cells))
            self.row = None
        elif tag in ("table", "ul", "ol"):
            self._flush()
            self.lines.append(GROUP_END)
        elif tag in BLOCK:
            self._flush()

    def handle_data(self, data):
        if self.skip:
            return
        if self.cell is not None:
            self.cell.append(data)
        elif self.row is None:
            self.buf.append(data)

    def close(self):
        super().close()
        self._flush()


def clean_line(line: str) -> str:
    """A line without dates of change, times and cache-busting tokens ("" when nothing else is left)."""
    if STAMP_LINE.match(line) and len(DATE.sub("", STAMP_LINE.sub("", line, count=1)).strip(" :.,-–()")) < 3:
        return ""
    line = TOKEN.sub("", line)
    line = TIME.sub("", line)
    if STAMP_LINE.match(line):  # "Stand: März 2025 – text": drop the date only
        line = DATE.sub("", line)
    return SPACE.sub(" ", line).strip(" |")


def _canonical(raw: list[str]) -> list[str]:
    """Clean every line; rows and items of one table or list sorted (their order is not meaningful)."""
    out: list[str] = []
    stack: list[list[str]] = []
    for line in raw:
        if line == GROUP_START:
            stack.append([])
            continue
        if line == GROUP_END:
            if stack:
                group = sorted(set(stack.pop()))
                (stack[-1] if stack else out).extend(group)
            continue
        text = clean_line(line.replace(ROW_MARK, ""))
        if text:
            (stack[-1] if stack else out).append(text)
    while stack:
        out.extend(sorted(set(stack.pop())))
    return out


def html_lines(html: str) -> list[str]:
    parser = _Text()
    parser.feed(html)
    parser.close()
    return _canonical(parser.lines)


def html_raw_lines(html: str) -> list[str]:
    """The lines before canonicalisation (table rows keep their cells, marked) — for the sub-processor reader."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    return parser.lines


class UnreadableDocument(ValueError):
    """The document has no text to compare (say so; never compare an empty text)."""


def pdf_lines(data: bytes) -> list[str]:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        text = "\n".join((page.extract_text() or "") for page in reader.pages)
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise UnreadableDocument(f"the PDF could not be read ({type(exc).__name__})") from None
    lines = [clean_line(SPACE.sub(" ", line)) for line in text.splitlines()]
    lines = [line for line in lines if line]
    if not lines:
        raise UnreadableDocument("the PDF has no text layer")
    return lines


def decode(body: bytes, content_type: str) -> str:
    match = re.search(r"charset=([\w\-]+)", content_type or "", re.I)
    for encoding in ((match.group(1),) if match else ()) + ("utf-8",):
        try:
            return body.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            continue
    return body.decode("latin-1")


def lines_of(body: bytes, content_type: str) -> list[str]:
    """Canonical lines of a fetched body (PDF or HTML/text)."""
    if body[:5] == b"%PDF-" or "pdf" in (content_type or "").lower():
        return pdf_lines(body)
    text = decode(body, content_type)
    if "html" in (content_type or "").lower() or "<" in text[:2000]:
        return html_lines(text)
    return _canonical([SPACE.sub(" ", line).strip() for line in text.splitlines()])


def fingerprint(lines: list[str]) -> str:
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def diff(before: list[str], after: list[str], limit: int = 200) -> str:
    """A readable line diff ("- " removed, "+ " added, two lines of context), at most ``limit`` lines."""
    out = []
    for line in difflib.unified_diff(before, after, lineterm="", n=1):
        if line.startswith(("---", "+++")):
            continue
        if line.startswith("@@"):
            out.append("…")
            continue
        out.append(f"{line[0]} {line[1:]}" if line[:1] in "+-" else f"  {line[1:]}")
        if len(out) >= limit:
            out.append("…")
            break
    return "\n".join(out)
