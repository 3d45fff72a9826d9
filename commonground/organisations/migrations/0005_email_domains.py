"""Email domains for single sign-on (accounts.sso).

On SQLite, adding the column rebuilds the organisation table, which drops the
text-search triggers of migration 0002; they are made again (and the index rebuilt)
afterwards, in both directions, as in 0004.
"""

from importlib import import_module

from django.db import migrations, models

text_search = import_module("commonground.organisations.migrations.0002_text_search")


def rebuild_text_search(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for sql in text_search.SQLITE_BACKWARD + text_search.SQLITE_FORWARD:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0004_org_number"),
    ]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, rebuild_text_search),
        migrations.AddField(
            model_name="organisation",
            name="email_domains",
            field=models.CharField(
                blank=True,
                help_text="Comma-separated, e.g. “fjordvik.kommune.no”. Anyone the identity provider confirms at one of these domains may sign in and gets an account in this organisation.",
                max_length=500,
                verbose_name="email domains for single sign-on",
            ),
        ),
        migrations.RunPython(rebuild_text_search, migrations.RunPython.noop),
    ]
