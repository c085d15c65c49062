"""Reading OpenAPI documents for the audit: size cap, YAML safety limits, and ``$ref`` resolution.

YAML without anchors (nearly every vendor spec) goes through ``yaml_rs`` (a Rust parser; it builds plain
dicts, lists and scalars only, never Python objects from tags) when installed — ~10× faster than PyYAML. YAML
with anchors takes libyaml's C loader (``yaml.CSafeLoader``) when PyYAML was built with it, else a pure-Python
``SafeLoader``; there aliases are counted (on the composed graph for the C loader, since shared nodes are
exactly the aliases), and the node budget counts nodes as a walk sees them (a billion-laughs expansion).

``$ref`` to other files (multi-file specs: ``$ref: resources/pets.yml#/Pet``) is followed only for relative
paths inside the spec's own directory; absolute paths, ``..`` escapes (also through symbolic links), URLs
and anything else are refused and reported as unresolved. Nothing is ever fetched over the network.
"""

from __future__ import annotations

import json
import os
import posixpath
import re
from typing import Any

import yaml

from vendorvet.engine import jsondepth

MAX_BYTES = 32 * 1024 * 1024  # default cap; VENDORVET_OPENAPI_MAX_BYTES or --max-bytes override it
MAX_BYTES_ENV = "VENDORVET_OPENAPI_MAX_BYTES"
MAX_NODES = 4_000_000
MAX_ALIASES = 10_000
MAX_REF_CHAIN = 64
MAX_FILES = 500
CLoader = getattr(yaml, "CSafeLoader", None)
try:  # a Rust YAML parser, ~10× faster than libyaml+PyYAML; used for anchor-free documents only
    import yaml_rs as fast_yaml
except ImportError:  # pragma: no cover - optional speed-up
    fast_yaml = None


class OpenAPIError(ValueError):
    """The document cannot be audited; the message says why (and where)."""


def default_max_bytes() -> int:
    """The size cap: ``VENDORVET_OPENAPI_MAX_BYTES`` (bytes, or with a K/M/G suffix) or 32 MB."""
    raw = os.environ.get(MAX_BYTES_ENV, "").strip()
    return parse_size(raw, MAX_BYTES_ENV) if raw else MAX_BYTES


def parse_size(raw: str, what: str = "size") -> int:
    text = str(raw).strip().upper().removesuffix("B")
    factor = {"K": 1024, "M": 1024 ** 2, "G": 1024 ** 3}.get(text[-1:], 1)
    number = text[:-1] if factor > 1 else text
    try:
        value = int(float(number) * factor)
    except ValueError:
        raise OpenAPIError(f"{what}: {raw!r} is not a size (e.g. 10485760, 64M or 1G)") from None
    if value <= 0:
        raise OpenAPIError(f"{what}: the size must be positive")
    return value


class _BoundedLoader(yaml.SafeLoader):
    """SafeLoader that counts aliases; a billion-laughs document is refused before it is walked."""

    def __init__(self, stream):
        super().__init__(stream)
        self._aliases = 0

    def compose_node(self, parent, index):
        # the composer recurses once per level: bound the nesting like every JSON importer
        self._depth = getattr(self, "_depth", 0) + 1
        try:
            if self._depth > jsondepth.MAX_DEPTH:
                raise jsondepth.TooDeeplyNested()
            if self.check_event(yaml.AliasEvent):
                self._aliases += 1
                if self._aliases > MAX_ALIASES:
                    raise OpenAPIError(_too_many_aliases())
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _too_many_aliases() -> str:
    return f"the YAML uses more than {MAX_ALIASES} aliases (a 'billion laughs' expansion?); refusing to expand it"


