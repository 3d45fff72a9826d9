"""Give the four scorecard criteria added to the default scorecard to partnerships that
use the default scorecard and have not scored anyone yet.

A partnership that has already scored prospects keeps its scorecard as it is: adding
criteria would leave every earlier scorecard incomplete and change its totals. Its
conveners can add the criteria by hand on the criteria page.
"""

from django.db import migrations
from django.db.models import F, Max

# (group, message key, Norwegian text, weight), as they stood when this was written.
NEW = [
    (
        "compatibility",
        "Their way of working fits with ours",
        "Arbeidsmåten deres passer med vår",
        1,
    ),
    ("assessment", "We understand how they are governed", "Vi forstår hvordan de styres", 1),
    ("selection", "Shares our picture of success", "Deler vårt bilde av hva som er suksess", 2),
    (
        "selection",
        "Has delivered before and can grow in step with our timeline",
        "Har levert før og kan vokse i takt med vår tidsplan",
        1,
    ),
]


def add_criteria(apps, schema_editor):
    Criterion = apps.get_model("prospects", "Criterion")
    Score = apps.get_model("prospects", "Score")
    scored = Score.objects.values("criterion__partnership_id")
    partnerships = (
        Criterion.objects.exclude(label_key="")
        .exclude(partnership_id__in=scored)
        .values_list("partnership_id", flat=True)
        .distinct()
    )
    for partnership_id in list(partnerships):
        mine = Criterion.objects.filter(partnership_id=partnership_id)
        taken = set(mine.values_list("label", flat=True)) | set(
            mine.values_list("label_key", flat=True)
        )
        for group, key, norwegian, weight in NEW:
            if key in taken or norwegian in taken:
                continue
            # After the last criterion of its group, so the groups stay together.
            last = mine.filter(group=group).aggregate(m=Max("position"))["m"]
            if last is None:
                last = mine.aggregate(m=Max("position"))["m"] or 0
            mine.filter(position__gt=last).update(position=F("position") + 1)
            position = last + 1
            Criterion.objects.create(
                partnership_id=partnership_id,
                group=group,
                label=key,
                label_key=key,
                weight=weight,
                position=position,
            )


def remove_criteria(apps, schema_editor):
    Criterion = apps.get_model("prospects", "Criterion")
    Criterion.objects.filter(
        label_key__in=[key for _, key, _, _ in NEW], scores__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("prospects", "0002_criterion_label_key"),
    ]

    operations = [
        migrations.RunPython(add_criteria, remove_criteria),
    ]
