"""Documents read into the certification register: the reading is a suggestion until a reviewer confirms it.

The file is stored like evidence (random name, no URL); ``reading`` keeps what the engine reader returned (each
field with value, page and text); ``confirmed`` keeps what the reviewer took over (corrected values marked), with
the ticked subservice organisations and complementary user-entity controls.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy as _

from vendorvet.web.assessments.storage import evidence_storage
from vendorvet.web.core.models import TenantOwnedModel


class DocumentState(models.TextChoices):
    SUGGESTED = "suggested", _("Suggestions waiting for confirmation")
    CONFIRMED = "confirmed", _("Confirmed")


class CertificationDocument(TenantOwnedModel):
    vendor = models.ForeignKey("inventory.Vendor", on_delete=models.PROTECT, related_name="certification_documents",
                               verbose_name=_("vendor"))
    certification = models.ForeignKey("assessments.Certification", null=True, blank=True,
                                      on_delete=models.SET_NULL, related_name="documents",
                                      verbose_name=_("certification"))
    file = models.FileField(storage=evidence_storage, max_length=200, editable=False)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    kind = models.CharField(_("document kind"), max_length=40)
    reading = models.JSONField(_("reading"), default=dict, editable=False)
    state = models.CharField(_("state"), max_length=20, choices=DocumentState.choices,
                             default=DocumentState.SUGGESTED)
    confirmed = models.JSONField(_("confirmed fields"), default=dict, blank=True, editable=False)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", editable=False)
    confirmed_by_label = models.CharField(_("confirmed by"), max_length=150, blank=True, editable=False)
    confirmed_on = models.DateField(_("confirmed on"), null=True, blank=True, editable=False)

    # the history names the document and its state; what was read (JSON with page and text), the digest and the
    # reader's kind id are shown on the document's page, not as raw values in the change history
    for _field in (file, reading, confirmed, kind, sha256):
        _field.change_log_exclude = True
    del _field
    change_log_parent = "vendor"

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("certification document")
        verbose_name_plural = _("certification documents")

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("assessments:certificate_document", args=[self.pk])

    def provenance(self, field: str | None = None) -> str:
        """“from document <name>, page N, confirmed by <user> on <date>” (empty until confirmed)."""
        if self.state != DocumentState.CONFIRMED:
            return ""
        page = (self.confirmed.get("fields", {}).get(field) or {}).get("page") if field else None
        if page:
            text = gettext("from document %(name)s, page %(page)s, confirmed by %(user)s on %(date)s")
        else:
            text = gettext("from document %(name)s, confirmed by %(user)s on %(date)s")
        return text % {"name": self.original_name, "page": page, "user": self.confirmed_by_label,
                       "date": self.confirmed_on.isoformat() if self.confirmed_on else ""}
