"""Areas stored before the GeoJSON check (geo.parse_area) are checked once: a valid one
is kept as the plain geometry it gives, an invalid one is removed (the point stays)."""

from django.core.exceptions import ValidationError
from django.db import migrations


def revalidate(apps, schema_editor):
    from commonground.atlas import geo

    Activity = apps.get_model("atlas", "Activity")
    for activity in Activity.objects.filter(area__isnull=False).only(
        "pk", "area", "latitude", "longitude"
    ).iterator(chunk_size=200):
        try:
            area, box = geo.parse_area(activity.area)
        except ValidationError:
            area, box = None, None
        boxes = [box] if box else []
        if activity.latitude is not None and activity.longitude is not None:
            lat, lon = activity.latitude, activity.longitude
            boxes.append((lat, lon, lat, lon))
        Activity.objects.filter(pk=activity.pk).update(
            area=area,
            min_lat=min(b[0] for b in boxes) if boxes else None,
            min_lon=min(b[1] for b in boxes) if boxes else None,
            max_lat=max(b[2] for b in boxes) if boxes else None,
            max_lon=max(b[3] for b in boxes) if boxes else None,
        )


class Migration(migrations.Migration):
    dependencies = [("atlas", "0003_map_box_indexes")]

    operations = [migrations.RunPython(revalidate, migrations.RunPython.noop, elidable=True)]
