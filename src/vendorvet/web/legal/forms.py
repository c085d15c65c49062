"""Web forms of the legal app. Choice querysets are set in ``__init__`` (scoped managers)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from vendorvet.web.core import uploads
from vendorvet.web.inventory.choices import country_choices
from vendorvet.web.legal.models import (
    ALLOWED_CONTRACT_EXTENSIONS,
    MAX_CONTRACT_FILE_BYTES,
    Contract,
    DpaItem,
    IntegrationLegal,
    RopaSettings,
    SubProcessor,
    TransferImpactAssessment,
    VendorLegal,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _country_field(label, help_text=""):
    return forms.MultipleChoiceField(label=label, required=False, help_text=help_text,
                                     widget=forms.SelectMultiple(attrs={"size": 8}))


class IntegrationLegalForm(forms.ModelForm):
    declared_countries = _country_field(_("Countries declared by the vendor"),
                                        _("Where the vendor says it stores and processes the data."))
    recorded_countries = _country_field(_("Countries recorded by us"),
                                        _("What we established ourselves (contract, audit, test)."))

    class Meta:
        model = IntegrationLegal
        fields = ["our_role", "vendor_role", "controller_name", "declared_countries", "recorded_countries",
                  "lawful_basis", "special_basis", "legal_basis", "erasure_period", "security_measures"]
        widgets = {"security_measures": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = country_choices()
        self.fields["declared_countries"].choices = choices
        self.fields["recorded_countries"].choices = choices


class VendorLegalForm(forms.ModelForm):
    parent_country = forms.ChoiceField(label=_("Country of the parent company"), required=False)

    class Meta:
        model = VendorLegal
        fields = ["parent_company", "parent_country", "dpf_status", "dpf_checked", "canada_pipeda"]
        widgets = {"dpf_checked": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent_country"].choices = [("", "—"), *country_choices()]


class SubProcessorForm(forms.ModelForm):
    country = forms.ChoiceField(label=_("Country"))

    class Meta:
        model = SubProcessor
        fields = ["name", "country", "purpose", "dpf_status"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", "—"), *country_choices()]


class DpaItemForm(forms.Form):
    key = forms.CharField(widget=forms.HiddenInput)
    state = forms.ChoiceField(label=_("State"), choices=DpaItem.State.choices)
    clause = forms.CharField(label=_("Clause reference"), required=False, max_length=200)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class ContractForm(forms.ModelForm):
    upload = forms.FileField(label=_("File"), required=False,
                             help_text=_("PDF, DOCX, ODT, DOC, TXT, PNG or JPG, at most 20 MB."))

    class Meta:
        model = Contract
        fields = ["type", "title", "reference", "signed", "start", "end", "notice_period_days", "auto_renewal",
                  "renewal_months", "audit_rights", "remediation_duty", "termination_exit", "liability_cap",
                  "sla_uptime", "rto_hours", "rpo_hours", "notes"]
        widgets = {"signed": DATE, "start": DATE, "end": DATE,
                   "termination_exit": forms.Textarea(attrs={"rows": 2}), "notes": forms.Textarea(attrs={"rows": 2})}

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if not upload:
            return None
        return validate_upload(upload)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["upload"].widget.attrs["accept"] = CONTRACT_UPLOADS.accept_attribute()


CONTRACT_UPLOADS = uploads.UploadRules(ALLOWED_CONTRACT_EXTENSIONS, MAX_CONTRACT_FILE_BYTES, default_name="contract")


def validate_upload(upload):
    """Contract files: the shared upload rules (extension, size, and the content matching its type)."""
    upload.display_name, _content_type = uploads.validate_upload(upload, CONTRACT_UPLOADS)
    return upload


class TIAForm(forms.ModelForm):
    class Meta:
        model = TransferImpactAssessment
        fields = ["title", "state", "step1_transfers", "step2_tool", "step3_assessment", "step4_measures",
                  "step5_procedural", "step6_reevaluation", "conclusion"]
        widgets = {f: forms.Textarea(attrs={"rows": 4}) for f in (
            "step1_transfers", "step2_tool", "step3_assessment", "step4_measures", "step5_procedural",
            "conclusion")}
        widgets["step6_reevaluation"] = DATE


class RopaSettingsForm(forms.ModelForm):
    class Meta:
        model = RopaSettings
        fields = ["controller", "representative", "dpo"]
        widgets = {f: forms.Textarea(attrs={"rows": 2}) for f in ("controller", "representative", "dpo")}
