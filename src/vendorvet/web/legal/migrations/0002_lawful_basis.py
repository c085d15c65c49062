"""The legal basis of a processing activity as Art. 6(1) / Art. 9(2) GDPR letters (the register needs it).

Existing free-text entries that name a letter ("Art. 6(1)(b) GDPR", "Art. 6 Abs. 1 lit. f DSGVO") are
carried over; the text stays as the details.
"""

import re

from django.db import migrations, models

ART6 = re.compile(r"6\s*(?:\(1\)|abs\.?\s*1)\s*(?:\(|lit\.?\s*)([a-f])\b", re.IGNORECASE)
ART9 = re.compile(r"9\s*(?:\(2\)|abs\.?\s*2)\s*(?:\(|lit\.?\s*)([a-j])\b", re.IGNORECASE)


def parse_letters(text: str) -> tuple[str, str]:
    six, nine = ART6.search(text or ""), ART9.search(text or "")
    return (six.group(1).lower() if six else "", nine.group(1).lower() if nine else "")


def carry_over(apps, schema_editor):
    IntegrationLegal = apps.get_model("legal", "IntegrationLegal")
    for row in IntegrationLegal._base_manager.exclude(legal_basis="").iterator():
        six, nine = parse_letters(row.legal_basis)
        if six or nine:
            IntegrationLegal._base_manager.filter(pk=row.pk).update(lawful_basis=six, special_basis=nine)


class Migration(migrations.Migration):
    dependencies = [("legal", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="integrationlegal", name="lawful_basis",
            field=models.CharField(blank=True, choices=[
                ("a", "Art. 6(1)(a) GDPR – consent"), ("b", "Art. 6(1)(b) GDPR – contract"),
                ("c", "Art. 6(1)(c) GDPR – legal obligation"), ("d", "Art. 6(1)(d) GDPR – vital interests"),
                ("e", "Art. 6(1)(e) GDPR – public task"), ("f", "Art. 6(1)(f) GDPR – legitimate interests")],
                help_text="Required for the record of processing activities.", max_length=1,
                verbose_name="legal basis (Art. 6(1) GDPR)"),
        ),
        migrations.AddField(
            model_name="integrationlegal", name="special_basis",
            field=models.CharField(blank=True, choices=[
                ("a", "Art. 9(2)(a) GDPR – explicit consent"),
                ("b", "Art. 9(2)(b) GDPR – employment and social security law"),
                ("c", "Art. 9(2)(c) GDPR – vital interests"), ("d", "Art. 9(2)(d) GDPR – not-for-profit body"),
                ("e", "Art. 9(2)(e) GDPR – made public by the data subject"),
                ("f", "Art. 9(2)(f) GDPR – legal claims"), ("g", "Art. 9(2)(g) GDPR – substantial public interest"),
                ("h", "Art. 9(2)(h) GDPR – health or social care, occupational medicine"),
                ("i", "Art. 9(2)(i) GDPR – public health"),
                ("j", "Art. 9(2)(j) GDPR – archiving, research, statistics")],
                help_text="Required when special categories of personal data (Art. 9 GDPR, e.g. health data) are "
                          "processed.", max_length=1,
                verbose_name="exception for special categories (Art. 9(2) GDPR)"),
        ),
        migrations.AlterField(
            model_name="integrationlegal", name="legal_basis",
            field=models.CharField(blank=True, help_text="e.g. the contract or the balancing of interests it rests on",
                                   max_length=200, verbose_name="legal basis – details"),
        ),
        migrations.RunPython(carry_over, migrations.RunPython.noop),
    ]
