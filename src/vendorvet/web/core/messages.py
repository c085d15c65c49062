"""Event texts in the reader's language.

Events are recorded in the background (scheduler, workers) where nobody's language is active. So an event
stores, beside its text in the installation language, the *message*: the untranslated text (a msgid marked
with :func:`N_`) and its parameters, which may be messages themselves. The web UI, the API and the alerts
render it at read time in the active language (the user's, the request's ``Accept-Language``, the alert
rule's). Rows recorded before messages were stored keep their stored text.
"""

from __future__ import annotations

import logging

from django.utils.translation import gettext, gettext_noop

log = logging.getLogger(__name__)
N_ = gettext_noop  # marks a msgid for makemessages without translating it now


class Msg:
    """A translatable text with ``%(name)s`` parameters: ``Msg(N_("%(n)d days ago"), n=3)``."""

    def __init__(self, msgid: str, **params):
        self.msgid, self.params = msgid, params

    def __mod__(self, params: dict) -> "Msg":  # T("…%(x)s") % {"x": …}, like a translated string
        return Msg(self.msgid, **{**self.params, **params})

    def as_data(self) -> dict:
        return {"msg": self.msgid, "params": {k: _encode(v) for k, v in self.params.items()}}

    def __str__(self) -> str:
        return render(self.as_data())


def T(msgid: str) -> Msg:  # noqa: N802 - used as ``_`` where events are recorded
    """A message to render later, in the reader's language (makemessages finds it as ``_("…")``)."""
    return Msg(msgid)


class CheckRemediation:
    """What to do about a check (its remediation text in the reader's language), looked up when shown."""

    def __init__(self, check_id: str):
        self.check_id = check_id

    def __str__(self) -> str:
        return render({"remediation": self.check_id})


class CheckTitle:
    """A check's title (a finding's title as the engine gives it), looked up when shown."""

    def __init__(self, check_id: str):
        self.check_id = check_id

    def __str__(self) -> str:
        return render({"check_title": self.check_id})


class Labels:
    """Stored codes shown by their labels in the reader's language, e.g. ``Labels("data_categories",
    ["personal"])`` → "personenbezogene Daten" (labels from ``registry.value_labels``)."""

    def __init__(self, key: str, values):
        self.key, self.values = key, [str(v) for v in values]

    def __str__(self) -> str:
        return render({"labels": self.key, "values": self.values})


class Human:
    """A stored structure (e.g. facts of a scan: ``{"countries": ["US"]}``) shown as text in the reader's
    language ("Länder: Vereinigte Staaten"), through :func:`vendorvet.web.core.texts.human`."""

    def __init__(self, value):
        self.value = value

    def __str__(self) -> str:
        return render({"human": self.value})


def _encode(value):
    if isinstance(value, Human):
        return {"human": value.value}
    if isinstance(value, Labels):
        return {"labels": value.key, "values": value.values}
    if isinstance(value, Msg):
        return value.as_data()
    if isinstance(value, CheckRemediation):
        return {"remediation": value.check_id}
    if isinstance(value, CheckTitle):
        return {"check_title": value.check_id}
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    return "" if value is None else str(value)


def encode(value) -> dict | str | None:
    """The stored form of a text: a message as data, a plain string as it is."""
    if value is None or isinstance(value, str):
        return value
    return _encode(value)


def render(data) -> str:
    """The stored form rendered in the active language."""
    if data is None:
        return ""
    if isinstance(data, (str, int, float)):
        return str(data)
    if "human" in data:
        from vendorvet.web.core.texts import human

        return human(data["human"])
    if "labels" in data:
        from vendorvet.web.core.texts import human

        return human(list(data.get("values") or []), str(data["labels"]))
    if "remediation" in data or "check_title" in data:  # in the active language (German content or the engine's)
        from vendorvet.web.core.checktexts import check_text

        if "remediation" in data:
            return check_text(str(data["remediation"]), "remediation")
        return check_text(str(data["check_title"]), "title")
    msgid = data.get("msg", "")
    params = {k: v if isinstance(v, (int, float)) else render(v) for k, v in (data.get("params") or {}).items()}
    text = gettext(msgid) if msgid else ""
    if not params:
        return text
    try:
        return text % params
    except (KeyError, ValueError, TypeError):  # a broken translation must not hide the event
        log.warning("translation of %r does not fit its parameters", msgid)
        return msgid % params
