"""Organisation numbers: digits only, unique when given.

On SQLite, adding the conditional constraint rebuilds the organisation table,
which drops the text-search triggers of migration 0002; they are made again
(and the index rebuilt) afterwards, in both directions.
"""

from importlib import import_module

from django.db import migrations, models

text_search = import_module("commonground.organisations.migrations.0002_text_search")


def rebuild_text_search(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for sql in text_search.SQLITE_BACKWARD + text_search.SQLITE_FORWARD:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("organisations", "0003_near_index")]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, rebuild_text_search),
        migrations.AddField(
            model_name="organisation",
            name="org_number",
            field=models.CharField(
                blank=True,
                db_index=True,
                help_text="The number in the official register, e.g. nine digits in Norway.",
                max_length=20,
                verbose_name="organisation number",
            ),
        ),
        migrations.AddConstraint(
            model_name="organisation",
            constraint=models.UniqueConstraint(
                condition=models.Q(("org_number", ""), _negated=True),
                fields=("org_number",),
                name="organisation_number_unique",
            ),
        ),
        migrations.RunPython(rebuild_text_search, migrations.RunPython.noop),
    ]
