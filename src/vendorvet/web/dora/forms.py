"""Forms for the DORA fields. Code-list choices are built per request in the active language (labels from
content/dora/codelists.yaml); choice querysets come from the scoped managers (the active tenant only)."""

from __future__ import annotations

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from vendorvet.engine.dora import definitions
from vendorvet.web.dora.models import (
    DoraBranch,
    DoraContract,
    DoraFunction,
    DoraService,
    DoraSettings,
    DoraSubProcessor,
    DoraVendor,
)
from vendorvet.web.inventory.choices import country_choices
from vendorvet.web.inventory.models import Vendor
from vendorvet.web.legal.models import Contract, SubProcessor

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
YES_NO = [("", "—"), ("true", _("Yes")), ("false", _("No"))]


def code_choices(list_name: str) -> list[tuple[str, str]]:
    language = (get_language() or "en")[:2]
    return [("", "—"), *definitions.choices(list_name, language)]


class CodeListMixin:
    """``code_lists``: {field name: code list name} — those fields become selects over the list."""

    code_lists: dict[str, str] = {}
    country_fields: tuple[str, ...] = ()

    def _setup_choices(self) -> None:
        for name, list_name in self.code_lists.items():
            field = self.fields[name]
            self.fields[name] = forms.ChoiceField(label=field.label, help_text=field.help_text, required=False,
                                                  choices=code_choices(list_name))
        for name in self.country_fields:
            field = self.fields[name]
            self.fields[name] = forms.ChoiceField(label=field.label, help_text=field.help_text, required=False,
                                                  choices=[("", "—"), *country_choices()])


class SettingsForm(CodeListMixin, forms.ModelForm):
    code_lists = {"entity_type": "entity_type"}
    country_fields = ("country", "authority_country")

    class Meta:
        model = DoraSettings
        fields = ["financial_entity", "lei", "legal_name", "country", "entity_type", "competent_authority",
                  "authority_country", "currency", "total_assets", "consolidation"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_choices()


class BranchForm(CodeListMixin, forms.ModelForm):
    country_fields = ("country",)

    class Meta:
        model = DoraBranch
        fields = ["code", "name", "country"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_choices()
        self.fields["country"].required = True


class FunctionForm(CodeListMixin, forms.ModelForm):
    code_lists = {"licensed_activity": "licensed_activity", "criticality": "yes_no_not_assessed",
                  "impact": "impact"}

    class Meta:
        model = DoraFunction
        fields = ["identifier", "name", "licensed_activity", "criticality", "reasons", "last_assessment",
                  "rto_hours", "rpo_hours", "impact"]
        widgets = {"last_assessment": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_choices()


class ProviderForm(CodeListMixin, forms.ModelForm):
    code_lists = {"person_type": "person_type", "group_entity_type": "entity_type", "group_hierarchy": "hierarchy"}

    class Meta:
        model = DoraVendor
        fields = ["lei", "other_code", "other_code_kind", "person_type", "parent_lei", "latin_name", "intra_group",
                  "group_entity_type", "group_hierarchy"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_choices()


class SubProcessorForm(CodeListMixin, forms.ModelForm):
    code_lists = {"person_type": "person_type"}

    class Meta:
        model = DoraSubProcessor
        fields = ["in_supply_chain", "recipient", "lei", "other_code", "other_code_kind", "person_type"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_choices()
        sub = self.instance.sub_processor if self.instance.sub_processor_id else None
        self.fields["recipient"].queryset = SubProcessor.objects.filter(vendor_id=getattr(sub, "vendor_id", None)) \
            .exclude(pk=getattr(sub, "pk", None)).order_by("name", "pk")


class ContractForm(CodeListMixin, forms.ModelForm):
    code_lists = {"arrangement_type": "arrangement_type", "termination_reason": "termination_reason"}
    country_fields = ("governing_law_country",)

    class Meta:
        model = DoraContract
        fields = ["in_register", "arrangement_type", "overarching", "annual_cost", "currency",
                  "termination_reason", "notice_provider_days", "governing_law_country", "branches", "signed_by",
                  "linked_contracts"]
        widgets = {"branches": forms.CheckboxSelectMultiple, "linked_contracts": forms.CheckboxSelectMultiple}

    def __init__(self, *args, contract=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_choices()
        others = Contract.objects.exclude(pk=getattr(contract, "pk", None)).select_related("vendor") \
            .order_by("vendor__name", "title")
        self.fields["overarching"].queryset = others
        self.fields["linked_contracts"].queryset = others
        self.fields["branches"].queryset = DoraBranch.objects.order_by("code")
        self.fields["signed_by"].queryset = Vendor.objects.filter(dora__intra_group=True).order_by("name")


class ServiceForm(CodeListMixin, forms.ModelForm):
    code_lists = {"ict_service_type": "ict_service_type", "sensitiveness": "sensitiveness",
                  "reliance": "reliance", "substitutability": "substitutability",
                  "non_substitutability_reason": "non_substitutability_reason", "reintegration": "reintegration",
                  "impact": "impact", "alternatives_identified": "yes_no_not_assessed"}
    country_fields = ("provision_country",)
    data_stored = forms.TypedChoiceField(label=_("The provider stores data"), required=False, choices=YES_NO,
                                         coerce=lambda v: v == "true", empty_value=None)
    exit_plan = forms.TypedChoiceField(label=_("An exit plan exists"), required=False, choices=YES_NO,
                                       coerce=lambda v: v == "true", empty_value=None)
    storage_countries = forms.MultipleChoiceField(label=_("Location of the data at rest"), required=False,
                                                  widget=forms.SelectMultiple(attrs={"size": 6}),
                                                  help_text=_("Empty: the countries recorded in the legal profile."))
    processing_countries = forms.MultipleChoiceField(label=_("Location of data processing"), required=False,
                                                     widget=forms.SelectMultiple(attrs={"size": 6}),
                                                     help_text=_("Empty: the integration's countries of processing."))

    class Meta:
        model = DoraService
        fields = ["contract", "functions", "ict_service_type", "provision_country", "data_stored",
                  "storage_countries", "processing_countries", "sensitiveness", "reliance", "substitutability",
                  "non_substitutability_reason", "last_audit", "exit_plan", "reintegration", "impact",
                  "alternatives_identified", "alternatives"]
        widgets = {"last_audit": DATE, "functions": forms.CheckboxSelectMultiple}

    def __init__(self, *args, integration=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_choices()
        self.fields["contract"].queryset = Contract.objects.filter(vendor_id=getattr(integration, "vendor_id", None)) \
            .order_by("title")
        self.fields["functions"].queryset = DoraFunction.objects.order_by("identifier")
        countries = country_choices()
        self.fields["storage_countries"].choices = countries
        self.fields["processing_countries"].choices = countries
        if self.instance and self.instance.pk:
            self.initial["data_stored"] = _tri(self.instance.data_stored)
            self.initial["exit_plan"] = _tri(self.instance.exit_plan)


def _tri(value) -> str:
    return "" if value is None else ("true" if value else "false")
