"""A finished run keeps its worst grade and its soonest TLS certificate day, so the dashboard reads one row per
integration instead of every run's endpoints and certificate findings. Each integration's latest finished run
is summarised here (by the same rules as ``scans.dashboard.latest_runs``); an older run stays NULL and is
derived from its rows if it is ever read."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

CERT_CHECKS = ("tls.cert.expired", "tls.cert.expiring")
CHUNK = 2000


def summarise_latest_runs(apps, schema_editor):
    """Each integration's latest finished run (the only one the dashboard reads); older runs stay NULL."""
    ScanRun = apps.get_model("scans", "ScanRun")
    ScanTarget = apps.get_model("scans", "ScanTarget")
    Finding = apps.get_model("scans", "Finding")
    latest: dict[int, int] = {}
    for pk, integration_id in (ScanRun._base_manager.filter(status="done").order_by("integration_id", "-created", "-pk")
                               .values_list("pk", "integration_id").iterator(chunk_size=CHUNK)):
        latest.setdefault(integration_id, pk)
    ids = sorted(latest.values())
    worst = (ScanTarget._base_manager.filter(run_id=OuterRef("pk")).exclude(grade="").order_by("-grade")
             .values("grade")[:1])
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        ScanRun._base_manager.filter(pk__in=chunk).update(
            worst_grade=Coalesce(Subquery(worst), Value("-"), output_field=models.CharField()), cert_day="")
        days: dict[int, str] = {}
        for run_id, evidence in (Finding._base_manager.filter(run_id__in=chunk, check_id__in=CERT_CHECKS)
                                 .values_list("run_id", "evidence")):
            value = evidence.get("not_after") if isinstance(evidence, dict) else None
            day = value[:10] if isinstance(value, str) else ""
            if day >= "0" and (run_id not in days or day < days[run_id]):
                days[run_id] = day
        by_day: dict[str, list[int]] = {}
        for run_id, day in days.items():
            by_day.setdefault(day, []).append(run_id)
        for day, runs in by_day.items():
            ScanRun._base_manager.filter(pk__in=runs).update(cert_day=day)


class Migration(migrations.Migration):

    dependencies = [
        ("scans", "0003_operator_outbound_policy"),
    ]

    operations = [
        migrations.AddField(
            model_name="scanrun",
            name="worst_grade",
            field=models.CharField(blank=True, editable=False, max_length=1, null=True, verbose_name="worst grade"),
        ),
        migrations.AddField(
            model_name="scanrun",
            name="cert_day",
            field=models.CharField(blank=True, editable=False, max_length=10, null=True,
                                   verbose_name="TLS certificate ends"),
        ),
        migrations.RunPython(summarise_latest_runs, migrations.RunPython.noop),
    ]