def _count_shared(doc: Any) -> None:
    """Aliases of the C loader's output: references to containers beyond each container's first.

    Visits every distinct container once, so it is bounded by the document's real size, not its expansion.
    """
    seen: set[int] = set()
    aliases = 0
    stack = [doc]
    while stack:
        node = stack.pop()
        children = node.values() if isinstance(node, dict) else node
        for child in children:
            if isinstance(child, (dict, list)):
                if id(child) in seen:
                    aliases += 1
                    if aliases > MAX_ALIASES:
                        raise OpenAPIError(_too_many_aliases())
                else:
                    seen.add(id(child))
                    stack.append(child)


def count_nodes(doc: Any, budget: int = MAX_NODES) -> int:
    """Count nodes as a walk would see them (shared YAML aliases counted each time); returns what is left."""
    stack = [doc]
    containers = (dict, list)
    while stack:
        node = stack.pop()
        values = node.values() if isinstance(node, dict) else node
        budget -= len(values) + 1
        if budget < 0:
            raise OpenAPIError(f"the document expands to more than {MAX_NODES:,} nodes (YAML alias bomb or "
                               "recursive aliases?); refusing to audit it")
        stack.extend([v for v in values if type(v) in containers or isinstance(v, containers)])
    return budget


# an anchor (``&name``) where YAML allows one; without any, nothing is shared and nothing can expand
ANCHOR = re.compile(r"&[^\s,\[\]{}]")
ANCHOR_BEFORE = frozenset(" \t\r\n[{,:-")


def may_expand(text: str) -> bool:
    if text[:64].lstrip().startswith("{"):
        return False
    return any(m.start() == 0 or text[m.start() - 1] in ANCHOR_BEFORE for m in ANCHOR.finditer(text))


def read_text(path: str | os.PathLike, max_bytes: int) -> str:
    try:
        size = os.stat(path).st_size
    except FileNotFoundError:
        raise OpenAPIError(f"{path}: no such file") from None
    if size > max_bytes:
        raise OpenAPIError(f"{path}: the file is {size / 1048576:.1f} MB, larger than the limit of "
                           f"{_mb(max_bytes)} (raise it with --max-bytes or {MAX_BYTES_ENV})")
    with open(path, "rb") as fh:
        raw = fh.read(max_bytes + 1)
    if len(raw) > max_bytes:
        raise OpenAPIError(f"{path}: the file grew beyond the limit of {_mb(max_bytes)} while being read")
    if b"\x00" in raw[:4096]:
        raise OpenAPIError(f"{path}: a binary file, not an OpenAPI document")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise OpenAPIError(f"{path}: not UTF-8 text") from None


def _mb(n: int) -> str:
    return f"{n / 1048576:.0f} MB" if n >= 1048576 else f"{n:,} bytes"


def parse_any(text: str, name: str) -> Any:
    """JSON or YAML text → Python data, with the alias limit (no node budget, no OpenAPI check)."""
    try:
        if text.lstrip().startswith("{"):
            return jsondepth.loads(text)
        jsondepth.check(text)  # flow-style nesting ([[[…, {{{…) is refused before any parser recurses
        if fast_yaml is not None and not may_expand(text):
            # no anchor, so no alias and nothing to expand; documents with anchors take the counted path below
            return _fast_load(text)
        if CLoader is not None:
            doc = yaml.load(text, Loader=CLoader)  # noqa: S506 - libyaml's safe loader
            if isinstance(doc, (dict, list)):
                _count_shared(doc)
            return doc
        return yaml.load(text, Loader=_BoundedLoader)  # noqa: S506 - SafeLoader subclass
    except json.JSONDecodeError as exc:
        raise OpenAPIError(f"{name}: invalid or truncated JSON at line {exc.lineno}, column {exc.colno}: "
                           f"{exc.msg}") from None
    except yaml.YAMLError as exc:
        raise OpenAPIError(f"{name}: invalid or truncated YAML: {exc}".splitlines()[0]) from None
    except (RecursionError, jsondepth.TooDeeplyNested):
        raise OpenAPIError(f"{name}: the document is too deeply nested (more than {jsondepth.MAX_DEPTH} levels)") \
            from None
    except OpenAPIError as exc:
        raise OpenAPIError(f"{name}: {exc}") from None


