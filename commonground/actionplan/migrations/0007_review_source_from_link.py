"""Actions made from a results review kept "Decided at the results review “…” (date)." as
their description, in the language of whoever made them. The action's page now names the
review from its link, in the reader's language, so that generated sentence is removed
(only where it is the whole description, in English or Norwegian)."""

import re

from django.db import migrations

GENERATED = re.compile(
    r"^(Decided at the results review|Besluttet på resultatgjennomgangen) "
    r"[“«].*[”»] \(\d{4}-\d{2}-\d{2}\)\.$"
)


def forwards(apps, schema_editor):
    Action = apps.get_model("actionplan", "Action")
    rows = Action.objects.filter(review__isnull=False).exclude(description="")
    ids = [pk for pk, text in rows.values_list("pk", "description") if GENERATED.match(text)]
    Action.objects.filter(pk__in=ids).update(description="")


class Migration(migrations.Migration):
    dependencies = [("actionplan", "0006_action_meeting_index")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
