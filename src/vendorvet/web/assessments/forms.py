"""Forms of the assessment pages. Querysets are set in ``__init__`` (the scoped manager needs a tenant)."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from vendorvet.web.accounts.models import Membership
from vendorvet.web.assessments import evidence as evidence_rules
from vendorvet.web.assessments.models import (
    AnswerValue,
    AssessmentStatus,
    Certification,
)
from vendorvet.web.inventory.choices import Tier
from vendorvet.web.inventory.models import Integration


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def member_users():
    """Users with a membership in the active tenant (the scoped manager decides the tenant)."""
    ids = Membership.objects.values_list("user_id", flat=True)
    return get_user_model().objects.filter(pk__in=ids, is_active=True).order_by("username")


class ChooseIntegrationForm(forms.Form):
    integration = forms.ModelChoiceField(label=_("Integration"), queryset=Integration.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["integration"].queryset = Integration.objects.select_related("vendor").order_by("name")


class StartForm(forms.Form):
    assignee = forms.ModelChoiceField(label=_("Assignee"), queryset=get_user_model().objects.none(), required=False)
    due_date = forms.DateField(label=_("Due date"), required=False, widget=DateInput())
    optional = forms.MultipleChoiceField(label=_("Optional requirements"), required=False,
                                         widget=forms.CheckboxSelectMultiple,
                                         help_text=_("Not mandatory at this tier; added ones are answered but "
                                                     "cost no points."))

    def __init__(self, *args, optional_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = member_users()
        self.fields["optional"].choices = list(optional_choices)


class AssessmentForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"),
                               choices=[c for c in AssessmentStatus.choices if c[0] != AssessmentStatus.DECIDED])
    assignee = forms.ModelChoiceField(label=_("Assignee"), queryset=get_user_model().objects.none(), required=False)
    due_date = forms.DateField(label=_("Due date"), required=False, widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = member_users()


class TierOverrideForm(forms.Form):
    tier_override = forms.TypedChoiceField(label=_("Hold to tier"), coerce=int, empty_value=None, required=False,
                                           choices=[("", _("— computed tier —")), *Tier.choices])
    justification = forms.CharField(label=_("Justification"), required=False,
                                    widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        data = super().clean()
        if data.get("tier_override") and not (data.get("justification") or "").strip():
            self.add_error("justification", _("A tier override needs a justification."))
        return data


class AnswerForm(forms.Form):
    value = forms.ChoiceField(label=_("Answer"), choices=AnswerValue.choices, widget=forms.RadioSelect)
    comment = forms.CharField(label=_("Comment"), required=False, max_length=5000,
                              widget=forms.Textarea(attrs={"rows": 2}))


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("Evidence file"),
                           help_text=_("PDF, PNG, JPEG, text, CSV or Office documents."))
    description = forms.CharField(label=_("Description"), required=False, max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = evidence_rules.rules().accept_attribute()


class ScoreOverrideForm(forms.Form):
    key = forms.CharField(widget=forms.HiddenInput, max_length=200)
    points = forms.DecimalField(label=_("Points lost instead"), min_value=0, max_digits=6, decimal_places=2)
    justification = forms.CharField(label=_("Justification"), max_length=2000,
                                    widget=forms.Textarea(attrs={"rows": 2}))


class CertificationForm(forms.ModelForm):
    class Meta:
        model = Certification
        fields = ["kind", "standard", "certificate_number", "holder", "issuer", "scope", "valid_from", "valid_until", "period_end", "bridge_letter_until",
                  "test_date", "notes"]
        widgets = {
            "valid_from": DateInput(), "valid_until": DateInput(), "period_end": DateInput(), "bridge_letter_until": DateInput(),
            "test_date": DateInput(), "scope": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }
