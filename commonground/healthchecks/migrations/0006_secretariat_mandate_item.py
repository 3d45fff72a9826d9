"""The 3.9 baseline belongs to the source's secretariat-mandate item, not to the
"power and control shared among partners" wording the default set used to ask.

For each partnership that still has the old default item with the 3.9 reference: the
old item loses the reference (it is not the source's question); if it still has the
default wording it is taken out of use (its history stays, and a manager can bring it
back); the secretariat-mandate item is added in its place under a new key, so the trend
never compares the two questions as one.
"""

from decimal import Decimal

from django.db import migrations

OLD_EN = "Power and control are shared in a way that fits what each partner brings."
OLD_NB = "Makt og kontroll er fordelt på en måte som passer med det hver partner bidrar med."
NEW_EN = (
    "The secretariat has the authority and control it needs to carry out the mandate "
    "the partners gave it."
)
NEW_NB = (
    "Sekretariatet har den myndigheten og kontrollen det trenger for å utføre mandatet "
    "partnerne har gitt det."
)


def forwards(apps, schema_editor):
    SurveyItem = apps.get_model("healthchecks", "SurveyItem")
    for old in SurveyItem.objects.filter(key="power_control", reference_mean=Decimal("3.9")):
        if SurveyItem.objects.filter(
            partnership_id=old.partnership_id, key="secretariat_mandate"
        ).exists():
            continue
        default_wording = old.text in (OLD_EN, OLD_NB)
        SurveyItem.objects.create(
            partnership_id=old.partnership_id,
            key="secretariat_mandate",
            section=old.section,
            kind=old.kind,
            text=NEW_NB if old.text == OLD_NB else NEW_EN,
            reference_mean=Decimal("3.9"),
            position=old.position,
            is_active=True,
        )
        old.reference_mean = None
        if default_wording:
            old.is_active = False
        old.save(update_fields=["reference_mean", "is_active"])


class Migration(migrations.Migration):
    dependencies = [("healthchecks", "0005_follow_up_reference_rate_reminders")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
