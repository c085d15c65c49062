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
- RubyGems: Gem::Version (segments; a letter segment makes a pre-release, also
  without a dot: ``1beta`` < ``1``).
- Packagist: Composer's canonical form + PHP ``version_compare`` (dev < alpha < beta
  < RC < stable < patch; ``1.0`` < ``1.0.0``; ``#`` ranks as a number).
- PyPI versions that are not PEP 440 order by the legacy (setuptools) scheme, below
  every PEP 440 version, as the OSV tools (osv-scanner, osv.dev) do.

The Maven, RubyGems, Packagist and legacy-PyPI rules follow the OSV tools' published
semantics (google/osv-scanner ``internal/semantic``), re-implemented here.
- Debian, Ubuntu: dpkg ordering (epoch, upstream, revision; "~" sorts first).
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


def _prerelease_key(pre: str | None, fold_case: bool = False) -> tuple:
    # A version without pre-release ranks above any pre-release of the same core.
    if not pre:
        return (1,)
    parts = []
    for ident in pre.split("."):
        if ident.isascii() and ident.isdigit():
            parts.append((0, int(ident), ""))
        else:
            parts.append((1, 0, ident.lower() if fold_case else ident))
    return (0, tuple(parts))


_SEMVER_LIKE_HEAD = re.compile(r"[0-9.]*")


def _semver_like_key(version: str, max_components: int, fold_case: bool = False) -> tuple:
    """SemVer-like ordering as the OSV tools apply it to npm, crates.io, Go, Hex, Pub, NuGet.

    An optional leading ``v``; then dot-separated numbers (missing ones are 0; any beyond
    ``max_components`` move to the pre-release); everything from the first other character
    is the pre-release (one leading ``-`` dropped, build metadata after ``+`` ignored).
    """
    v = version[1:] if version.startswith("v") else version
    head = _SEMVER_LIKE_HEAD.match(v).group(0)  # type: ignore[union-attr]
    nums = [int(x) for x in head.split(".") if x]
    if not nums:
        raise InvalidVersion(version)
    build = v[len(head):] if head else v
    build += "".join(f".{n}" for n in nums[max_components:])
    nums = nums[:max_components] + [0] * (max_components - len(nums))
    pre = build.split("+", 1)[0]
    if pre.startswith("-"):
        pre = pre[1:]
    return (tuple(nums), _prerelease_key(pre, fold_case=fold_case))


def semver_key(version: str, strict: bool = False) -> tuple:
    """SemVer precedence; ``strict`` accepts only exact SemVer 2.0.0, otherwise SemVer-like."""
    if strict:
        m = _SEMVER.match(version)
        if m is None:
            raise InvalidVersion(version)
        major, minor, patch, pre, _build = m.groups()
        return ((int(major), int(minor), int(patch)), _prerelease_key(pre))
    return _semver_like_key(version, 3)


def go_key(version: str) -> tuple:
    return semver_key(version, strict=False)


def nuget_key(version: str) -> tuple:
    return _semver_like_key(version, 4, fold_case=True)


# -- PyPI -------------------------------------------------------------------------------
_PYPI_LEGACY_TOKEN = re.compile(r"\d+|[a-z]+|\.|-")
_PYPI_LEGACY_WORDS = {"pre": "c", "preview": "c", "-": "final-", "rc": "c", "dev": "@"}


def _pypi_legacy_parts(version: str) -> str:
    """The pre-PEP 440 (setuptools) ordering string of a version that is not PEP 440.

    Numbers are zero-padded to eight digits, words are prefixed with ``*`` (so they sort
    below numbers), ``pre``/``preview``/``rc`` read as ``c``, ``dev`` as ``@`` (lowest),
    a hyphen as ``*final-``; trailing zeros before a word and ``*final-`` before a
    pre-release word are dropped; the whole list ends with ``*final``.
    """
    parts: list[str] = []
    for tok in _PYPI_LEGACY_TOKEN.findall(version.lower()) + ["final"]:
        if tok == ".":
            continue
        tok = _PYPI_LEGACY_WORDS.get(tok, tok)
        tok = tok.rjust(8, "0") if tok[0].isdigit() else "*" + tok
        if tok[0] == "*":
            if tok < "*final":
                while parts and parts[-1] == "*final-":
                    parts.pop()
            while parts and parts[-1] == "00000000":
                parts.pop()
        parts.append(tok)
    return "".join(parts)


