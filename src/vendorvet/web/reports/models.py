"""Per-tenant report settings: the logo printed on every document, and the management report's schedule."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models
from django.utils.translation import gettext_lazy as _

from vendorvet.web.core.models import TenantOwnedModel


class Schedule(models.TextChoices):
    OFF = "off", _("Not sent")
    WEEKLY = "weekly", _("Weekly (Mondays)")
    MONTHLY = "monthly", _("Monthly (on the first)")


class ReportSettings(TenantOwnedModel):
    """One row per tenant (created on first save). The logo is stored as validated, re-encoded PNG bytes in the
    database: it never needs a file URL, goes with the tenant's backup and cannot reach another tenant."""

    logo = models.BinaryField(_("logo"), blank=True, default=b"", editable=False)
    logo_name = models.CharField(_("logo file name"), max_length=150, blank=True, editable=False)
    schedule = models.CharField(_("management report by e-mail"), max_length=10, choices=Schedule.choices,
                                default=Schedule.OFF)
    recipients = models.TextField(_("recipients"), blank=True,
                                  help_text=_("One e-mail address per line. Empty: the tenant's administrators."))
    language = models.CharField(_("language of the report"), max_length=2, choices=[("de", _("German")),
                                                                                   ("en", _("English"))],
                                default="de")
    last_sent = models.DateField(_("last sent"), null=True, blank=True, editable=False)
    last_error = models.CharField(_("last delivery problem"), max_length=500, blank=True, editable=False)

    logo.change_log_exclude = True  # the bytes; the file name is logged
    last_sent.change_log_exclude = True  # delivery bookkeeping (claimed by a compare-and-swap update)
    last_error.change_log_exclude = True

    class Meta:
        verbose_name = _("report settings")
        verbose_name_plural = _("report settings")
        constraints = [models.UniqueConstraint(fields=["tenant"], name="one_report_settings_per_tenant")]

    def __str__(self) -> str:
        return str(_("Report settings"))

    def recipient_list(self) -> list[str]:
        return [line.strip() for line in (self.recipients or "").replace(",", "\n").splitlines() if line.strip()]

    def clean(self) -> None:
        bad = []
        for address in self.recipient_list():
            try:
                validate_email(address)
            except ValidationError:
                bad.append(address)
        if bad:
            raise ValidationError({"recipients": _("Not an e-mail address: %(list)s") % {"list": ", ".join(bad)}})
