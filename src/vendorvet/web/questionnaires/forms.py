from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vendorvet.web.questionnaires.models import LANGUAGES


class SendForm(forms.Form):
    due_date = forms.DateField(label=_("Due date"), widget=forms.DateInput(attrs={"type": "date"}))
    points = forms.MultipleChoiceField(label=_("Points to ask"), widget=forms.CheckboxSelectMultiple, required=False)
    contacts = forms.MultipleChoiceField(label=_("Vendor contacts"), widget=forms.CheckboxSelectMultiple,
                                         required=False)
    language = forms.ChoiceField(label=_("Language of the e-mail and the questionnaire"), choices=LANGUAGES)
    extra_name = forms.CharField(label=_("Another person: name"), max_length=200, required=False)
    extra_email = forms.EmailField(label=_("Another person: e-mail"), required=False)
    require_code = forms.BooleanField(label=_("Also require a one-time code sent to the e-mail address"),
                                      required=False)

    def __init__(self, *args, points=(), contacts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["points"].choices = list(points)
        self.fields["contacts"].choices = list(contacts)

    def clean_due_date(self):
        value = self.cleaned_data["due_date"]
        if value < timezone.localdate():
            raise forms.ValidationError(_("The due date lies in the past."))
        return value

    def clean(self):
        data = super().clean()
        if bool(data.get("extra_name")) != bool(data.get("extra_email")):
            raise forms.ValidationError(_("Give both the name and the e-mail address of the other person."))
        if not data.get("contacts") and not data.get("extra_email") and not self.errors:
            raise forms.ValidationError(_("Choose at least one contact with an e-mail address."))
        return data


class DecideForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", _("Accept")), ("reject", _("Reject")),
                                          ("follow_up", _("Ask a follow-up"))])
    note = forms.CharField(label=_("Follow-up question"), required=False, max_length=2000, widget=forms.Textarea(
        attrs={"rows": 2}))


class ClarifyForm(forms.Form):
    due_date = forms.DateField(label=_("New due date"), required=False,
                               widget=forms.DateInput(attrs={"type": "date"}))


class ForwardForm(forms.Form):
    name = forms.CharField(label=_("Your colleague's name"), max_length=200)
    email = forms.EmailField(label=_("Your colleague's e-mail address"))
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGES)


class CodeForm(forms.Form):
    code = forms.CharField(label=_("Code from the e-mail"), max_length=12)


class SheetUploadForm(forms.Form):
    """One XLSX upload (a completed CSA CAIQ v4 or our own questionnaire filled in); the size cap is checked when
    the file is read (standard.read_upload), the content by the engine reader."""

    sheet = forms.FileField(label=_("Spreadsheet (XLSX)"), widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}))

    def __init__(self, *args, label=None, **kwargs):
        super().__init__(*args, **kwargs)
        if label:
            self.fields["sheet"].label = label


def caiq_form(data=None, files=None):
    return SheetUploadForm(data, files, label=_("Completed CSA CAIQ v4 (XLSX)"), prefix="caiq")


def xlsx_form(data=None, files=None):
    return SheetUploadForm(data, files, label=_("Filled-in questionnaire spreadsheet (XLSX)"), prefix="xlsx")
