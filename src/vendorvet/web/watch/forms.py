from django import forms
from django.utils.translation import gettext_lazy as _

from vendorvet.web.watch.models import WatchedPage


class WatchForm(forms.Form):
    url = forms.URLField(label=_("Address of the page"), max_length=1000, assume_scheme="https",
                         widget=forms.URLInput(attrs={"placeholder": "https://"}))
    kind = forms.ChoiceField(label=_("Kind"), choices=WatchedPage.Kind.choices)
