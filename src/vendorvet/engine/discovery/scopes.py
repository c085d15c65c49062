"""Scope risk: each granted scope/permission rated from content, and the app's overall risk explained.

Content: ``content/oauth_scopes_google.yaml`` and ``content/oauth_scopes_microsoft.yaml`` (sources named there).
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Iterable

from vendorvet import content

LOW, MEDIUM, HIGH = "low", "medium", "high"
RANK = {LOW: 0, MEDIUM: 1, HIGH: 2}
LEVELS = (LOW, MEDIUM, HIGH)
GOOGLE_PREFIX = "https://www.googleapis.com/auth/"
SIGN_IN = {"openid", "profile", "email", "offline_access"}
MANY_USERS = 50


def _raise(risk: str) -> str:
    return LEVELS[min(RANK[risk] + 1, 2)]


@dataclass(frozen=True)
class Rule:
    pattern: re.Pattern
    risk: str
    reason: dict
    tier: str = ""
    type: str = ""


@lru_cache(maxsize=None)
def _rules(platform: str) -> tuple[tuple[Rule, ...], dict]:
    name = {"google": "oauth_scopes_google", "microsoft": "oauth_scopes_microsoft"}[platform]
    data = content.load(name)
    rules = tuple(
        Rule(re.compile(fnmatch.translate(r["match"]), re.I), r["risk"], r["reason"], r.get("tier") or "",
             r.get("type") or "")
        for r in data["rules"]
    )
    return rules, data["default"]


@dataclass(frozen=True)
class ScopeRating:
    scope: str
    risk: str
    reason: dict  # {"en": …, "de": …}
    permission_type: str = "delegated"
    resource: str = ""
    tier: str = ""
    base_risk: str = ""
    raised_because: str = ""  # "application" | "tenant_wide" | "offline_with_data" | ""
    tenant_wide: bool = False  # granted by an admin for all users

    def as_dict(self) -> dict:
        return {"scope": self.scope, "risk": self.risk, "reason": self.reason, "type": self.permission_type,
                "resource": self.resource, "tier": self.tier, "base_risk": self.base_risk,
                "raised_because": self.raised_because, "tenant_wide": self.tenant_wide}


def google_short(scope: str) -> str:
    return scope[len(GOOGLE_PREFIX):] if scope.startswith(GOOGLE_PREFIX) else scope


@lru_cache(maxsize=8192)
def rate(platform: str, scope: str, permission_type: str = "delegated", tenant_wide: bool = False,
         resource: str = "") -> ScopeRating:
    if platform not in ("google", "microsoft"):
        return ScopeRating(scope, MEDIUM, _rules("microsoft")[1]["reason"], permission_type, resource)
    rules, default = _rules(platform)
    name = google_short(scope) if platform == "google" else scope
    for rule in rules:
        if rule.type and rule.type != permission_type:
            continue
        if rule.pattern.match(name):
            base, reason, tier = rule.risk, rule.reason, rule.tier
            break
    else:
        base, reason, tier = default["risk"], default["reason"], ""
    risk, why = base, ""
    if permission_type == "application" and base != HIGH and scope.lower() not in SIGN_IN:
        risk, why = _raise(base), "application"
    elif tenant_wide and base == MEDIUM:
        risk, why = HIGH, "tenant_wide"
    return ScopeRating(scope, risk, reason, permission_type, resource, tier, base, why, tenant_wide)


@dataclass
class GrantInput:
    scopes: dict[str, str]  # scope -> resource
    permission_type: str = "delegated"
    tenant_wide: bool = False
    active: bool = True


@dataclass
class Assessment:
    risk: str
    reasons: list[dict] = field(default_factory=list)  # [{"en", "de"}]
    flags: list[str] = field(default_factory=list)
    scopes: list[ScopeRating] = field(default_factory=list)
    excess_scopes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"risk": self.risk, "reasons": self.reasons, "flags": self.flags,
                "scopes": [s.as_dict() for s in self.scopes], "excess_scopes": self.excess_scopes}


def _t(en: str, de: str, **params) -> dict:
    return {"en": en.format(**params), "de": de.format(**params)}


RISKY_CATEGORIES = {"ai", "storage", "file_transfer", "remote_access"}


def reply_url_insecure(url: str) -> bool:
    low = url.strip().lower()
    if not low.startswith("http://"):
        return False
    host = low[7:].split("/", 1)[0].rsplit(":", 1)[0]
    return host not in ("localhost", "127.0.0.1", "[::1]")


def assess(platform: str, grants: Iterable[GrantInput], *, verified_publisher: bool | None = None,
           reply_urls: Iterable[str] = (), users: int = 0, required_scopes: Iterable[str] | None = None,
           category: str = "", first_party: bool = False, admin_apis: Iterable[str] = ()) -> Assessment:
    """The app's risk (highest scope risk, raised for application permissions and tenant-wide consent),
    its flags and readable reasons. Only active grants count toward the risk. ``admin_apis``: Google Admin SDK
    APIs the app was seen calling (administrative access: the risk is at least high while it holds a grant)."""
    best: dict[tuple[str, str], ScopeRating] = {}
    flags: list[str] = []
    any_active = False
    for g in grants:
        if not g.active:
            continue
        any_active = True
        if g.tenant_wide:
            flags.append("tenant_wide_consent")
        if g.permission_type == "application":
            flags.append("application_permissions")
        for scope, resource in g.scopes.items():
            r = rate(platform, scope, g.permission_type, g.tenant_wide, resource)
            key = (scope, g.permission_type)
            if key not in best or (RANK[r.risk], r.tenant_wide) > (RANK[best[key].risk], best[key].tenant_wide):
                best[key] = r
    ratings = sorted(best.values(), key=lambda r: (-RANK[r.risk], r.scope.lower()))
    names = {r.scope.lower() for r in ratings}
    if "offline_access" in names and any(RANK[r.risk] > 0 and r.scope.lower() != "offline_access" for r in ratings):
        ratings = [ScopeRating(r.scope, MEDIUM, _t(
            "Refresh token: the app keeps its access to the other granted data while the user is away.",
            "Refresh-Token: die App behält den Zugriff auf die übrigen Daten, auch wenn der Nutzer abwesend ist."),
            r.permission_type, r.resource, r.tier, r.base_risk, "offline_with_data", r.tenant_wide)
            if r.scope.lower() == "offline_access" else r for r in ratings]
        flags.append("offline_access")
    risk = max((r.risk for r in ratings), key=RANK.get, default=LOW)
    reasons: list[dict] = []
    for r in ratings:
        if r.risk == risk and risk != LOW:
            how = "application" if r.permission_type == "application" else "tenant_wide" if r.tenant_wide else ""
            kind = {"application": _t(" (application permission)", " (Anwendungsberechtigung)"),
                    "tenant_wide": _t(" (admin consent for all users)", " (Administratorzustimmung für alle Nutzer)")
                    }.get(how, {"en": "", "de": ""})
            reasons.append({lang: f"{r.scope}{kind[lang]}: {r.reason[lang]}" for lang in ("en", "de")})
    if any(r.tier == "restricted" for r in ratings):
        flags.append("restricted_scopes")
    if platform == "microsoft" and verified_publisher is False and not first_party:
        flags.append("unverified_publisher")
        reasons.append(_t("The publisher is not verified by Microsoft.",
                          "Der Herausgeber ist nicht von Microsoft verifiziert."))
        if risk == LOW and ratings:
            risk = MEDIUM
    insecure = [u for u in reply_urls if reply_url_insecure(u)]
    if insecure:
        flags.append("reply_url_not_https")
        reasons.append(_t("Reply URL without HTTPS: {url}", "Antwort-URL ohne HTTPS: {url}", url=insecure[0]))
        risk = HIGH if RANK[risk] >= 1 else MEDIUM
    admin = sorted(set(admin_apis))
    if admin and any_active:
        flags.append("admin_api")
        reasons.append(_t("Calls Google Admin SDK APIs ({apis}): administrative access to the organisation's "
                          "users, groups, devices or audit logs.",
                          "Ruft Google-Admin-SDK-APIs auf ({apis}): administrativer Zugriff auf Nutzer, Gruppen, "
                          "Geräte oder Audit-Protokolle der Organisation.", apis=", ".join(admin)))
        risk = HIGH if RANK[risk] < RANK[HIGH] else risk
    if users >= MANY_USERS:
        flags.append("many_users")
        reasons.append(_t("Granted by {n} users.", "Von {n} Nutzern freigegeben.", n=users))
    excess: list[str] = []
    if required_scopes is not None:
        needed = {s.strip().lower() for s in required_scopes if s and s.strip()}
        if platform == "google":
            needed |= {google_short(s) for s in needed}
        for r in ratings:
            low_name = r.scope.lower()
            if low_name in needed or (platform == "google" and google_short(low_name) in needed):
                continue
            excess.append(r.scope)
        if excess:
            flags.append("least_privilege_gap")
            reasons.append(_t("Granted beyond what the business needs: {scopes}",
                              "Mehr freigegeben als fachlich nötig: {scopes}", scopes=", ".join(excess)))
    if not ratings:
        if category in RISKY_CATEGORIES:
            risk = MEDIUM
            reasons.append(_t("In use (seen in network logs); a {category} service to which staff may upload "
                              "company data.", "In Nutzung (in Netzwerkprotokollen gesehen); ein Dienst der "
                              "Kategorie {category}, in den Beschäftigte Firmendaten hochladen können.",
                              category=category))
        elif not any_active and platform in ("google", "microsoft"):
            reasons.append(_t("No active grant.", "Keine aktive Freigabe."))
        else:
            reasons.append(_t("No permissions known.", "Keine Berechtigungen bekannt."))
    return Assessment(risk=risk, reasons=reasons, flags=list(dict.fromkeys(flags)), scopes=ratings,
                      excess_scopes=excess)


@dataclass(frozen=True)
class GrantedAccess:
    """What the discovered grants of one or more apps add up to, for an integration's criticality tier."""

    risk: str = ""  # "" when no scope is known
    access: str = ""  # application | tenant_wide | user | "" — how the highest-risk scopes were granted
    scopes: tuple[str, ...] = ()  # the highest-risk scopes, application permissions and tenant-wide first


