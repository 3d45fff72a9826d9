"""Action priority on the implementation plan's own scale: 1 = low … 5 = high.

Until this migration the product stored priority 1 as the HIGHEST and 5 as the lowest
(the field was labelled "priority (1 = highest)", default 3). The method's implementation
plan counts the other way round (1 low … 5 high). Every stored value is turned round,
old → new:

    1 (highest) → 5 (high)
    2           → 4
    3           → 3 (the default, unchanged)
    4           → 2
    5 (lowest)  → 1 (low)

i.e. new = 6 − old. The mapping is its own inverse, so migrating back applies it again.
The check constraint (1 to 5) holds before and after; only its message changes. The list
indexes now keep the highest priority first within a due date.
"""

import django.core.validators
from django.db import migrations, models
from django.db.models import F, Value


def turn_priority_round(apps, schema_editor):
    """new = 6 − old for every action (one UPDATE; the check constraint holds for both)."""
    Action = apps.get_model("actionplan", "Action")
    Action.objects.update(priority=Value(6) - F("priority"))


class Migration(migrations.Migration):
    dependencies = [
        ("actionplan", "0004_due_key_indexes"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="action",
            options={
                "ordering": ["due_key", "-priority", "id"],
                "verbose_name": "action",
                "verbose_name_plural": "actions",
            },
        ),
        migrations.RemoveIndex(model_name="action", name="action_status_due_idx"),
        migrations.RemoveIndex(model_name="action", name="action_due_idx"),
        migrations.AlterField(
            model_name="action",
            name="priority",
            field=models.PositiveSmallIntegerField(
                choices=[
                    (1, "1 · low"),
                    (2, "2 · fairly low"),
                    (3, "3 · medium"),
                    (4, "4 · fairly high"),
                    (5, "5 · high"),
                ],
                default=3,
                validators=[
                    django.core.validators.MinValueValidator(1),
                    django.core.validators.MaxValueValidator(5),
                ],
                verbose_name="priority (1 = low, 5 = high)",
            ),
        ),
        migrations.RunPython(turn_priority_round, turn_priority_round, elidable=False),
        migrations.AddIndex(
            model_name="action",
            index=models.Index(
                fields=["partnership", "status", "due_key", "-priority", "id"],
                name="action_status_due_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="action",
            index=models.Index(
                fields=["partnership", "due_key", "-priority", "id"], name="action_due_idx"
            ),
        ),
        migrations.AlterConstraint(
            model_name="action",
            name="action_priority_1_to_5",
            constraint=models.CheckConstraint(
                condition=models.Q(("priority__gte", 1), ("priority__lte", 5)),
                name="action_priority_1_to_5",
                violation_error_message="Priority goes from 1 (low) to 5 (high).",
            ),
        ),
    ]
