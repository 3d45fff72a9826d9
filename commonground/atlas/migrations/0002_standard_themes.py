from django.db import migrations

STANDARD = [
    ("construction-materials", "Construction materials"),
    ("food", "Food"),
    ("textiles", "Textiles"),
    ("sharing-repair", "Sharing and repair"),
    ("energy", "Energy"),
    ("water", "Water"),
    ("mobility", "Mobility"),
]


def add(apps, schema_editor):
    Theme = apps.get_model("atlas", "Theme")
    for slug, name in STANDARD:
        Theme.objects.get_or_create(partnership=None, slug=slug, defaults={"name": name})


def remove(apps, schema_editor):
    Theme = apps.get_model("atlas", "Theme")
    Theme.objects.filter(partnership=None, slug__in=[s for s, _ in STANDARD]).delete()


class Migration(migrations.Migration):
    dependencies = [("atlas", "0001_initial")]
    operations = [migrations.RunPython(add, remove)]
