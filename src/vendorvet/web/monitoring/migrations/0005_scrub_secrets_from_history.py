"""Webhook signing secrets and webhook/Slack/Teams URLs were written to the change history in clear, where every
member (read-only auditors too) could read them. Replace them in the stored before/after data with the marker the
history now writes (``core.models.secret_marker``)."""

from django.db import migrations

SECRET_FIELDS = ("url", "secret")


def scrub(apps, schema_editor):
    from vendorvet.web.core.models import REDACTED, secret_marker

    ContentType = apps.get_model("contenttypes", "ContentType")
    ObjectChange = apps.get_model("core", "ObjectChange")
    try:
        rule_type = ContentType.objects.get(app_label="monitoring", model="alertrule")
    except ContentType.DoesNotExist:
        return
    for entry in ObjectChange.objects.filter(changed_object_type=rule_type).iterator():
        changed = False
        for attr in ("prechange_data", "postchange_data"):
            data = getattr(entry, attr)
            if not isinstance(data, dict):
                continue
            for name in SECRET_FIELDS:
                value = data.get(name)
                if value and not str(value).startswith(REDACTED):
                    data[name] = secret_marker(value)
                    changed = True
        if changed:
            entry.save(update_fields=["prechange_data", "postchange_data"])


class Migration(migrations.Migration):

    dependencies = [
        ("monitoring", "0004_kinds_and_channels_from_the_registry"),
        ("core", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(scrub, migrations.RunPython.noop, elidable=False)]
