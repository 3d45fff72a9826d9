"""Answers wait sealed until their round closes; no per-person dates.

Existing data is brought to the same state: the day a link was used becomes a
yes/no, responses lose their week, responses of rounds still open move to the
sealed table, and those of closed rounds are written again in a random order
(their storage order followed the order of answering).
"""

import secrets
import uuid

import django.db.models.deletion
from django.db import migrations, models


def forwards(apps, schema_editor):
    Invitation = apps.get_model("healthchecks", "Invitation")
    Round = apps.get_model("healthchecks", "Round")
    Response = apps.get_model("healthchecks", "Response")
    Answer = apps.get_model("healthchecks", "Answer")
    SealedResponse = apps.get_model("healthchecks", "SealedResponse")
    Invitation.objects.filter(used_at__isnull=False).update(answered=True)
    rng = secrets.SystemRandom()
    for rnd in Round.objects.all().iterator():
        responses = list(Response.objects.filter(round=rnd).values("id", "sector"))
        if not responses:
            continue
        answers: dict = {}
        for row in Answer.objects.filter(response__round=rnd).values(
            "id", "response_id", "item_id", "item__key", "score", "text"
        ):
            answers.setdefault(row["response_id"], []).append(row)
        rng.shuffle(responses)
        Answer.objects.filter(response__round=rnd).delete()
        Response.objects.filter(round=rnd).delete()
        if rnd.status == "open":
            SealedResponse.objects.bulk_create(
                SealedResponse(
                    round=rnd,
                    sector=r["sector"],
                    answers=[
                        [a["item__key"], a["score"], a["text"]] for a in answers.get(r["id"], [])
                    ],
                )
                for r in responses
            )
            continue
        Response.objects.bulk_create(
            Response(id=r["id"], round=rnd, sector=r["sector"]) for r in responses
        )
        rows = [a for r in responses for a in answers.get(r["id"], [])]
        rng.shuffle(rows)
        Answer.objects.bulk_create(
            Answer(
                id=a["id"],
                response_id=a["response_id"],
                item_id=a["item_id"],
                score=a["score"],
                text=a["text"],
            )
            for a in rows
        )


class Migration(migrations.Migration):
    dependencies = [
        ("healthchecks", "0002_answer_score_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="invitation",
            name="answered",
            field=models.BooleanField(default=False),
        ),
        migrations.CreateModel(
            name="SealedResponse",
            fields=[
                (
                    "id",
                    models.UUIDField(
                        default=uuid.uuid4, editable=False, primary_key=True, serialize=False
                    ),
                ),
                ("sector", models.CharField(blank=True, max_length=20)),
                ("answers", models.JSONField(default=list)),
                (
                    "round",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="sealed",
                        to="healthchecks.round",
                    ),
                ),
            ],
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
        migrations.RemoveField(model_name="invitation", name="used_at"),
        migrations.RemoveField(model_name="response", name="submitted_on"),
    ]
