from django import forms
from django.utils.translation import gettext_lazy as _

from vendorvet.engine.supplychain.sbom import MAX_BYTES


class SbomUploadForm(forms.Form):
    label = forms.CharField(label=_("Product version"), max_length=100,
                            help_text=_("The version of the vendor's product this SBOM describes, e.g. 2.4.1."))
    file = forms.FileField(label=_("SBOM file"),
                           help_text=_("CycloneDX 1.2–1.7 (JSON or XML), SPDX 2.2/2.3 (JSON or tag-value) or "
                                       "SPDX 3.0 (JSON-LD); UTF-8 or UTF-16; at most 100 MB."))

    def clean_file(self):
        f = self.cleaned_data["file"]
        if f.size > MAX_BYTES:
            raise forms.ValidationError(_("The SBOM is larger than 100 MB."))
        return f


class OsvImportForm(forms.Form):
    """An OSV dump: an uploaded file or a server path the operator allowed (one of them)."""

    file = forms.FileField(label=_("OSV dump"), required=False,
                           help_text=_("osv.dev's all.zip (all ecosystems) or one ecosystem's all.zip."))
    server_path = forms.CharField(label=_("Or a path on the server"), required=False, max_length=1000,
                                  help_text=_("Only paths the operator allowed for imports."))

    def clean(self):
        data = super().clean()
        if bool(data.get("file")) == bool((data.get("server_path") or "").strip()):
            raise forms.ValidationError(_("Choose a file or name a server path (one of them)."))
        return data
