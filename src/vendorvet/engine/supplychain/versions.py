"""Version ordering per OSV ecosystem (pure Python).

Each ecosystem orders versions its own way; OSV ranges must be evaluated with that
ordering (ossf/osv-schema docs/schema.md, "Evaluation"). ``sort_key(ecosystem, v)``
returns a key usable with ``<``; an unparsable version raises ``InvalidVersion``,
and callers treat the affected entry as not decidable rather than guessing.

- PyPI: PEP 440 via ``packaging`` (epochs, pre/post/dev releases, local versions).
- npm, crates.io, SEMVER ranges: Semantic Versioning 2.0.0 precedence.
- Go: semver with the mandatory ``v`` prefix stripped; pseudo-versions are
  pre-releases and ``+incompatible`` is build metadata (ignored for precedence).
- NuGet: NuGet SemVer (up to four numeric parts, case-insensitive pre-release).
- Maven: Maven's ComparableVersion (qualifiers alpha < beta < milestone < rc
  < snapshot < "" (ga/final/release) < sp; numbers and qualifiers interleaved).
- RubyGems: Gem::Version (segments; a letter segment makes a pre-release).
- Packagist: Composer / PHP ``version_compare`` ordering (dev < alpha < beta < RC
  < stable < patch).
Other ecosystems fall back to a generic numeric/alphabetic segment ordering.
"""

from __future__ import annotations

import functools
import re
from typing import Any, Callable

from packaging.version import InvalidVersion as _PepInvalid
from packaging.version import Version as _PepVersion


class InvalidVersion(ValueError):
    """The version string cannot be ordered in its ecosystem."""


# -- Semantic Versioning 2.0.0 --------------------------------------------------------
_SEMVER = re.compile(
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-((?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*)(?:\.(?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*))*))?"
    r"(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$"
)
_LOOSE_SEMVER = re.compile(r"^(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-([0-9A-Za-z.-]+))?(?:\+([0-9A-Za-z.-]+))?$")


def _prerelease_key(pre: str | None, fold_case: bool = False) -> tuple:
    # A version without pre-release ranks above any pre-release of the same core.
    if not pre:
        return (1,)
    parts = []
    for ident in pre.split("."):
        if ident.isdigit():
            parts.append((0, int(ident), ""))
        else:
            parts.append((1, 0, ident.lower() if fold_case else ident))
    return (0, tuple(parts))


def semver_key(version: str, strict: bool = False) -> tuple:
    m = _SEMVER.match(version)
    if m is None and not strict:
        m = _LOOSE_SEMVER.match(version.strip())
    if m is None:
        raise InvalidVersion(version)
    major, minor, patch, pre, _build = m.groups()
    return (int(major), int(minor or 0), int(patch or 0), _prerelease_key(pre))


def go_key(version: str) -> tuple:
    v = version[1:] if version.startswith("v") else version
    return semver_key(v, strict=False)


def nuget_key(version: str) -> tuple:
    m = re.match(r"^(\d+(?:\.\d+){0,3})(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$", version.strip())
    if m is None:
        raise InvalidVersion(version)
    nums = [int(x) for x in m.group(1).split(".")]
    nums += [0] * (4 - len(nums))
    return (tuple(nums), _prerelease_key(m.group(2), fold_case=True))


def pypi_key(version: str) -> Any:
    try:
        return _PepVersion(version)
    except _PepInvalid:
        raise InvalidVersion(version) from None


# -- Maven ComparableVersion ----------------------------------------------------------
_MAVEN_QUALIFIERS = ["alpha", "beta", "milestone", "rc", "snapshot", "", "sp"]
_MAVEN_ALIASES = {"ga": "", "final": "", "release": "", "cr": "rc", "a": "alpha", "b": "beta", "m": "milestone"}


