"""Forms: alert rules (with the SSRF check of webhook URLs) and the monitoring settings."""

from __future__ import annotations

from urllib.parse import urlsplit

from django import forms
from django.utils.translation import gettext_lazy as _

from vendorvet.web.monitoring.models import AlertRule, Channel, EventKind, MonitoringSettings


class AlertRuleForm(forms.ModelForm):
    kinds = forms.MultipleChoiceField(label=_("Event kinds"), choices=EventKind.choices, required=False,
                                      widget=forms.CheckboxSelectMultiple,
                                      help_text=_("None selected: every kind of event."))
    url = forms.URLField(label=_("webhook URL"), max_length=500, required=False, assume_scheme="https")

    class Meta:
        model = AlertRule
        fields = ["name", "enabled", "channel", "min_severity", "kinds", "recipients", "digest", "url", "secret",
                  "language"]
        widgets = {"recipients": forms.Textarea(attrs={"rows": 3}), "secret": forms.TextInput()}

    def __init__(self, *args, allow_private: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.allow_private = allow_private

    def clean(self):
        data = super().clean()
        channel, url = data.get("channel"), (data.get("url") or "").strip()
        if channel and channel != Channel.EMAIL:
            if not url:
                self.add_error("url", _("A webhook channel needs its URL."))
            elif urlsplit(url).scheme != "https" and not self.allow_private:
                self.add_error("url", _("Use an https:// URL."))
            else:
                reason = webhook_refusal(url, self.allow_private)
                if reason:
                    self.add_error("url", reason)
            if channel == Channel.WEBHOOK and not (data.get("secret") or "").strip():
                self.add_error("secret", _("A generic webhook needs a signing secret (the receiver checks the "
                                           "signature)."))
            data["digest"] = False
        if channel == Channel.EMAIL:
            for line in (data.get("recipients") or "").replace(",", "\n").splitlines():
                if line.strip():
                    try:
                        forms.EmailField().clean(line.strip())
                    except forms.ValidationError:
                        self.add_error("recipients", _("%(value)s is not an e-mail address.") % {"value": line.strip()})
        return data


def webhook_refusal(url: str, allow_private: bool) -> str | None:
    """Why the SSRF guard refuses this webhook URL (checked again on every delivery), or None."""
    from vendorvet.engine.net import Resolver

    parts = urlsplit(url)
    if not parts.hostname:
        return str(_("Enter a complete URL."))
    try:
        Resolver(allow_private=allow_private, timeout=5).vetted(parts.hostname, parts.port or 443)
    except OSError as exc:
        return str(_("This URL cannot be used: %(reason)s") % {"reason": exc})
    return None


class MonitoringSettingsForm(forms.ModelForm):
    class Meta:
        model = MonitoringSettings
        fields = ["enabled", "cadence_tier1", "cadence_tier2", "cadence_tier3", "cadence_tier4"]

    def clean(self):
        data = super().clean()
        for n in range(1, 5):
            value = data.get(f"cadence_tier{n}")
            if value is not None and not 1 <= value <= 365:
                self.add_error(f"cadence_tier{n}", _("Between 1 and 365 days."))
        return data


class SnoozeForm(forms.Form):
    days = forms.IntegerField(label=_("days"), min_value=1, max_value=365, initial=7)
