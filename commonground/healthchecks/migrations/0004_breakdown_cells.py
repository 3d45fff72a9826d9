"""The breakdown by sector is fixed at the close with only publishable figures, and
responses no longer carry their respondent's sector (in a small sector it named them).
"""

import django.db.models.deletion
from django.db import migrations, models


MIN_RESPONSES = 5


def _hidden(counts):
    """selectors.suppress_cells as of this migration."""
    hidden = {k for k, n in counts.items() if n < MIN_RESPONSES}
    shown = sorted((n, k) for k, n in counts.items() if k not in hidden)
    while shown and 0 < sum(counts[k] for k in hidden) < MIN_RESPONSES:
        hidden.add(shown.pop(0)[1])
    return hidden


def forwards(apps, schema_editor):
    Answer = apps.get_model("healthchecks", "Answer")
    BreakdownCell = apps.get_model("healthchecks", "BreakdownCell")
    groups = {}
    rows = (
        Answer.objects.filter(score__isnull=False)
        .exclude(item__round__status="open")
        .values_list("item__round_id", "item_id", "response__sector", "score")
        .iterator()
    )
    for round_id, item_id, sector, score in rows:
        cell = groups.setdefault((round_id, item_id), {}).setdefault(sector or "", [0, 0])
        cell[0] += 1
        cell[1] += score
    cells = []
    for (round_id, item_id), by_group in groups.items():
        if sum(n for n, _t in by_group.values()) < MIN_RESPONSES:
            continue
        hidden = _hidden({g: n for g, (n, _t) in by_group.items()})
        for group, (n, total) in by_group.items():
            shown = group not in hidden
            cells.append(
                BreakdownCell(
                    round_id=round_id,
                    item_id=item_id,
                    grouping="sector",
                    group=group,
                    n=n if shown else None,
                    total=total if shown else None,
                )
            )
    BreakdownCell.objects.bulk_create(cells, batch_size=500)


class Migration(migrations.Migration):

    dependencies = [
        ('healthchecks', '0003_sealed_responses'),
    ]

    operations = [
        migrations.CreateModel(
            name='BreakdownCell',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('grouping', models.CharField(default='sector', max_length=20)),
                ('group', models.CharField(blank=True, max_length=40)),
                ('n', models.PositiveIntegerField(blank=True, null=True)),
                ('total', models.PositiveIntegerField(blank=True, null=True)),
                ('item', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='breakdown', to='healthchecks.rounditem')),
                ('round', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='breakdown', to='healthchecks.round')),
            ],
            options={
                'ordering': ['item', 'grouping', 'group'],
                'constraints': [models.UniqueConstraint(fields=('item', 'grouping', 'group'), name='breakdown_cell_unique_group'), models.CheckConstraint(condition=models.Q(models.Q(('n__isnull', True), ('total__isnull', True)), ('n__gte', 5), _connector='OR'), name='breakdown_cell_hidden_or_at_least_five')],
            },
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
        migrations.RemoveField(model_name="response", name="sector"),
    ]
