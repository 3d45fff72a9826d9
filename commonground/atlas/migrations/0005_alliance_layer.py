"""The alliance layer counts what the method counts: gatherings split into innovation
labs, regional gatherings and virtual discussions (an old "gathering or lab" becomes a
regional gathering, the nearest of the three; edit any that were labs), each with its own
yearly target (the old combined target becomes the regional gatherings' target), the
target for new partnerships now counts partnerships brokered, the secretariat's
facilitation is recorded per activity with a target of its own, and an activity names
the indicators that measure it."""

from django.db import migrations, models


def split_gatherings(apps, schema_editor):
    Activity = apps.get_model("atlas", "Activity")
    Activity.objects.filter(kind="gathering").update(kind="regional_gathering")


def join_gatherings(apps, schema_editor):
    Activity = apps.get_model("atlas", "Activity")
    Activity.objects.filter(
        kind__in=["innovation_lab", "regional_gathering", "virtual_discussion"]
    ).update(kind="gathering")


KINDS = [
    ("project", "Project"),
    ("programme", "Programme"),
    ("pilot", "Pilot"),
    ("service", "Service"),
    ("innovation_lab", "Innovation lab"),
    ("regional_gathering", "Regional gathering"),
    ("virtual_discussion", "Virtual discussion"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("atlas", "0004_revalidate_areas"),
        ("results", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="activity",
            name="kind",
            field=models.CharField(
                choices=KINDS, default="project", max_length=20, verbose_name="kind"
            ),
        ),
        migrations.RunPython(split_gatherings, join_gatherings),
        migrations.AddField(
            model_name="activity",
            name="facilitated_by_secretariat",
            field=models.BooleanField(
                default=False,
                help_text=(
                    "The alliance's secretariat brings the people together and runs the "
                    "process. Platform activities always count as facilitated."
                ),
                verbose_name="facilitated by the secretariat",
            ),
        ),
        migrations.AddField(
            model_name="activity",
            name="indicators",
            field=models.ManyToManyField(
                blank=True,
                related_name="activities",
                to="results.indicator",
                verbose_name="indicators that measure it",
            ),
        ),
        migrations.RenameField(
            model_name="alliancetarget", old_name="gatherings", new_name="regional_gatherings"
        ),
        migrations.AlterField(
            model_name="alliancetarget",
            name="regional_gatherings",
            field=models.PositiveIntegerField(default=0, verbose_name="regional gatherings"),
        ),
        migrations.RenameField(
            model_name="alliancetarget",
            old_name="new_partnerships",
            new_name="partnerships_brokered",
        ),
        migrations.AlterField(
            model_name="alliancetarget",
            name="partnerships_brokered",
            field=models.PositiveIntegerField(default=0, verbose_name="partnerships brokered"),
        ),
        migrations.AddField(
            model_name="alliancetarget",
            name="innovation_labs",
            field=models.PositiveIntegerField(default=0, verbose_name="innovation labs"),
        ),
        migrations.AddField(
            model_name="alliancetarget",
            name="virtual_discussions",
            field=models.PositiveIntegerField(default=0, verbose_name="virtual discussions"),
        ),
        migrations.AddField(
            model_name="alliancetarget",
            name="facilitated",
            field=models.PositiveIntegerField(
                default=0, verbose_name="activities facilitated by the secretariat"
            ),
        ),
    ]
