"""Upload of discovery exports, and the scopes a person says the business needs."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from vendorvet.web.discovery import sources

MAX_FILES = 50


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        files = [single(d, initial) for d in data] if isinstance(data, (list, tuple)) else [single(data, initial)]
        if len(files) > MAX_FILES:
            raise forms.ValidationError(_("At most %(n)d files per import.") % {"n": MAX_FILES})
        return files


class UploadForm(forms.Form):
    source = forms.ChoiceField(label=_("What is in the files?"), choices=sources.choices)  # read at every use
    files = MultipleFileField(label=_("Files"), help_text=_(
        "Several files of the same source form one import (for example all pages of a Graph export)."))


class RequiredScopesForm(forms.Form):
    required_scopes = forms.CharField(
        label=_("Scopes the business needs"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line or separated by spaces. Granted scopes beyond these are shown as a "
                    "least-privilege gap. Leave empty to stop comparing."))

    def scopes(self) -> list[str] | None:
        text = self.cleaned_data.get("required_scopes", "").strip()
        if not text:
            return None
        return list(dict.fromkeys(s for s in re.split(r"[\s,;]+", text) if s))[:500]


class OpenApiUploadForm(forms.Form):
    file = forms.FileField(label=_("OpenAPI document"), help_text=_(
        "OpenAPI 2.0, 3.0 or 3.1 as JSON or YAML, at most 10 MB. Only local references are followed; "
        "nothing is fetched."))


class AcceptForm(forms.Form):
    """Accept a discovered app into the inventory: its name, its vendor and the data it processes."""

    name = forms.CharField(label=_("Name of the integration"), max_length=200)
    vendor = forms.CharField(label=_("Vendor"), max_length=200)
    data_categories = forms.MultipleChoiceField(
        label=_("Data categories"), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("Suggested from the granted scopes; confirm or change them."))

    def __init__(self, *args, **kwargs):
        from vendorvet.web.inventory.choices import DataCategory

        super().__init__(*args, **kwargs)
        self.fields["data_categories"].choices = DataCategory.choices


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Why is it rejected?"), max_length=500,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("Kept in the history, e.g. \"blocked in Entra on 3 March\" or "
                                         "\"Microsoft first-party service\"."))
