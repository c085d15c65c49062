"""Web forms for integrations and vendors (with contacts).

Querysets of choice fields are set in ``__init__``: the tenant-scoped managers only run
inside a request, never at import time.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from vendorvet.web.inventory.choices import DataCategory, DataSubject, country_choices
from vendorvet.web.inventory.models import Contact, Endpoint, Integration, Vendor, validate_public_url

MAX_ENDPOINTS = 50
MAX_TAGS = 30


def https_urls(db_field, **kwargs):
    """Model form fields, with URLs missing a scheme read as https:// (not http://)."""
    if isinstance(db_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return db_field.formfield(**kwargs)


class IntegrationForm(forms.ModelForm):
    data_categories = forms.MultipleChoiceField(
        label=_("Data categories"), choices=DataCategory.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    data_subjects = forms.MultipleChoiceField(
        label=_("Data subjects"), choices=DataSubject.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    processing_countries = forms.MultipleChoiceField(
        label=_("Countries of processing"), required=False,
        help_text=_("Hold Ctrl (Cmd on a Mac) to select several countries."),
    )
    tags = forms.CharField(
        label=_("Tags"), required=False, max_length=1000,
        help_text=_("Separate tags with commas, e.g. crm, sales, eu-hosted."),
    )
    new_vendor = forms.CharField(
        label=_("New vendor"), required=False, max_length=200,
        help_text=_("Vendor not in the list? Enter its name here; it is created together with the integration."),
    )
    endpoints = forms.CharField(
        label=_("Endpoints"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Base URLs of the app or API, one per line (https://…). Automated checks scan these."),
    )

    class Meta:
        model = Integration
        fields = [
            "name", "vendor", "kind", "status", "department", "business_owner", "purpose",
            "data_categories", "data_subjects", "approx_users", "approx_records", "processing_countries",
            "access_scope", "outage_impact", "discovery_source", "tags", "notes",
        ]
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 4}),
            "department": forms.TextInput(attrs={"list": "department-options", "autocomplete": "off"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["vendor"].queryset = Vendor.objects.only("id", "name").order_by("name")
        self.fields["vendor"].required = False  # or a new vendor by name (clean)
        chosen = set(self.instance.processing_countries or []) if self.instance.pk else set()
        # the countries already chosen first, so they are visible without scrolling the list
        self.fields["processing_countries"].choices = sorted(country_choices(), key=lambda c: c[0] not in chosen)
        self.fields["processing_countries"].widget.attrs.update(COUNTRY_FILTER, size=10)
        if self.instance.pk:
            self.initial["tags"] = ", ".join(self.instance.tags or [])
            self.initial["endpoints"] = "\n".join(self.instance.endpoints.values_list("url", flat=True))

    def clean_tags(self) -> list[str]:
        raw = self.cleaned_data.get("tags") or ""
        tags = sorted({t.strip() for t in raw.split(",") if t.strip()})
        too_long = [t for t in tags if len(t) > 50]
        if too_long:
            raise ValidationError(_("Tags can be at most 50 characters long: %(tags)s"),
                                  params={"tags": ", ".join(too_long)})
        if len(tags) > MAX_TAGS:
            raise ValidationError(_("At most %(max)d tags."), params={"max": MAX_TAGS})
        return tags

    def clean_endpoints(self) -> list[str]:
        raw = self.cleaned_data.get("endpoints") or ""
        urls = list(dict.fromkeys(line.strip() for line in raw.splitlines() if line.strip()))
        if len(urls) > MAX_ENDPOINTS:
            raise ValidationError(_("At most %(max)d endpoints."), params={"max": MAX_ENDPOINTS})
        field = Endpoint._meta.get_field("url")
        errors = []
        for url in urls:
            try:
                field.clean(url, None)
                validate_public_url(url)
            except ValidationError as exc:
                errors.append(_("%(url)s: %(error)s") % {"url": url[:100], "error": " ".join(exc.messages)})
        if errors:
            raise ValidationError(errors)
        return urls

    def clean(self):
        cleaned = super().clean()
        new_vendor = " ".join((cleaned.get("new_vendor") or "").split())
        cleaned["new_vendor"] = new_vendor
        if cleaned.get("vendor") is None and "vendor" not in self.errors:
            if not new_vendor:
                self.add_error("vendor", _("Choose a vendor or enter the name of a new one."))
            else:
                # a vendor of that name already on file is used rather than duplicated
                cleaned["vendor"] = Vendor.objects.filter(name__iexact=new_vendor).first()
        elif new_vendor:
            self.add_error("new_vendor", _("Choose a vendor from the list or enter a new one, not both."))
        vendor, name = cleaned.get("vendor"), cleaned.get("name")
        if vendor is not None and name:
            clash = Integration.objects.filter(vendor=vendor, name=name).exclude(pk=self.instance.pk)
            if clash.exists():
                self.add_error("name", _("This vendor already has an integration with this name."))
        return cleaned


# app.js puts a labelled search box before such a select that narrows its options (names in the page's
# language, or the ISO code); without JavaScript the plain select stays.
COUNTRY_FILTER = {"data-filter": "", "data-filter-label": _("Search countries")}


class VendorForm(forms.ModelForm):
    country = forms.ChoiceField(label=_("Country of establishment"), required=False)

    class Meta:
        model = Vendor
        formfield_callback = https_urls
        fields = ["name", "country", "website", "trust_center_url", "status_page_url", "dpa_url",
                  "subprocessors_url", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", "—"), *country_choices()]
        self.fields["country"].widget.attrs.update(COUNTRY_FILTER)
        for name in ("website", "trust_center_url", "status_page_url", "dpa_url", "subprocessors_url"):
            self.fields[name].widget.attrs["placeholder"] = "https://"

    def clean_name(self) -> str:
        name = (self.cleaned_data.get("name") or "").strip()
        if name and Vendor.objects.filter(name__iexact=name).exclude(pk=self.instance.pk).exists():
            raise ValidationError(_("A vendor with this name already exists."))
        return name


class ContactForm(forms.ModelForm):
    class Meta:
        model = Contact
        fields = ["name", "role", "email", "phone"]


ContactFormSet = forms.inlineformset_factory(
    Vendor, Contact, form=ContactForm, extra=1, can_delete=True, max_num=50, validate_max=True,
)