def _maven_tokens(version: str) -> list:
    """Tokenise into a nested list like Maven: '.' separates items, '-' opens a sublist."""
    version = version.lower()
    root: list = []
    current = root
    buf = ""
    is_digit = False

    def flush(buf: str, is_digit: bool, following_digit: bool = False) -> Any:
        if is_digit:
            return int(buf)
        if following_digit and len(buf) == 1 and buf in "abm":
            buf = {"a": "alpha", "b": "beta", "m": "milestone"}[buf]
        return _MAVEN_ALIASES.get(buf, buf) if buf not in ("a", "b", "m") else buf

    i = 0
    while i < len(version):
        ch = version[i]
        if ch == ".":
            current.append(flush(buf, is_digit) if buf else 0)
            buf = ""
        elif ch == "-":
            current.append(flush(buf, is_digit) if buf else 0)
            buf = ""
            sub: list = []
            current.append(sub)
            current = sub
        elif ch.isdigit():
            if buf and not is_digit:
                current.append(flush(buf, False, following_digit=True))
                sub = []
                current.append(sub)
                current = sub
                buf = ""
            is_digit = True
            buf += ch
        else:
            if buf and is_digit:
                current.append(int(buf))
                sub = []
                current.append(sub)
                current = sub
                buf = ""
            is_digit = False
            buf += ch
        i += 1
    if buf:
        current.append(flush(buf, is_digit))
    _maven_normalize(root)
    return root


def _is_null(item: Any) -> bool:
    return item == 0 or item == "" or (isinstance(item, list) and all(_is_null(x) for x in item))


def _maven_normalize(items: list) -> None:
    while items and _is_null(items[-1]):
        items.pop()
    for item in items:
        if isinstance(item, list):
            _maven_normalize(item)


def _qualifier_rank(q: str) -> tuple:
    if q in _MAVEN_QUALIFIERS:
        return (_MAVEN_QUALIFIERS.index(q), "")
    return (len(_MAVEN_QUALIFIERS), q)  # unknown qualifiers sort after known ones, lexically


def _maven_cmp_item(a: Any, b: Any) -> int:
    # None means "missing"; ints > strings > lists rules follow ComparableVersion.
    if a is None and b is None:
        return 0
    if a is None:
        return -_maven_cmp_item(b, None)
    if isinstance(a, int):
        if b is None:
            return 0 if a == 0 else 1
        if isinstance(b, int):
            return (a > b) - (a < b)
        return 1  # int > qualifier, int > list
    if isinstance(a, str):
        if b is None:
            ra, rb = _qualifier_rank(a), _qualifier_rank("")
            return (ra > rb) - (ra < rb)
        if isinstance(b, int):
            return -1
        if isinstance(b, str):
            ra, rb = _qualifier_rank(a), _qualifier_rank(b)
            return (ra > rb) - (ra < rb)
        return -1  # qualifier < list
    # a is a list
    if b is None:
        if not a:
            return 0
        return _maven_cmp_item(a[0], None)
    if isinstance(b, int):
        return -1
    if isinstance(b, str):
        return 1
    return _maven_cmp_list(a, b)


def _maven_cmp_list(a: list, b: list) -> int:
    for i in range(max(len(a), len(b))):
        x = a[i] if i < len(a) else None
        y = b[i] if i < len(b) else None
        c = _maven_cmp_item(x, y)
        if c:
            return c
    return 0


@functools.total_ordering
class _MavenKey:
    __slots__ = ("items",)

    def __init__(self, version: str):
        if not version or not re.match(r"^[0-9A-Za-z._+-]+$", version):
            raise InvalidVersion(version)
        self.items = _maven_tokens(version)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _MavenKey) and _maven_cmp_list(self.items, other.items) == 0

    def __lt__(self, other: "_MavenKey") -> bool:
        return _maven_cmp_list(self.items, other.items) < 0

    def __hash__(self) -> int:  # pragma: no cover - keys are compared, not hashed
        return hash(repr(self.items))


