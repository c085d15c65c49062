"""Forms of the decision side: the decision with its risk acceptance, conditions with owners, the policy."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from vendorvet.web.assessments.forms import DateInput, member_users
from vendorvet.web.assessments.models import Outcome
from vendorvet.web.assessments.models_policy import GRADE_CHOICES, MAX_ACCEPTANCE_DAYS


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Decision"), choices=Outcome.choices, widget=forms.RadioSelect)
    justification = forms.CharField(label=_("Justification"), widget=forms.Textarea(attrs={"rows": 4}))
    decided_on = forms.DateField(label=_("Decided on"), required=False, widget=DateInput())
    risk_acceptance = forms.BooleanField(
        label=_("Approve as an explicit risk acceptance"), required=False,
        help_text=_("Needed when the review falls short of the approval policy; it lands in the risk "
                    "acceptance register."))
    risk_owner_user = forms.ModelChoiceField(label=_("Risk owner (member)"), required=False,
                                             queryset=get_user_model().objects.none())
    risk_owner = forms.CharField(label=_("Risk owner (name)"), max_length=200, required=False,
                                 help_text=_("A member above, or the name of the person who owns the risk."))
    risk_justification = forms.CharField(label=_("Why the risk is accepted"), required=False,
                                         widget=forms.Textarea(attrs={"rows": 3}))
    compensating_controls = forms.CharField(label=_("Compensating controls"), required=False,
                                            widget=forms.Textarea(attrs={"rows": 3}))
    expires_on = forms.DateField(label=_("Risk acceptance expires on"), required=False, widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["risk_owner_user"].queryset = member_users()


class ConditionForm(forms.Form):
    text = forms.CharField(label=_("Condition"), max_length=500, required=False)
    owner_user = forms.ModelChoiceField(label=_("Owner (member)"), required=False,
                                        queryset=get_user_model().objects.none())
    owner = forms.CharField(label=_("Owner (name)"), max_length=200, required=False)
    due_date = forms.DateField(label=_("Due date"), required=False, widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_user"].queryset = member_users()

    def clean(self):
        data = super().clean()
        if (data.get("text") or "").strip():
            if not (data.get("owner") or "").strip() and not data.get("owner_user"):
                self.add_error("owner", _("Every condition needs an owner (a member or a named person)."))
            if not data.get("due_date"):
                self.add_error("due_date", _("Every condition needs a due date."))
        return data


ConditionFormSet = forms.formset_factory(ConditionForm, extra=3, max_num=20)


class ConditionDoneForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class SignOffForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class PolicyForm(forms.Form):
    """The policy's settings; the model's ``clean`` refuses contradictions (shown on the form)."""

    four_eyes_max_tier = forms.TypedChoiceField(
        label=_("Four eyes up to tier"), coerce=int,
        choices=[(0, _("never")), (1, _("tier 1")), (2, _("tiers 1 and 2")), (3, _("tiers 1 to 3")),
                 (4, _("all tiers"))],
        help_text=_("The person who approves must not be the one who answered most of the review."))
    min_grade = forms.ChoiceField(label=_("Lowest grade for a plain approval"), choices=GRADE_CHOICES,
                                  help_text=_("Below it, only a risk acceptance approves."))
    block_mandatory_unknown = forms.BooleanField(
        label=_("Mandatory requirements left unknown need a risk acceptance"), required=False)
    block_mandatory_failed = forms.BooleanField(
        label=_("Mandatory requirements not met need a risk acceptance"), required=False)
    allow_risk_acceptance = forms.BooleanField(label=_("Risk acceptances are allowed"), required=False)
    max_acceptance_days = forms.IntegerField(label=_("Longest term of a risk acceptance (days)"), min_value=1,
                                             max_value=MAX_ACCEPTANCE_DAYS)
    reminder_days = forms.IntegerField(label=_("Reminder before a risk acceptance expires (days)"), min_value=0,
                                       max_value=MAX_ACCEPTANCE_DAYS)
    dpo_signoff_required = forms.BooleanField(
        label=_("DPO sign-off required before approving tier 1 and 2 when personal data is processed"),
        required=False)
    reason = forms.CharField(label=_("Reason for the change"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("Kept with the new version in the change history."))
