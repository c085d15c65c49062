"""Finding untranslated text on a German page: the English our own catalogues, engine and content know.

Every English msgid of every catalogue whose German differs, every English check text of the engine and every
English side of a bilingual content text (``{en: …, de: …}``) is a phrase that must never appear in the visible
text of a German page. Vendor data (names, notes a user typed) is not in these sources, so it is not flagged.
"""

from __future__ import annotations

import ast
import re
from html.parser import HTMLParser
from pathlib import Path

import vendorvet
from vendorvet import content

SRC = Path(vendorvet.__file__).parent
PLACEHOLDER = re.compile(r"%\(\w+\)[sdrf]|%[sdrf]|\{\w*\}")
WORD = re.compile(r"[A-Za-z]{2,}")
# words shared by English and German (or names) — a phrase made only of these is not "English"
SHARED = {"api", "apis", "url", "urls", "oauth", "saml", "sso", "mfa", "tls", "http", "https", "dns", "ip", "id",
          "ids", "json", "csv", "xlsx", "pdf", "sbom", "sboms", "osv", "cve", "scim", "oidc", "totp", "ssl",
          "hsts", "csp", "status", "name", "e", "mail", "admin", "scan", "scans", "team", "teams", "microsoft",
          "google", "entra", "slack", "pipeda", "dpf", "scc", "sccs", "tia", "dsgvo", "gdpr", "avv", "dpa",
          "vendorvet", "score", "hr", "it", "ok", "pro", "standard", "export", "import", "token", "tokens",
          "passkey", "passkeys", "webhook", "webhooks", "smtp", "ms", "in", "min", "max", "iso", "soc", "type",
          "ii", "cloud", "act", "fisa", "eo", "us", "eu", "ewr", "eea", "uk", "ch", "de", "en", "and", "web"}


def _po_entries(path: Path):
    """(msgid, msgstr) of the singular entries of a .po file (plural forms: the singular only)."""
    text = path.read_text(encoding="utf-8")
    for block in re.split(r"\n\s*\n", text):
        lines = [ln for ln in block.splitlines() if not ln.startswith("#~")]
        fields: dict[str, str] = {}
        current = None
        for ln in lines:
            m = re.match(r'^(msgid|msgid_plural|msgstr(?:\[0\])?|msgstr\[\d+\]|msgctxt) "(.*)"$', ln)
            if m:
                current = m.group(1)
                fields[current] = ast.literal_eval(f'"{m.group(2)}"')
            elif ln.startswith('"') and current:
                fields[current] += ast.literal_eval(ln)
        msgid = fields.get("msgid")
        msgstr = fields.get("msgstr", fields.get("msgstr[0]", ""))
        if msgid:
            yield msgid, msgstr


def _english_phrases_of(text: str) -> list[str]:
    """The parts of an English text between placeholders that are long and English enough to look for."""
    phrases = []
    for part in PLACEHOLDER.split(text):
        part = " ".join(part.split()).strip(" .,:;()—–-·")
        words = WORD.findall(part)
        if len(words) < 2 or len(part) < 12:
            continue
        if all(w.lower() in SHARED for w in words):
            continue
        phrases.append(part)
    return phrases


def _bilingual(node, out: list[tuple[str, str]]) -> None:
    if isinstance(node, dict):
        en, de = node.get("en"), node.get("de")
        if isinstance(en, str) and isinstance(de, str) and en.strip() != de.strip():
            out.append((en, de))
        for value in node.values():
            _bilingual(value, out)
    elif isinstance(node, list):
        for value in node:
            _bilingual(value, out)


def english_phrases() -> set[str]:
    """Every English phrase vendorvet itself would show, for which a German text exists."""
    texts: list[tuple[str, str]] = []  # (English, its German)
    for po in SRC.glob("web/**/locale/de/LC_MESSAGES/django.po"):
        for msgid, msgstr in _po_entries(po):
            if msgstr and msgstr.strip() != msgid.strip():
                texts.append((msgid, msgstr))
    from vendorvet.web.core import checktexts

    for check_id in checktexts.german_texts():
        for field in checktexts.FIELDS:
            texts.append((checktexts.english_text(check_id, field), checktexts.check_text(check_id, field, "de")))
    for yaml_file in (SRC / "content").glob("*.yaml"):
        _bilingual(content.load(yaml_file.stem), texts)
    phrases: set[str] = set()
    for english, german in texts:
        # a phrase the German keeps as it is (a proper name: "HTTP Strict Transport Security") is no English
        phrases.update(p for p in _english_phrases_of(english) if p not in german)
    return phrases


