from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("supplychain", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="sbomversion",
            name="not_checkable",
            field=models.JSONField(blank=True, default=list, verbose_name="components that cannot be checked"),
        ),
    ]
