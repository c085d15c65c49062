"""The one place that turns engine and content texts, citations, numbers and stored structures into text for
people, in the active Django language.

* :func:`pick` — a bilingual content text (``{"en": …, "de": …}``) in the reader's language.
* :func:`engine_text` — an English sentence the engine produced (scan verdicts, transfer reasoning, legal
  acts) in the reader's language; a text it does not know is returned unchanged.
* :func:`cite` — a legal citation in the style of the language: ``Art. 28 Abs. 3 lit. a DSGVO`` in German,
  ``Art. 28(3)(a) GDPR`` in English; :func:`citation` rewrites an English citation found in a text.
* :func:`country_in` — "in den Vereinigten Staaten", "in der Schweiz", "in Deutschland".
* :func:`number` — "−12,5" in German, "−12.5" in English.
* :func:`human` — any stored value (lists, dicts, bilingual texts, booleans, None) as readable text; never a
  Python structure on a page.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import formats
from django.utils.translation import gettext, gettext_lazy as _, pgettext

from vendorvet.web.core.i18n import content_language

__all__ = ["pick", "engine_text", "cite", "citation", "country_in", "country_named", "number", "human",
           "legal_act", "tri_state"]


# ----------------------------------------------------------------------------- bilingual texts
def is_bilingual(value: Any) -> bool:
    return isinstance(value, dict) and "en" in value and set(value) <= {"en", "de"}


def pick(value: Any, language: str | None = None) -> str:
    """A content text in ``language`` (default: the active one): the German or English side of a
    ``{"en": …, "de": …}`` text, the English side when the German is missing; a plain string unchanged."""
    if isinstance(value, dict):
        lang = "de" if (language or content_language()).startswith("de") else "en"
        return str(value.get(lang) or value.get("en") or value.get("de") or "")
    return "" if value is None else str(value)


# ----------------------------------------------------------------------------- citations
LAWS = {
    # key: (German name, English name)
    "GDPR": ("DSGVO", "GDPR"),
    "BDSG": ("BDSG", "BDSG"),
    "TTDSG": ("TDDDG", "TDDDG"),
    "TDDDG": ("TDDDG", "TDDDG"),
    "NIS2": ("NIS-2-Richtlinie", "NIS2 Directive"),
    "DORA": ("DORA", "DORA"),
    "SCC": ("SCC", "SCCs"),
}


def _german(language: str | None) -> bool:
    return (language or content_language()).startswith("de")


def cite(article: int | str, paragraph: int | str | None = None, letter: str | None = None, *,
         sentence: int | str | None = None, subparagraph: int | str | None = None, law: str = "GDPR",
         language: str | None = None) -> str:
    """One legal citation: ``cite(28, 3, "a")`` → "Art. 28 Abs. 3 lit. a DSGVO" / "Art. 28(3)(a) GDPR"."""
    german = _german(language)
    name = LAWS.get(law, (law, law))[0 if german else 1]
    if german:
        parts = [f"Art. {article}"]
        if paragraph is not None:
            parts.append(f"Abs. {paragraph}")
        if subparagraph is not None:
            parts.append(f"UAbs. {subparagraph}")
        if sentence is not None:
            parts.append(f"Satz {sentence}")
        if letter:
            parts.append(f"lit. {letter}")
        return " ".join(parts + [name]).strip()
    text = f"Art. {article}"
    if paragraph is not None:
        text += f"({paragraph})"
    if letter:
        text += f"({letter})"
    if subparagraph is not None:
        text += f", subparagraph {subparagraph}"
    if sentence is not None:
        text += f", sentence {sentence}"
    return f"{text} {name}".strip()


# "GDPR Art. 28(3)(a)", "Art. 28(3) sentence 1", "Art. 30(1)(b) GDPR", "Arts. 32–36", "Art. 28(2) and (4)"
_ENGLISH_CITATION = re.compile(
    r"(?:(?P<lawpre>GDPR|BDSG)\s+)?Art\.\s*(?P<art>\d+[a-z]?)"
    r"(?:\((?P<par>\d+)\))?(?:\((?P<let>[a-z])\))?"
    r"(?:\s+(?:sentence|first sentence)\s+(?P<sent>\d+)|,?\s+last subparagraph(?P<last>))?"
    r"(?:\s+(?P<lawpost>GDPR|BDSG)\b)?")


def citation(text: str, language: str | None = None) -> str:
    """``text`` with every English-style article citation rewritten in the style of ``language``."""
    if not text or not _german(language) or "Art." not in text:
        return text

    def german(m: re.Match) -> str:
        law = m.group("lawpre") or m.group("lawpost")
        if m.group("last") is not None:
            sub = 2  # the last subparagraph of Art. 28(3) GDPR is its second
        else:
            sub = None
        return cite(m.group("art"), m.group("par"), m.group("let"), sentence=m.group("sent"), subparagraph=sub,
                    law=law or "", language="de").strip()

    out = _ENGLISH_CITATION.sub(german, text)
    return out.replace("Arts. ", "Art. ")


# ----------------------------------------------------------------------------- legal acts
def legal_act(text: str, language: str | None = None) -> str:
    """An EU legal act's English name in the reader's language ("Commission Implementing Decision (EU)
    2021/914" → "Durchführungsbeschluss (EU) 2021/914 der Kommission")."""
    if not text or not _german(language):
        return text or ""
    from vendorvet.engine.reference import german_act

    return german_act(text)


# ----------------------------------------------------------------------------- countries
def country_named(code: str, language: str | None = None) -> str:
    from vendorvet import content

    entry = content.load("countries")["countries"].get((code or "").upper())
    if not entry:
        return code
    return entry.get("de" if _german(language) else "en") or entry["en"]


def country_in(code: str, language: str | None = None) -> str:
    """"in den Vereinigten Staaten", "in der Schweiz", "in Deutschland" — "in the United States" in English."""
    from vendorvet.engine.reference import country_in as engine_country_in

    return engine_country_in(code, "de" if _german(language) else "en")


# ----------------------------------------------------------------------------- numbers
MINUS = "\u2212"


def number(value: Any, decimals: int | None = None, *, sign: bool = False) -> str:
    """A number in the reader's locale with a real minus sign: "−12,5" (de) / "−12.5" (en)."""
    if value is None or value == "":
        return "—"
    try:
        amount = Decimal(str(value).replace(MINUS, "-"))
    except (InvalidOperation, ValueError):
        return str(value)
    if decimals is None:  # as many decimals as the value has, trailing zeros dropped
        exponent = amount.normalize().as_tuple().exponent
        decimals = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    text = formats.number_format(abs(amount), decimals, use_l10n=True)
    if amount < 0:
        return MINUS + text
    return ("+" + text) if sign and amount > 0 else text


_NUMBER_IN_TEXT = re.compile(r"(?<![\w.,])([−-]?\d+\.\d+)(?![\w.]|,\d)")


def numbers_in(text: str, language: str | None = None) -> str:
    """Decimal numbers inside an English sentence ("−6.25") in the reader's locale ("−6,25")."""
    if not text or not _german(language):
        return text
    return _NUMBER_IN_TEXT.sub(lambda m: m.group(1).replace(".", ","), text)


# ----------------------------------------------------------------------------- engine sentences
def tri_state(value: Any) -> str:
    return str({"yes": _("yes"), "no": _("no"), "unknown": _("unknown"), True: _("yes"),
                False: _("no")}.get(value, value))


def _grade_reason(text: str) -> str:
    from vendorvet.web.core.engine_texts import retranslate, translate_reason

    translated = translate_reason(text)
    return retranslate(text) if translated == text else translated


def engine_text(text: Any, language: str | None = None) -> str:
    """A sentence the engine stored in English (grade deductions, verdict reasons, transfer results, legal acts)
    in the reader's language. Texts it does not recognise are returned unchanged (with citations and legal
    acts in the reader's style)."""
    if isinstance(text, dict):
        return pick(text, language)
    text = "" if text is None else str(text)
    if not text or not _german(language):
        return text
    translated = _grade_reason(text)
    return numbers_in(citation(legal_act(translated, "de"), "de"), "de")


# ----------------------------------------------------------------------------- stored structures
def _labels() -> dict[str, str]:
    """Labels of the keys stored structures use (tier reasons, transfer inputs, discovery records …)."""
    return {
        "our_role": gettext("our role"), "vendor_role": gettext("vendor's role"),
        "vendor_country": gettext("vendor's country"), "processing_countries": gettext("countries of processing"),
        "parent_country": gettext("parent company's country"), "dpf": gettext("EU-US Data Privacy Framework"),
        "canada_pipeda": gettext("subject to PIPEDA (Canada)"), "data_categories": gettext("data categories"),
        "data_subjects": gettext("data subjects"), "sub_processors": gettext("sub-processors"),
        "third_country_transfer": gettext("third-country transfer"), "basis": gettext("transfer basis"),
        "adequacy_country": gettext("adequacy decision for"), "adequacy_decision": gettext("adequacy decision"),
        "scc_module": gettext("SCC module"), "tia_required": gettext("transfer impact assessment required"),
        "special_categories": gettext("special categories of personal data"),
        "apps": gettext("apps"), "grants": gettext("grants"), "grants_total": gettext("grants in total"),
        "grade": gettext("grade"), "score": gettext("score"), "country": gettext("country"),
        "name": gettext("name"), "tier": gettext("tier"), "points": gettext("points"),
        "risk": gettext("risk"), "state": gettext("state"), "status": gettext("status"),
        "enabled": gettext("active"), "records_at_least": gettext("from records"),
        "users_at_least": gettext("from users"), "reason": gettext("reason"), "count": gettext("number"),
        "is_active": gettext("active"), "is_staff": gettext("staff"), "is_superuser": gettext("superuser"),
        "action": gettext("action"), "changed_fields": gettext("changed fields"), "role": gettext("role"),
        # fields without a verbose name of their own, as the change history shows them
        "accepted_by": gettext("accepted by"), "answer": gettext("answer"), "answered_at": gettext("answered at"),
        "answered_by": gettext("answered by"), "assessment": gettext("assessment"),
        "attempts": gettext("attempts"), "claimed_by": gettext("worker"), "content_version": gettext("content version"),
        "created_by_label": gettext("created by"), "decision": gettext("decision"),
        "integration": gettext("integration"), "invited_by": gettext("invited by"), "key_id": gettext("key id"),
        "last_digest": gettext("last digest"), "lease_until": gettext("worker lease until"),
        "queued_at": gettext("queued at"), "reasoning_de": gettext("reasoning (German)"),
        "sha256": gettext("SHA-256 checksum"), "signed_by": gettext("signed by"), "task_id": gettext("task"),
        "user": gettext("user"), "vendor": gettext("vendor"),
        # facts of a scan that monitoring compares (engine.evidence)
        "countries": gettext("countries"), "not_after": gettext("valid until"), "format": gettext("format"),
        "limit": gettext("limit"), "deprecation": gettext("deprecated since"), "sunset": gettext("switched off on"),
    }


def key_label(key: str) -> str:
    """A stored structure's key as a label; keys without one read "other" (never the raw key)."""
    return _labels().get(key) or gettext("other")


def label_or(key: str) -> str:
    """A stored key's label, or the key itself when none is known (field names of a setting)."""
    return _labels().get(key) or key


# keys of stored results whose text is shown elsewhere (the reasoning on the legal page) or is internal
_HIDDEN_KEYS = {"reasoning", "reasoning_de", "destinations", "onward_transfers", "content_version", "sha256",
                "jurisdiction_warning", "key", "original", "rule", "id", "pk", "base_risk", "raised_because",
                "tenant_wide", "type", "resource"}


def _value_label(key: str | None, value: Any) -> str | None:
    """Known stored values (codes) by the key they are stored under; None when not known."""
    if isinstance(value, bool) or value in ("yes", "no", "unknown"):
        return tri_state(value)
    if not key or not isinstance(value, str):
        return None
    if key.endswith("country") or key.endswith("countries"):
        return country_named(value) if len(value) == 2 else None
    from vendorvet.web.core.registry import registry

    if key in registry.value_labels:
        return registry.value_labels[key](value)
    if key in ("our_role", "vendor_role", "role"):
        return {"controller": gettext("controller"), "processor": gettext("processor"),
                "sub-processor": gettext("sub-processor")}.get(value)
    if key == "basis":
        return {"none_needed": gettext("no transfer tool needed"), "adequacy": gettext("adequacy decision"),
                "dpf": gettext("EU-US Data Privacy Framework"),
                "scc": gettext("standard contractual clauses")}.get(value)
    if key in ("status", "before_status", "after_status") and value in _STATUSES:
        return status_label(value)
    if key == "risk":
        return {"high": gettext("high"), "medium": gettext("medium"), "low": gettext("low")}.get(value)
    if key == "adequacy_decision":
        return legal_act(value)
    return None


def _join(items: list[str], sep: str = "; ") -> str:
    items = [i for i in items if i]
    return sep.join(items) if items else "—"


def human(value: Any, key: str | None = None) -> str:
    """A stored value as text for people: bilingual texts in the reader's language, lists joined, dicts as
    "label: value" pairs with known codes named, booleans as yes/no, nothing as "—"."""
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    known = _value_label(key, value)
    if known is not None:
        return known
    if isinstance(value, bool):
        return tri_state(value)
    if isinstance(value, (int, float, Decimal)):
        return number(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return formats.localize(value)
    if isinstance(value, str):
        return engine_text(value)
    if isinstance(value, (list, tuple, set)):
        rendered = [human(item, key) for item in value]
        sep = ", " if all(not isinstance(i, (dict, list)) for i in value) else "; "
        return _join(rendered, sep)
    if isinstance(value, dict):
        return _human_dict(value)
    return str(value)


def _human_dict(value: dict) -> str:
    if is_bilingual(value):
        return pick(value)
    if {"en", "de"} & set(value) and ("key" in value or "points" in value):  # a score line: its own text
        return numbers_in(pick({k: value[k] for k in ("en", "de") if k in value}))
    if "text" in value and isinstance(value["text"], (dict, str)):  # a tier reason
        text = pick(value["text"])
        return (pgettext("tier reason", "%(text)s (tier %(tier)s)") % {"text": text, "tier": value["tier"]}
                if value.get("tier") else text)
    if "scope" in value:  # an OAuth scope of a discovered app
        reason = pick(value.get("reason")) if value.get("reason") else ""
        risk = _value_label("risk", value.get("risk")) or ""
        head = f"{value['scope']} ({risk})" if risk else str(value["scope"])
        return f"{head}: {reason}" if reason else head
    if "name" in value and "size" in value:  # an uploaded file
        from django.template.defaultfilters import filesizeformat

        return f"{value['name']} ({filesizeformat(value['size'])})"
    labels = _labels()
    pairs = []
    for k, v in value.items():
        if k in _HIDDEN_KEYS:
            continue
        label = labels.get(k)
        if label is None:
            label = gettext("other")
        pairs.append(f"{label[:1].upper()}{label[1:]}: {human(v, k)}")
    return _join(pairs)


def human_diff(key: str, before: Any, after: Any) -> str:
    """A change of a list field as "Datenkategorien: + personenbezogene Daten, − Finanzdaten"."""
    label = _labels().get(key, key)
    before_list = before if isinstance(before, list) else ([] if before in (None, "") else [before])
    after_list = after if isinstance(after, list) else ([] if after in (None, "") else [after])
    added = [human(v, key) for v in after_list if v not in before_list]
    removed = [human(v, key) for v in before_list if v not in after_list]
    parts = [f"+ {a}" for a in added] + [f"{MINUS} {r}" for r in removed]
    return f"{label[:1].upper()}{label[1:]}: {', '.join(parts) if parts else human(after_list, key)}"


_STATUSES = ("pass", "fail", "warn", "error", "info", "not_applicable", "skipped")


def status_label(status: Any) -> str:
    """A check or answer status ("pass", "error", "not_applicable" …) as a word for people."""
    labels = {"pass": gettext("passed"), "fail": gettext("failed"), "warn": gettext("warning"),
              "error": gettext("could not run"), "info": gettext("information"),
              "not_applicable": gettext("not applicable"), "skipped": gettext("skipped"),
              "": gettext("not checked"), None: gettext("not checked"), "met": gettext("met"),
              "partly_met": gettext("partly met"), "not_met": gettext("not met"),
              "unknown": gettext("unknown")}
    return str(labels.get(status, status))


_LAW_OF_FRAMEWORK = {"GDPR": "GDPR", "NIS2": "NIS2", "DORA": "DORA"}
_CONTROL = re.compile(r"(\d+[a-z]?)(?:\((\d+)\))?(?:\(([a-z])\))?")


def mapping_label(mapping: Any, language: str | None = None) -> str:
    """A checklist requirement's framework reference in the citation style of the language:
    "Art. 28 Abs. 3 lit. h DSGVO" (de) for the English "GDPR Art. 28(3)(h)"."""
    short, control = str(getattr(mapping, "framework_short", "")), str(getattr(mapping, "control", ""))
    law = _LAW_OF_FRAMEWORK.get(short)
    m = _CONTROL.fullmatch(control)
    if law and m:
        return cite(m.group(1), m.group(2), m.group(3), law=law, language=language)
    if not _german(language):
        return mapping.label
    citation = str(getattr(mapping, "citation", ""))
    if citation.startswith("Clause "):
        return f"Klausel {control} {short}"
    if citation.startswith("Step "):
        return f"{legal_act(short, 'de').replace('Rec.', 'Empf.')}, Schritt {control}"
    return mapping.label


def known_text(stored: str, bilingual: list[dict]) -> str:
    """A stored text that is one side of one of ``bilingual`` content texts (a default name created in the
    installation's language) in the reader's language; any other (user-written) text unchanged."""
    for text in bilingual:
        if isinstance(text, dict) and stored in (text.get("en"), text.get("de")):
            return pick(text)
    return stored
