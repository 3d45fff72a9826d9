from django.core.management import call_command
from django.db import migrations


def create_cache_tables(apps, schema_editor):
    # Every database cache's table: the page cache and the security store (the
    # sign-in throttle's counters, its own table). Tables that exist are kept.
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("core", "0003_audit_latest_index")]

    operations = [migrations.RunPython(create_cache_tables, migrations.RunPython.noop)]
