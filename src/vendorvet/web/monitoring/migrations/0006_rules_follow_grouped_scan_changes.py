"""Findings changed in one scan run are one event now (kind ``scan_changes``): a rule that asked for the
per-finding kinds gets the grouped kind too, so it keeps alerting on what it alerted on before."""

from django.db import migrations

PER_FINDING = {"finding_new", "finding_resolved", "finding_changed"}


def forwards(apps, schema_editor):
    AlertRule = apps.get_model("monitoring", "AlertRule")
    for rule in AlertRule._base_manager.all():
        kinds = list(rule.kinds or [])
        if PER_FINDING & set(kinds) and "scan_changes" not in kinds:
            rule.kinds = [*kinds, "scan_changes"]
            rule.save(update_fields=["kinds"])


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0005_scrub_secrets_from_history")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