# -- RubyGems Gem::Version ------------------------------------------------------------
def rubygems_key(version: str) -> tuple:
    v = version.strip()
    if not re.match(r"^[0-9]+(?:\.[0-9a-zA-Z]+)*(?:-[0-9A-Za-z.-]+)?$", v):
        raise InvalidVersion(version)
    v = v.replace("-", ".pre.")
    segs: list = []
    for part in re.findall(r"[0-9]+|[a-zA-Z]+", v):
        segs.append(int(part) if part.isdigit() else part)
    # Canonical: drop trailing zeros (before any letter segment too).
    prerelease = any(isinstance(s, str) for s in segs)
    if prerelease:
        idx = next(i for i, s in enumerate(segs) if isinstance(s, str))
        head, tail = segs[:idx], segs[idx:]
        while head and head[-1] == 0:
            head.pop()
        segs = head + tail
    else:
        while segs and segs[-1] == 0:
            segs.pop()
    # Strings sort below numbers: encode each segment.
    return tuple((1, s, "") if isinstance(s, int) else (0, 0, s) for s in segs) + ((0.5, 0, ""),)


# -- Packagist / Composer ---------------------------------------------------------------
_PHP_SPECIAL = {"dev": 0, "alpha": 1, "a": 1, "beta": 2, "b": 2, "rc": 3, "#": 4, "pl": 5, "p": 5, "patch": 5}


def packagist_key(version: str) -> tuple:
    v = version.strip().lower()
    if v.startswith("v"):
        v = v[1:]
    if not v or not re.match(r"^[0-9a-z._+-]+$", v):
        raise InvalidVersion(version)
    v = re.sub(r"[-_+]", ".", v)
    v = re.sub(r"(?<=\d)(?=[a-z])|(?<=[a-z])(?=\d)", ".", v)
    parts = [p for p in v.split(".") if p]
    n = 0
    while n < len(parts) and parts[n].isdigit():
        n += 1
    head = parts[:n]
    while head and int(head[-1]) == 0:  # Composer: 1.0 == 1.0.0 == 1.0.0.0
        head.pop()
    parts = head + parts[n:]
    key = []
    for p in parts:
        if p.isdigit():
            key.append((_PHP_SPECIAL["#"], int(p)))
        else:
            key.append((_PHP_SPECIAL.get(p, -1), 0))
    # PHP compares a missing part as "#" against numbers; pad with the stable marker.
    return tuple(key) + ((_PHP_SPECIAL["#"] - 0.5, 0),)


# -- fallback ---------------------------------------------------------------------------
def generic_key(version: str) -> tuple:
    parts = re.findall(r"\d+|[A-Za-z]+", version)
    if not parts:
        raise InvalidVersion(version)
    return tuple((1, int(p), "") if p.isdigit() else (0, 0, p.lower()) for p in parts) + ((0.5, 0, ""),)


_KEYS: dict[str, Callable[[str], Any]] = {
    "PyPI": pypi_key,
    "npm": semver_key,
    "crates.io": semver_key,
    "Go": go_key,
    "NuGet": nuget_key,
    "Maven": _MavenKey,
    "RubyGems": rubygems_key,
    "Packagist": packagist_key,
    "Hex": semver_key,
    "Pub": semver_key,
}


@functools.lru_cache(maxsize=200_000)
def sort_key(ecosystem: str, version: str) -> Any:
    """Ordering key of ``version`` in ``ecosystem`` (``InvalidVersion`` if unparsable)."""
    base = ecosystem.split(":", 1)[0]
    return _KEYS.get(base, generic_key)(version)


def semver_range_key(version: str) -> Any:
    """Key for ranges of type SEMVER (which use SemVer 2.0.0 regardless of ecosystem)."""
    return go_key(version)


def compare(ecosystem: str, a: str, b: str) -> int:
    ka, kb = sort_key(ecosystem, a), sort_key(ecosystem, b)
    return (ka > kb) - (ka < kb)