def pypi_key(version: str) -> Any:
    """PEP 440 via ``packaging``; anything else by the legacy scheme, below every PEP 440 version."""
    try:
        return (1, _PepVersion(version))
    except _PepInvalid:
        if not re.search(r"[0-9]", version):  # "latest", "not a version": nothing to order by
            raise InvalidVersion(version) from None
        return (0, _pypi_legacy_parts(version))


class _CmpKey:
    """A sort key backed by a three-way comparison of parsed versions."""

    __slots__ = ("parsed",)
    _cmp: Callable[[Any, Any], int]

    def __init__(self, parsed: Any):
        self.parsed = parsed

    def _c(self, other: "_CmpKey") -> int:
        return type(self)._cmp(self.parsed, other.parsed)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, type(self)) and self._c(other) == 0

    def __lt__(self, other: "_CmpKey") -> bool:
        return self._c(other) < 0

    def __le__(self, other: "_CmpKey") -> bool:
        return self._c(other) <= 0

    def __gt__(self, other: "_CmpKey") -> bool:
        return self._c(other) > 0

    def __ge__(self, other: "_CmpKey") -> bool:
        return self._c(other) >= 0

    __hash__ = None  # type: ignore[assignment]  # keys are compared, not hashed


def _is_num(s: str) -> bool:
    return s.isascii() and s.isdigit()


def _sign(x: int) -> int:
    return (x > 0) - (x < 0)


# -- Maven ------------------------------------------------------------------------------
# The Maven version specification (as osv.dev and osv-scanner implement it): the version is
# split into tokens at "." and "-" and at every digit/non-digit transition (which counts as
# "-"); each token keeps its separator. Trailing null tokens (0, "", ga, final, release) are
# trimmed at the end and before each hyphen. Versions are compared token by token, the
# shorter padded with nulls; with equal separators numbers compare numerically and rank
# above qualifiers (alpha < beta < milestone < rc = cr < snapshot < "" = ga = final < sp <
# others lexically); with different separators ".qualifier" < "-qualifier" < "-number" <
# ".number".
_MAVEN_ORDER = {"alpha": 0, "beta": 1, "milestone": 2, "rc": 3, "snapshot": 4, "": 5, "sp": 6}
_MAVEN_SPLIT = re.compile(r"[0-9]+|[^0-9]+")
_MAVEN_NULL = ("0", "", "final", "ga")


def _maven_tokens(version: str) -> list[tuple[str, str, bool]]:
    """(separator, value, is_number) tokens of a Maven version after normalisation."""
    tokens: list[tuple[str, str, bool]] = []
    raws = re.split(r"([.-])", version)
    for i in range(0, len(raws), 2):
        prefix = "" if i == 0 else raws[i - 1]
        pieces = _MAVEN_SPLIT.findall(raws[i]) or [""]
        for j, piece in enumerate(pieces):
            if j > 0:
                prefix = "-"
            value = piece.lower() or "0"
            if value == "cr":
                value = "rc"
            elif value in ("ga", "final", "release"):
                value = ""
            if j < len(pieces) - 1 and value in ("a", "b", "m"):
                value = {"a": "alpha", "b": "beta", "m": "milestone"}[value]
            num = _is_num(value)
            tokens.append((prefix, str(int(value)) if num else value, num))
    i = len(tokens) - 1
    while i > 0:
        if tokens[i][1] in _MAVEN_NULL:
            del tokens[i]
            i -= 1
            continue
        while i >= 0 and tokens[i][0] != "-":
            i -= 1
        i -= 1
    return tokens