def _fast_load(text: str) -> Any:
    try:
        return fast_yaml.loads(text, parse_datetime=False, duplicate_key_policy=fast_yaml.DuplicateKeyPolicy.LastWins,
                               alias_limits=fast_yaml.AliasLimits(max_total_replayed_events=MAX_ALIASES))
    except fast_yaml.YAMLDecodeError as exc:
        raise yaml.YAMLError(" ".join(str(exc).split())) from None


class FileRefs:
    """Loads the files a spec's relative ``$ref``s name, inside ``root`` only, within one byte and node budget.

    Each loaded file's own references are rewritten relative to ``root`` (``a/b.yml#/X``), so a reference
    means the same wherever the walk meets it.
    """

    def __init__(self, root: str, main_file: str, max_bytes: int, nodes_left: int):
        self.root = os.path.realpath(root)
        self.main = main_file  # the spec's own name, relative to root
        self.bytes_left = max_bytes
        self.nodes_left = nodes_left
        self.docs: dict[str, Any] = {}
        self.refused: dict[str, str] = {}

    @staticmethod
    def rel_target(ref: str, base_file: str) -> tuple[str | None, str]:
        """(file relative to root, or None with the reason as second item) of a non-local reference."""
        file_part = ref.split("#", 1)[0]
        if "://" in file_part or file_part.startswith("//") or ":" in file_part.split("/", 1)[0]:
            return None, "a URL; references are never fetched over the network"
        if file_part.startswith(("/", "\\")) or os.path.isabs(file_part):
            return None, "an absolute path; only files inside the spec's directory are read"
        joined = posixpath.normpath(posixpath.join(posixpath.dirname(base_file), file_part.replace("\\", "/")))
        if joined == ".." or joined.startswith("../"):
            return None, "outside the spec's directory ('..'); refused"
        return joined, ""

    def load(self, rel: str) -> Any:
        if rel in self.docs:
            return self.docs[rel]
        if rel in self.refused:
            raise OpenAPIError(self.refused[rel])
        try:
            doc = self._load(rel)
        except OpenAPIError as exc:
            self.refused[rel] = str(exc)
            raise
        self.docs[rel] = doc
        return doc

    def _load(self, rel: str) -> Any:
        if len(self.docs) >= MAX_FILES:
            raise OpenAPIError(f"more than {MAX_FILES} referenced files")
        full = os.path.realpath(os.path.join(self.root, rel))
        if os.path.commonpath([full, self.root]) != self.root:
            raise OpenAPIError("leads outside the spec's directory (symbolic link?); refused")
        if not os.path.isfile(full):
            raise OpenAPIError("no such file next to the spec")
        text = read_text(full, self.bytes_left)
        self.bytes_left -= len(text.encode("utf-8"))
        doc = parse_any(text, rel)
        if may_expand(text):  # anchor-free files are as large as their text, which the byte budget bounds
            self.nodes_left = count_nodes(doc, self.nodes_left)
        rewrite_refs(doc, rel)
        return doc


def rewrite_refs(doc: Any, rel: str) -> None:
    """Make the ``$ref``s of file ``rel`` relative to the root: ``#/X`` → ``rel#/X``, ``b.yml`` → ``dir/b.yml``."""
    seen: set[int] = set()
    stack = [doc]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str):
                if ref.startswith("#"):
                    node["$ref"] = rel + ref
                else:
                    target, _why = FileRefs.rel_target(ref, rel)
                    if target is not None:
                        node["$ref"] = target + ("#" + ref.split("#", 1)[1] if "#" in ref else "")
                    else:
                        node["$ref"] = ref  # refused later with its reason
            stack.extend(v for v in node.values() if isinstance(v, (dict, list)))
        elif isinstance(node, list):
            stack.extend(v for v in node if isinstance(v, (dict, list)))
