"""A page a vendor publishes that we watch, with what the last check saw."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from vendorvet.web.core.models import TenantOwnedModel
from vendorvet.web.inventory.models import Vendor


class WatchedPage(TenantOwnedModel):
    class Kind(models.TextChoices):
        SUBPROCESSORS = "subprocessors", _("Sub-processor list")
        DPA = "dpa", _("Data processing agreement (AVV/DPA)")
        SECURITY = "security", _("Security or trust page")
        STATUS = "status", _("Status page")

    class State(models.TextChoices):
        NEW = "new", _("Not checked yet")
        CHECKED = "checked", _("Checked")
        COULD_NOT_CHECK = "could_not_check", _("Could not check")

    change_log_parent = "vendor"

    vendor = models.ForeignKey(Vendor, on_delete=models.CASCADE, related_name="watched_pages",
                               verbose_name=_("vendor"))
    url = models.URLField(_("address"), max_length=1000)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.NEW)
    reason = models.CharField(_("why it could not be checked"), max_length=500, blank=True)
    last_checked = models.DateTimeField(_("last checked"), null=True, blank=True)
    last_attempt = models.DateTimeField(_("last attempt"), null=True, blank=True)
    last_changed = models.DateTimeField(_("last changed"), null=True, blank=True)
    next_due = models.DateTimeField(_("next check due"), null=True, blank=True, db_index=True)
    etag = models.CharField(max_length=300, blank=True)
    http_last_modified = models.CharField(max_length=100, blank=True)
    fingerprint = models.CharField(max_length=64, blank=True)
    text = models.TextField(blank=True)  # canonical lines of the last successful read
    rows = models.JSONField(default=list, blank=True)  # sub-processor rows of the last successful read
    latest_diff = models.TextField(_("latest change"), blank=True)
    latest_diff_at = models.DateTimeField(_("latest change seen on"), null=True, blank=True)
    # what a check observed is not an edit: the history logs the address and kind, the events log the changes
    for _field in (state, reason, last_checked, last_attempt, last_changed, next_due, etag, http_last_modified,
                   fingerprint, text, rows, latest_diff, latest_diff_at):
        _field.change_log_exclude = True
    del _field

    class Meta:
        ordering = ("vendor__name", "kind", "url")
        constraints = [models.UniqueConstraint(fields=("vendor", "url"), name="watch_page_unique_url")]
        verbose_name = _("watched page")
        verbose_name_plural = _("watched pages")

    def __str__(self) -> str:
        return f"{self.vendor} · {self.get_kind_display()} · {self.url}"

    @staticmethod
    def history_repr(data: dict) -> str:
        """The change history's name of a watched page in the reader's language (the stored name keeps the kind
        in the language of whoever added it)."""
        vendor = Vendor.objects.filter(pk=data.get("vendor")).values_list("name", flat=True).first()
        kind = dict(WatchedPage.Kind.choices).get(data.get("kind"), data.get("kind"))
        return " · ".join(str(part) for part in (vendor, kind, data.get("url")) if part)