def _maven_sep_rank(tok: tuple[str, str, bool]) -> int:
    sep, _value, num = tok
    if num:
        return 2 if sep == "-" else 3
    return 1 if sep == "-" else 0


def _maven_token_lt(a: tuple, b: tuple, a_null: bool, b_null: bool) -> bool:
    if a[0] != b[0]:
        return _maven_sep_rank(a) < _maven_sep_rank(b)
    if a[2] and b[2]:
        return int(a[1]) < int(b[1])
    if a[2] and not a_null:
        return False
    if b[2] and not b_null:
        return True
    ra, rb = _MAVEN_ORDER.get(a[1], 7), _MAVEN_ORDER.get(b[1], 7)
    if ra == rb == 7:
        return a[1] < b[1]
    return ra < rb


def _maven_pad(tok: tuple) -> tuple:
    if tok[0] == ".":
        return (".", "", False) if tok[1] == "sp" else (".", "0", True)
    return ("-", "", False)


def _maven_lt(a: list, b: list) -> bool:
    for i in range(max(len(a), len(b))):
        a_null, b_null = i >= len(a), i >= len(b)
        x = _maven_pad(b[i]) if a_null else a[i]
        y = _maven_pad(a[i]) if b_null else b[i]
        if x == y:
            continue
        return _maven_token_lt(x, y, a_null, b_null)
    return False


def _maven_cmp(a: list, b: list) -> int:
    if _maven_lt(a, b):
        return -1
    return 1 if _maven_lt(b, a) else 0


class _MavenKey(_CmpKey):
    __slots__ = ()
    _cmp = staticmethod(_maven_cmp)

    def __init__(self, version: str):
        if not version or not re.match(r"^[0-9A-Za-z._+-]+$", version):
            raise InvalidVersion(version)
        super().__init__(_maven_tokens(version))


# -- RubyGems ---------------------------------------------------------------------------
# Gem::Version as the OSV tools read it: a "." is inserted at every digit/non-digit
# transition ("1beta" is "1.beta"), the numeric head and the rest (from the first
# non-numeric segment) each lose their trailing zeros, and segments compare as numbers,
# as strings, or number > string; a missing segment is "0".
_RUBY_SPLIT = re.compile(r"[0-9]+|[^0-9.]+|\.")


def _ruby_segments(version: str) -> list[str]:
    text = re.sub(r"(?<=[0-9])(?=[^0-9.])|(?<=[^0-9.])(?=[0-9])", ".", version)
    segs = text.split(".")
    head: list[str] = []
    tail: list[str] = []
    for seg in segs:
        if tail or not _is_num(seg):
            tail.append(seg)
        else:
            head.append(seg)
    for part in (head, tail):
        while part and part[-1] == "0":
            part.pop()
    return head + tail


def _ruby_cmp(a: list, b: list) -> int:
    for i in range(max(len(a), len(b))):
        x = a[i] if i < len(a) else "0"
        y = b[i] if i < len(b) else "0"
        xn, yn = _is_num(x), _is_num(y)
        if xn and yn:
            c = _sign(int(x) - int(y))
        elif not xn and not yn:
            c = (x > y) - (x < y)
        else:
            c = 1 if xn else -1
        if c:
            return c
    if len(a) != len(b):
        longer, sign = (a, 1) if len(a) > len(b) else (b, -1)
        return sign if _is_num(longer[min(len(a), len(b))]) else -sign
    return 0


class _RubyKey(_CmpKey):
    __slots__ = ()
    _cmp = staticmethod(_ruby_cmp)

    def __init__(self, version: str):
        v = version.strip()
        if not v or any(ch.isspace() for ch in v):
            raise InvalidVersion(version)
        super().__init__(_ruby_segments(v))


def rubygems_key(version: str) -> Any:
    return _RubyKey(version)


