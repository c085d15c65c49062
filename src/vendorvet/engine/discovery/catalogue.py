"""The SaaS catalogue (content/saas_catalogue.yaml): recognise a service by host name or app name."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

from vendorvet import content

GENERIC_WORDS = {"make", "front", "close", "copper", "box", "square", "join", "moss", "later", "buffer", "wise",
                 "x", "signal", "element", "heap", "harvest", "pitch", "tally", "proton", "tuta", "front",
                 "render", "canny", "hey", "lucid", "poe", "cursor", "otter", "runway", "drift", "lever",
                 "lattice", "deputy", "sage", "gamma", "docker", "mega", "moz", "ups", "smash"}


@dataclass(frozen=True)
class CatalogueEntry:
    key: str
    name: str
    company: str
    domains: tuple[str, ...]
    category: str
    country: str


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode().lower()
    return " ".join(re.findall(r"[a-z0-9]+", text))


@lru_cache(maxsize=1)
def _index() -> tuple[dict[str, CatalogueEntry], dict[str, CatalogueEntry], dict[str, CatalogueEntry]]:
    by_key, by_domain, by_name = {}, {}, {}
    for raw in content.load("saas_catalogue")["vendors"]:
        entry = CatalogueEntry(raw["key"], raw["name"], raw["company"], tuple(d.lower() for d in raw["domains"]),
                               raw["category"], raw["country"])
        by_key[entry.key] = entry
        for d in entry.domains:
            by_domain[d] = entry
        for alias in (entry.name, entry.key, entry.name.split(" (")[0]):
            by_name.setdefault(_norm(alias), entry)
    return by_key, by_domain, by_name


def entries() -> list[CatalogueEntry]:
    return list(_index()[0].values())


def get(key: str) -> CatalogueEntry | None:
    return _index()[0].get(key)


def match_host(host: str) -> CatalogueEntry | None:
    """The entry whose domain equals ``host`` or is a parent of it (``a.b.slack.com`` → slack.com)."""
    host = (host or "").strip().lower().rstrip(".")
    if not host:
        return None
    by_domain = _index()[1]
    labels = host.split(".")
    for i in range(len(labels) - 1):
        entry = by_domain.get(".".join(labels[i:]))
        if entry is not None:
            return entry
    return None


def match_url(url: str) -> CatalogueEntry | None:
    try:
        host = urlsplit(url if "://" in url else f"https://{url}").hostname
    except ValueError:
        return None
    return match_host(host or "")


def match_name(name: str) -> CatalogueEntry | None:
    """An entry whose product name or key is the app's name, or starts it ("Zoom for Google Workspace")."""
    norm = _norm(name)
    if not norm:
        return None
    by_name = _index()[2]
    if norm in by_name:
        return by_name[norm]
    words = norm.split()
    for n in range(len(words) - 1, 0, -1):
        prefix = " ".join(words[:n])
        entry = by_name.get(prefix)
        if entry is not None and prefix not in GENERIC_WORDS and len(prefix) >= 4:
            return entry
    return None