def granted_access(scope_rows: Iterable[dict]) -> GrantedAccess:
    """Summarise stored scope ratings (``ScopeRating.as_dict()`` rows of the active grants of an integration's
    discovered apps): the highest risk, whether any scope of that risk is an application permission or was
    granted for all users, and those scopes by name."""
    rows = [r for r in scope_rows if r.get("risk") in RANK]
    if not rows:
        return GrantedAccess()
    risk = max((r["risk"] for r in rows), key=RANK.get)
    top = [r for r in rows if r["risk"] == risk]
    if any(r.get("type") == "application" for r in top):
        access = "application"
    elif any(r.get("tenant_wide") for r in top):
        access = "tenant_wide"
    else:
        access = "user"

    def order(r):
        return (r.get("type") != "application", not r.get("tenant_wide"), r["scope"].lower())

    names = list(dict.fromkeys(google_short(r["scope"]) for r in sorted(top, key=order)))
    return GrantedAccess(risk, access, tuple(names))


# -- data categories suggested by granted scopes -------------------------------------------------------------
KIND_LABELS = {
    "mail": {"en": "mail", "de": "E-Mails"},
    "chat": {"en": "chat messages", "de": "Chat-Nachrichten"},
    "meetings": {"en": "meeting recordings and transcripts", "de": "Besprechungsaufzeichnungen und -protokolle"},
    "files": {"en": "files", "de": "Dateien"},
    "calendar": {"en": "calendar", "de": "Kalender"},
    "contacts": {"en": "contacts", "de": "Kontakte"},
    "directory": {"en": "directory (users and groups)", "de": "Verzeichnis (Nutzer und Gruppen)"},
    "credentials": {"en": "credentials and app secrets", "de": "Anmeldedaten und App-Geheimnisse"},
    "health": {"en": "health and fitness data", "de": "Gesundheits- und Fitnessdaten"},
    "tasks": {"en": "tasks", "de": "Aufgaben"},
}
COMMUNICATIONS = {"en": "communications", "de": "Kommunikationsinhalte"}