# -- Packagist / Composer ---------------------------------------------------------------
# PHP's version_compare after Composer's canonical form (as the OSV tools apply it): a
# leading v is dropped, "-", "_" and "+" become ".", a "." is inserted at every digit/
# non-digit transition; specials rank dev < alpha (a…) < beta (b…) < RC (rc…) < "#" (a
# number) < patch (p…); a special that is none of these ranks as dev. Extra trailing parts
# are compared against "#": "1.0" < "1.0.0" and "1.0" < "1.0.p1" but "1.0" > "1.0.rc1".
_PHP_WEIGHTS = (("dev", 0), ("a", 1), ("b", 2), ("rc", 3), ("#", 4), ("p", 5))


def _php_weight(part: str) -> int:
    if part.startswith("RC"):
        return 3
    for prefix, weight in _PHP_WEIGHTS:
        if part.startswith(prefix):
            return weight
    return 0


def _php_part_cmp(x: str, y: str) -> int:
    xn, yn = _is_num(x), _is_num(y)
    if xn and yn:
        return _sign(int(x) - int(y))
    return _sign(_php_weight("#" if xn else x) - _php_weight("#" if yn else y))


def _packagist_cmp(a: list, b: list) -> int:
    n = min(len(a), len(b))
    for i in range(n):
        c = _php_part_cmp(a[i], b[i])
        if c:
            return c
    if len(a) > len(b):
        return 1 if _is_num(a[n]) else _packagist_cmp(a[n:], ["#"])
    if len(a) < len(b):
        return -1 if _is_num(b[n]) else _packagist_cmp(["#"], b[n:])
    return 0


def _packagist_parts(version: str) -> list[str]:
    v = version.removeprefix("v").removeprefix("V")
    v = re.sub(r"[-_+]", ".", v)
    v = re.sub(r"([^0-9.])([0-9])", r"\1.\2", v)
    v = re.sub(r"([0-9])([^0-9.])", r"\1.\2", v)
    return v.split(".")


class _PackagistKey(_CmpKey):
    __slots__ = ()
    _cmp = staticmethod(_packagist_cmp)

    def __init__(self, version: str):
        v = version.strip()
        if not v or any(ch.isspace() for ch in v):
            raise InvalidVersion(version)
        super().__init__(_packagist_parts(v))


def packagist_key(version: str) -> Any:
    return _PackagistKey(version)


# -- Debian / Ubuntu (dpkg) -------------------------------------------------------------
# deb-version(7): [epoch:]upstream[-revision]; epochs compare numerically, upstream and
# revision alternate non-digit runs (compared character by character: "~" below the end
# of the run, below letters, below everything else) and numbers (compared numerically).
_DPKG_RUNS = re.compile(r"([^0-9]*)([0-9]*)")
_DPKG_END = ((0,), 0)


def _dpkg_order(ch: str) -> int:
    if ch == "~":
        return -1
    if ch.isascii() and ch.isalpha():
        return ord(ch)
    return ord(ch) + 256


def _dpkg_part(text: str) -> tuple:
    pairs = []
    for letters, digits in _DPKG_RUNS.findall(text):
        if not letters and not digits:
            continue
        pairs.append((tuple(_dpkg_order(c) for c in letters) + (0,), int(digits or 0)))
    while pairs and pairs[-1] == _DPKG_END:
        pairs.pop()
    return tuple(pairs) + (_DPKG_END,)


def dpkg_key(version: str) -> tuple:
    v = version.strip()
    if not v or any(ch.isspace() for ch in v):
        raise InvalidVersion(version)
    epoch = 0
    if ":" in v:
        head, v = v.split(":", 1)
        if not head.isascii() or not head.isdigit():
            raise InvalidVersion(version)
        epoch = int(head)
    upstream, _, revision = v.rpartition("-") if "-" in v else (v, "", "")
    if not upstream:
        raise InvalidVersion(version)
    return (epoch, _dpkg_part(upstream), _dpkg_part(revision))


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
    "RubyGems": _RubyKey,
    "Packagist": _PackagistKey,
    "Hex": semver_key,
    "Pub": semver_key,
    "Debian": dpkg_key,
    "Ubuntu": dpkg_key,
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
