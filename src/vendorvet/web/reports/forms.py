from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from vendorvet.web.reports import logo
from vendorvet.web.reports.models import ReportSettings


class ReportSettingsForm(forms.ModelForm):
    upload = forms.FileField(label=_("Logo (PNG or JPEG, at most 1 MB)"), required=False,
                             widget=forms.ClearableFileInput(attrs={"accept": logo.RULES.accept_attribute()}))
    remove_logo = forms.BooleanField(label=_("Remove the logo"), required=False)

    class Meta:
        model = ReportSettings
        fields = ["schedule", "recipients", "language"]
        widgets = {"recipients": forms.Textarea(attrs={"rows": 3})}

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if not upload:
            return None
        try:
            return logo.clean_logo(upload)
        except ValidationError as exc:
            raise forms.ValidationError(exc.messages) from exc