@dataclass(frozen=True)
class DataSuggestion:
    """Data categories an app's granted scopes suggest, each kind of data with the scopes behind it."""

    categories: tuple[str, ...] = ()
    kinds: tuple[dict, ...] = ()  # {"kind", "communications", "scopes", "label": {"en", "de"}}
    source: Any = ""  # {"en", "de"}: the public sources of the rules ("" when nothing is suggested)

    def as_dict(self) -> dict:
        return {"categories": list(self.categories), "kinds": [dict(k) for k in self.kinds], "source": self.source}


@lru_cache(maxsize=None)
def _data_rules(platform: str) -> tuple[tuple[tuple[re.Pattern, dict], ...], Any]:
    name = {"google": "oauth_scopes_google", "microsoft": "oauth_scopes_microsoft"}[platform]
    section = content.load(name).get("data_categories") or {}
    rules = tuple((re.compile(fnmatch.translate(r["match"]), re.I), r) for r in section.get("rules", []))
    source = section.get("source", "")  # {en, de} (or one text): who says which scope reads what
    if isinstance(source, dict):
        return rules, {lang: " ".join(str(text).split()) for lang, text in source.items()}
    return rules, " ".join(str(source).split())


def suggest_data(platform: str, scopes: Iterable[str]) -> DataSuggestion:
    """The data categories (inventory values: personal, internal, credentials, health) the granted ``scopes``
    suggest, from the ``data_categories`` rules of the platform's scope content; sign-in scopes suggest none."""
    if platform not in ("google", "microsoft"):
        return DataSuggestion()
    rules, source = _data_rules(platform)
    categories: set[str] = set()
    kinds: dict[str, dict] = {}
    for scope in scopes:
        name = google_short(scope) if platform == "google" else scope
        if name.lower() in SIGN_IN:
            continue
        rule = next((r for pattern, r in rules if pattern.match(name)), None)
        if rule is None:
            continue
        categories.update(rule["categories"])
        entry = kinds.setdefault(rule["kind"], {
            "kind": rule["kind"], "communications": bool(rule.get("communications")), "scopes": [],
            "label": _kind_label(rule["kind"], bool(rule.get("communications")))})
        if name not in entry["scopes"]:
            entry["scopes"].append(name)
    order = list(KIND_LABELS)
    ordered = sorted(kinds.values(), key=lambda k: order.index(k["kind"]) if k["kind"] in order else len(order))
    return DataSuggestion(tuple(sorted(categories)), tuple(ordered), source if categories else "")


def _kind_label(kind: str, communications: bool) -> dict:
    label = KIND_LABELS.get(kind, {"en": kind, "de": kind})
    if not communications:
        return dict(label)
    return {lang: f"{label[lang]} ({COMMUNICATIONS[lang]})" for lang in ("en", "de")}