SKIPPED = frozenset({"script", "style", "code", "pre", "kbd", "samp", "option"})


class _Visible(HTMLParser):
    def __init__(self, skipped=SKIPPED):
        super().__init__(convert_charrefs=True)
        self.skipped = skipped
        self.parts: list[str] = []
        self.skip = 0
        self.vendor_data = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in self.skipped:
            self.skip += 1
        if self.vendor_data or "data-user-text" in attrs or attrs.get("lang", "de").split("-")[0] != "de":
            self.vendor_data += 1 if tag not in ("br", "img", "input", "meta", "link", "hr") else 0
        for key in ("title", "aria-label", "placeholder", "alt"):
            if attrs.get(key):
                self.parts.append(attrs[key])

    def handle_endtag(self, tag):
        if tag in self.skipped and self.skip:
            self.skip -= 1
        if self.vendor_data:
            self.vendor_data -= 1

    def handle_data(self, data):
        if not self.skip and not self.vendor_data and data.strip():
            self.parts.append(" ".join(data.split()))


def visible_text(html: str, with_code: bool = False) -> str:
    """The text a reader sees (and hears: titles, labels), one line per text node; code samples, options of
    select boxes and scripts only ``with_code`` (options and code: except scripts and styles)."""
    parser = _Visible(frozenset({"script", "style"}) if with_code else SKIPPED)
    parser.feed(html)
    return "\n".join(parser.parts)


REPR = re.compile(r"\{'|\['|\{\w+\}|(?<![\w-])--[a-z][a-z-]+|\bNone\b|\.\.(?:\s|$)|\w\.\. ")


def internals(text: str) -> list[str]:
    """Python structures, placeholders, CLI flags and double full stops in visible text."""
    return [line for line in text.splitlines() if REPR.search(line)]


def untranslated(text: str, phrases: set[str]) -> list[str]:
    """The English phrases found in ``text`` (whole words only)."""
    found = []
    for phrase in phrases:
        at = text.find(phrase)
        while at >= 0:
            before = text[at - 1] if at else " "
            end = at + len(phrase)
            after = text[end] if end < len(text) else " "
            if not (before.isalnum() or after.isalnum() or before in "-/_" or after in "-/_"):
                found.append(phrase)
                break
            at = text.find(phrase, at + 1)
    return found


def demo_texts() -> str:
    """The vendor data and notes the demo loads (string literals of the demo modules and demo files) — what a
    user typed, not vendorvet's own text — one line each, to tell a page's user data from its own text."""
    import json

    found: set[str] = set()

    def add(value: str) -> None:
        for line in value.splitlines():
            if line.strip():
                found.add(" ".join(line.split()))

    for module in (SRC / "web").glob("demo*.py"):
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                add(node.value)

    def walk(value):
        if isinstance(value, str):
            add(value)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    for data_file in (SRC / "web" / "demo_data").rglob("*.json"):
        walk(json.loads(data_file.read_text(encoding="utf-8")))
    from vendorvet.engine.watch import extract

    for page in (SRC / "web" / "demo_data").rglob("*.html"):  # vendor pages the demo stored as watched snapshots
        for line in extract.lines_of(page.read_bytes(), "text/html; charset=utf-8"):
            add(line)
    return "\n".join(sorted(found))


DIFF_MARK = re.compile(r"^[+-] ")


def without(text: str, user_data: str) -> str:
    """``text`` without its lines that are (part of) user data (also as a diff line: ``+ …`` / ``- …``)."""
    return "\n".join(line for line in text.splitlines()
                     if len(line) < 12 or DIFF_MARK.sub("", line.strip()) not in user_data)
