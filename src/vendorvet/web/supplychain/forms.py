from django import forms
from django.utils.translation import gettext_lazy as _

from vendorvet.engine.supplychain.sbom import MAX_BYTES


class SbomUploadForm(forms.Form):
    label = forms.CharField(label=_("Product version"), max_length=100,
                            help_text=_("The version of the vendor's product this SBOM describes, e.g. 2.4.1."))
    file = forms.FileField(label=_("SBOM file"),
                           help_text=_("CycloneDX 1.4–1.6 (JSON or XML) or SPDX 2.2/2.3 (JSON or tag-value), "
                                       "at most 100 MB."))

    def clean_file(self):
        f = self.cleaned_data["file"]
        if f.size > MAX_BYTES:
            raise forms.ValidationError(_("The SBOM is larger than 100 MB."))
        return f
