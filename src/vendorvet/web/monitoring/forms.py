"""Forms: alert rules (with the SSRF check of webhook URLs) and the monitoring settings."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from vendorvet.web.core.events import kind_choices
from vendorvet.web.monitoring import channels
from vendorvet.web.monitoring.channels.webhook import webhook_refusal  # noqa: F401  (re-exported)
from vendorvet.web.monitoring.models import AlertRule, MonitoringSettings


SECRET_FIELDS = ("url", "secret")


class AlertRuleForm(forms.ModelForm):
    # choices from the registries, read when the form is built: a new kind or channel needs no change here
    channel = forms.ChoiceField(label=_("channel"), choices=())
    kinds = forms.MultipleChoiceField(label=_("Event kinds"), choices=(), required=False,
                                      widget=forms.CheckboxSelectMultiple,
                                      help_text=_("None selected: every kind of event."))
    url = forms.URLField(label=_("webhook URL"), max_length=500, required=False, assume_scheme="https")

    class Meta:
        model = AlertRule
        fields = ["name", "enabled", "channel", "min_severity", "kinds", "recipients", "digest", "url", "secret",
                  "language"]
        widgets = {"recipients": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, allow_private: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.allow_private = allow_private
        self.fields["channel"].choices = channels.choices()
        self.fields["kinds"].choices = kind_choices()
        # secrets (the signing secret; a webhook/Slack/Teams URL is one too) are never shown after saving: the
        # form says "set" and an empty field keeps the stored value, a new value replaces it
        self.secrets_set = {name: bool(self.instance.pk and getattr(self.instance, name)) for name in SECRET_FIELDS}
        self.fields["secret"].widget = forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"})
        for name, is_set in self.secrets_set.items():
            self.initial[name] = ""
            if is_set:
                self.fields[name].help_text = _("Set (not shown). Enter a new value to replace it; leave the field "
                                                "empty to keep it.")

    def clean(self):
        data = super().clean()
        for name, is_set in self.secrets_set.items():
            if is_set and not (data.get(name) or "").strip():
                data[name] = getattr(self.instance, name)  # kept, not shown
        channel = channels.get(data.get("channel") or "")
        if channel is not None:
            if channel.uses_url:
                data["url"] = (data.get("url") or "").strip()
            for field, errors in channel.clean(data, self.allow_private).items():
                for error in errors:
                    self.add_error(field, error)
            if not channel.supports_digest:
                data["digest"] = False
        return data


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
