from django.db import models
from django.utils.translation import gettext_lazy as _

from vendorvet.web.core.models import TenantOwnedModel


class Snapshot(TenantOwnedModel):
    """The dashboard's figures at the start of one week (Monday), kept for the trend charts."""

    week = models.DateField(_("week"))
    figures = models.JSONField(_("figures"), default=dict)

    class Meta:
        ordering = ["week"]
        verbose_name = _("dashboard snapshot")
        verbose_name_plural = _("dashboard snapshots")
        constraints = [models.UniqueConstraint(fields=["tenant", "week"], name="dashboard_snapshot_per_week")]

    def __str__(self) -> str:
        return self.week.isoformat()
