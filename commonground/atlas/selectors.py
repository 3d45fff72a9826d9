"""Reads of the activity atlas: filtered lists, GeoJSON, overlaps and alliance indicators."""

from __future__ import annotations

import datetime
import hashlib
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import (
    Avg,
    Count,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    Max,
    Min,
    Prefetch,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import Cast, Floor, Greatest, Least
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from commonground.core import policy
from commonground.core.audit import cached_until_any_change
from commonground.organisations.models import Organisation

from . import geo, rules
from .models import (
    EVENT_KINDS,
    WORK_PROGRAMME_TIERS,
    Activity,
    ActivityKind,
    ActivityStatus,
    AllianceTarget,
    ConversationSuggestion,
    Theme,
    Tier,
)

if TYPE_CHECKING:
    from commonground.partnerships.models import Partnership

FEATURE_CAP = 2000
# More located activities than this in the requested box and the map gets grid
# clusters instead of one feature each (a readable map, and a response whose size
# follows the grid, not the data).
CLUSTER_THRESHOLD = 300
CLUSTER_GRID = 16  # cells along each side of the box (about 35 px apart on the map)
# Groups are drawn from the newest CLUSTER_SAMPLE points in the box: enough for a faithful
# picture of where activity is, and a fixed amount of reading at any density (the map
# then says to zoom in to see them all).
CLUSTER_SAMPLE = 1000
OVERLAP_DISTANCE_KM = 1.0
OVERLAP_ACTIVITY_LIMIT = 600
# The alliance page looks for overlaps among this many of the newest activities with
# a place (and says so), so that the page does not grow with the alliance.
ALLIANCE_OVERLAP_LIMIT = 250
INDICATORS_CACHE_SECONDS = 300


def themes_for(partnerships: Any) -> QuerySet[Theme]:
    return Theme.objects.filter(Q(partnership__isnull=True) | Q(partnership__in=partnerships))


def activities_base(partnerships: Any) -> QuerySet[Activity]:
    return (
        Activity.objects.filter(partnership__in=partnerships)
        .select_related("partnership")
        .prefetch_related("organisations", "themes")
        .order_by("title", "id")
    )


def activity_list(partnerships: Any) -> QuerySet[Activity]:
    """``activities_base`` with only the columns the map's list shows (an activity's
    area, places and texts are left in the database); its organisations and themes
    are lists in ``organisation_list`` and ``theme_list`` (no related manager per row)."""
    return (
        activities_base(partnerships)
        .prefetch_related(None)
        .prefetch_related(
            Prefetch(
                "organisations",
                queryset=Organisation.objects.only("name"),
                to_attr="organisation_list",
            ),
            Prefetch(
                "themes",
                queryset=Theme.objects.only("name", "partnership_id"),
                to_attr="theme_list",
            ),
        )
        .only(
            *("title", "kind", "status", "tier", "min_lat"),
            *("partnership__slug", "partnership__name"),
        )
    )


def apply_filters(qs: QuerySet[Activity], data: dict[str, Any]) -> QuerySet[Activity]:
    """Filter by the cleaned data of ``ActivityFilterForm`` (empty values are ignored)."""
    if data.get("q"):
        qs = qs.filter(Q(title__icontains=data["q"]) | Q(description__icontains=data["q"]))
    if data.get("theme"):
        qs = qs.filter(themes__slug=data["theme"])
    if data.get("organisation"):
        text = str(data["organisation"]).strip()
        by_name = Q(organisations__name__icontains=text)
        qs = qs.filter(by_name | Q(organisations__pk=int(text)) if text.isdigit() else by_name)
    if data.get("sector"):
        qs = qs.filter(organisations__sector=data["sector"])
    if data.get("status"):
        qs = qs.filter(status=data["status"])
    if data.get("tier"):
        qs = qs.filter(tier=data["tier"])
    if data.get("kind"):
        qs = qs.filter(kind=data["kind"])
    # Period: activities that run at some time within [from, to].
    if data.get("period_from"):
        qs = qs.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=data["period_from"]))
    if data.get("period_to"):
        qs = qs.filter(Q(starts_on__isnull=True) | Q(starts_on__lte=data["period_to"]))
    if data.get("public_only"):
        qs = qs.filter(is_public=True)
    if any(data.get(k) for k in ("theme", "organisation", "sector")):
        qs = qs.distinct()
    return qs


def not_on_map(qs: QuerySet[Activity]) -> QuerySet[Activity]:
    """The activities of ``qs`` with neither a point nor an area: the map cannot show them
    (``Activity.has_location``; the GeoJSON leaves them out)."""
    return qs.filter(min_lat__isnull=True)


def map_activities(partnerships: Any, *, many: bool = False) -> QuerySet[Activity]:
    """The activities of some partnerships, for the map's GeoJSON (no joins, no prefetch).

    With ``many`` (the alliance: every partnership the person may see), the
    partnership test is written so that the database looks the box up first (SQLite
    would otherwise read every activity of every partnership, then the box)."""
    ids = (
        partnerships.values("pk")
        if isinstance(partnerships, QuerySet)
        else [getattr(p, "pk", p) for p in partnerships]
    )
    if not many:
        return Activity.objects.filter(partnership__in=ids)
    if isinstance(ids, QuerySet):
        # The ids as a list (one small query): behind "+ 0" a subquery leaves
        # PostgreSQL no estimate, and it tested each point in the box against every
        # partnership (1.6 s at F=10 for the alliance's clusters).
        ids = list(ids.values_list("pk", flat=True))
    return Activity.objects.alias(
        in_partnership=ExpressionWrapper(
            F("partnership_id") + Value(0), output_field=IntegerField()
        )
    ).filter(in_partnership__in=ids)


def in_bbox(qs: QuerySet[Activity], box: geo.BBox | None) -> QuerySet[Activity]:
    """Activities whose bounding box intersects ``box`` (filtered in SQL, as one
    queryset; the map's GeoJSON looks points and areas up apart, see ``_ids_for_map``).

    A point is tested on its latitude and longitude, an area (with or without a
    point) on its bounding box; each test has its own index (migration 0003)."""
    qs = qs.filter(min_lat__isnull=False)
    if box is None:
        return qs
    south, west, north, east = box
    points = Q(
        area__isnull=True,
        latitude__gte=south,
        latitude__lte=north,
        longitude__gte=west,
        longitude__lte=east,
    )
    areas = Q(
        area__isnull=False,
        min_lat__lte=north,
        max_lat__gte=south,
        min_lon__lte=east,
        max_lon__gte=west,
    )
    return qs.filter(points | areas)


def _ids_for_map(qs: QuerySet[Activity], box: geo.BBox | None, limit: int) -> list[int]:
    """The newest ``limit`` located activities of ``qs`` in ``box``, newest first.

    Points and areas are looked up apart, each through its own index; for points the
    index alone answers (position, partnership and id), so the cost is reading index
    entries in the box, and only the ids of one capped list ever leave the database."""
    if box is None:
        return list(
            qs.filter(min_lat__isnull=False).order_by("-id").values_list("pk", flat=True)[:limit]
        )
    south, west, north, east = box
    points = qs.filter(
        latitude__gte=south, latitude__lte=north, longitude__gte=west, longitude__lte=east
    )
    areas = qs.filter(
        area__isnull=False,
        min_lat__lte=north,
        max_lat__gte=south,
        min_lon__lte=east,
        max_lon__gte=west,
    )
    # Newest first by "id + 0": ordered by the bare id, SQLite would rather walk the
    # whole table backwards than use the box's index and sort what it finds.
    newest = ExpressionWrapper(F("id") + Value(0), output_field=IntegerField()).desc()
    found: set[int] = set()
    for part in (points, areas):
        found.update(part.order_by(newest).values_list("pk", flat=True)[:limit])
    return sorted(found, reverse=True)[:limit]


def _points_in(qs: QuerySet[Activity], box: geo.BBox) -> QuerySet[Activity]:
    south, west, north, east = box
    return qs.filter(
        latitude__gte=south, latitude__lte=north, longitude__gte=west, longitude__lte=east
    )


def _areas_in(qs: QuerySet[Activity], box: geo.BBox) -> QuerySet[Activity]:
    south, west, north, east = box
    return qs.filter(
        area__isnull=False,
        min_lat__lte=north,
        max_lat__gte=south,
        min_lon__lte=east,
        max_lon__gte=west,
    )


def _few_in_box(qs: QuerySet[Activity], box: geo.BBox, limit: int) -> list[int] | None:
    """The ids of every located activity of ``qs`` in ``box`` when there are at most
    ``limit`` of them, else None.

    Unordered and limited, so each lookup stops after ``limit + 1`` index entries: the
    cost of telling "too many" does not grow with the data."""
    found = set(_points_in(qs, box).order_by().values_list("pk", flat=True)[: limit + 1])
    if len(found) > limit:
        return None
    found.update(_areas_in(qs, box).order_by().values_list("pk", flat=True)[: limit + 1])
    if len(found) > limit:
        return None
    return sorted(found, reverse=True)


def _cell(value: Any, start: float, size: float) -> Floor:
    return Floor(ExpressionWrapper((value - Value(start)) / Value(size), output_field=FloatField()))


def _clusters(
    qs: QuerySet[Activity], box: geo.BBox, grid: int, cap: int = FEATURE_CAP
) -> tuple[list[dict[str, Any]], bool]:
    """Grid clusters of the located activities of ``qs`` in ``box``: the box cut into
    ``grid`` × ``grid`` cells, one GeoJSON point per non-empty cell at the mean position
    of what it holds, with the count and the cell's bounds as its bbox (only a count
    and two sums per cell, so the one pass over the position index stays light).

    Points are grouped in SQL by the floored cell indexes of their position: the
    newest ``cap`` of them, as the plain map shows the newest ``cap`` activities (the
    second value returned tells whether more exist; the map then asks to zoom in).
    Areas without a point in the box count in the cell of their bounding box's centre,
    held inside the box."""
    south, west, north, east = (float(x) for x in box)
    height = max((north - south) / grid, 1e-6)
    width = max((east - west) / grid, 1e-6)
    cells: dict[tuple[int, int], dict[str, Any]] = {}

    def add(row: dict[str, Any]) -> None:
        key = (int(row["cy"]), int(row["cx"]))
        n = row["n"]
        cell = cells.setdefault(key, {"n": 0, "lat": 0.0, "lon": 0.0})
        cell["n"] += n
        cell["lat"] += float(row["lat"]) * n
        cell["lon"] += float(row["lon"]) * n

    # The newest ``cap`` points in the box (walking the ids backwards stops there), so
    # the grouping reads the same few thousand rows however dense the region grows.
    south_, west_, north_, east_ = box

    def unindexed(field: str) -> ExpressionWrapper:
        return ExpressionWrapper(F(field) + Value(0), output_field=FloatField())

    sample = (
        # "+ 0" keeps SQLite off the position index (reading every point in the box and
        # sorting them): walking the ids backwards, it stops at the cap.
        qs.alias(lat0=unindexed("latitude"), lon0=unindexed("longitude"))
        .filter(lat0__gte=south_, lat0__lte=north_, lon0__gte=west_, lon0__lte=east_)
        .order_by("-id")
        .values("pk")[: cap + 1]
    )
    # The sample stays a subquery: its ids never travel through Python.
    points = (
        Activity.objects.filter(pk__in=sample)
        .order_by()
        .annotate(
            cy=_cell(F("latitude"), south, height),
            cx=_cell(F("longitude"), west, width),
        )
        .values("cy", "cx")
        .annotate(
            n=Count("id"),
            lat=Avg("latitude", output_field=FloatField()),
            lon=Avg("longitude", output_field=FloatField()),
        )
    )
    sampled = 0
    for row in points:
        add(row)
        sampled += row["n"]
    capped = sampled > cap
    # Areas whose point (if any) is not in the box, placed by the centre of their
    # bounding box, clamped to the box so that the cell is one of the grid's.
    centre_lat = ExpressionWrapper(
        Least(Greatest((F("min_lat") + F("max_lat")) / Value(2.0), Value(south)), Value(north)),
        output_field=FloatField(),
    )
    centre_lon = ExpressionWrapper(
        Least(Greatest((F("min_lon") + F("max_lon")) / Value(2.0), Value(west)), Value(east)),
        output_field=FloatField(),
    )
    s_, w_, n_, e_ = box
    point_outside = (
        Q(latitude__isnull=True)
        | Q(longitude__isnull=True)
        | Q(latitude__lt=s_)
        | Q(latitude__gt=n_)
        | Q(longitude__lt=w_)
        | Q(longitude__gt=e_)
    )
    areas = (
        _areas_in(qs, box)
        .filter(point_outside)
        .order_by()
        .annotate(clat=centre_lat, clon=centre_lon)
        .annotate(cy=_cell(F("clat"), south, height), cx=_cell(F("clon"), west, width))
        .values("cy", "cx")
        .annotate(n=Count("id"), lat=Avg("clat"), lon=Avg("clon"))
    )
    for row in areas:
        add(row)
    features = []
    for (cy, cx), c in sorted(cells.items()):
        n = c["n"]
        # The cell's own bounds (inside the box): they hold every position counted in it.
        cell_s = min(south + cy * height, north)
        cell_w = min(west + cx * width, east)
        # Rounded outwards to the stored precision, so that a position on a cell's
        # edge stays inside whatever the floating-point division made of it.
        cell_box = [
            math.floor(cell_w * 1e6) / 1e6,
            math.floor(cell_s * 1e6) / 1e6,
            math.ceil(min(cell_w + width, east) * 1e6) / 1e6,
            math.ceil(min(cell_s + height, north) * 1e6) / 1e6,
        ]
        features.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": "Point",
                    "coordinates": [round(c["lon"] / n, 6), round(c["lat"] / n, 6)],
                },
                "properties": {
                    "cluster": True,
                    "count": n,
                    "bbox": cell_box,
                },
            }
        )
    return features, capped


def _extent(qs: QuerySet[Activity]) -> geo.BBox | None:
    """The bounding box of every located activity of ``qs`` (None when there is none)."""
    got = qs.filter(min_lat__isnull=False).aggregate(
        s=Min("min_lat"), w=Min("min_lon"), n=Max("max_lat"), e=Max("max_lon")
    )
    if got["s"] is None:
        return None
    return got["s"], got["w"], got["n"], got["e"]


def feature_collection(
    qs: QuerySet[Activity],
    *,
    box: geo.BBox | None = None,
    cap: int | None = None,
    cluster: bool = False,
) -> dict[str, Any]:
    """GeoJSON for the map: the newest activities of ``qs`` in ``box`` (at most ``cap``,
    FEATURE_CAP by default), with ``capped`` telling whether more exist.

    With ``cluster``, when more than CLUSTER_THRESHOLD located activities lie in the
    box (the whole extent of ``qs`` without one), the features are grid clusters
    instead (see ``_clusters``), ``clustered`` is true and ``count`` is the number
    of activities they hold.

    The ids in SQL (with the limit), then one query of plain tuples for those rows (only
    the columns the map needs) and two for the names of organisations and themes; no
    model instances."""
    if cluster:
        area = box
        if area is None:
            area = _extent(qs)
        ids = _few_in_box(qs, area, CLUSTER_THRESHOLD) if area is not None else []
        if ids is None:
            assert area is not None
            features, capped = _clusters(qs, area, CLUSTER_GRID, CLUSTER_SAMPLE)
            return {
                "type": "FeatureCollection",
                "features": features,
                "clustered": True,
                "capped": capped,
                "cap": cap or FEATURE_CAP,
                "count": sum(f["properties"]["count"] for f in features),
            }
        cap = cap or FEATURE_CAP
        return _features(ids[:cap], capped=len(ids) > cap, cap=cap)
    cap = cap or FEATURE_CAP
    ids = _ids_for_map(qs, box, cap + 1)
    capped = len(ids) > cap
    return _features(ids[:cap], capped=capped, cap=cap)


def _features(ids: list[int], *, capped: bool, cap: int) -> dict[str, Any]:
    by_id = {
        r[0]: r
        for r in Activity.objects.filter(pk__in=ids)
        .annotate(
            lat=Cast("latitude", FloatField()),
            lon=Cast("longitude", FloatField()),
        )
        .order_by()
        .values_list(
            "pk",
            "title",
            "partnership__name",
            "partnership__slug",
            "status",
            "tier",
            "kind",
            "lat",
            "lon",
            "area",
        )
    }
    rows = [by_id[pk] for pk in ids if pk in by_id]
    ids = [r[0] for r in rows]
    orgs: dict[int, list[str]] = {}
    themes: dict[int, list[str]] = {}
    if ids:
        for aid, name in (
            Activity.organisations.through.objects.filter(activity_id__in=ids)
            .order_by("organisation__name", "organisation_id")
            .values_list("activity_id", "organisation__name")
        ):
            orgs.setdefault(aid, []).append(name)
        translated: dict[str, str] = {}
        for aid, name, custom in (
            Activity.themes.through.objects.filter(activity_id__in=ids)
            .order_by("theme__name", "theme_id")
            .values_list("activity_id", "theme__name", "theme__partnership_id")
        ):
            # As Theme.label: standard themes in the reader's language, custom ones as
            # typed (each name translated once, not once per activity).
            if custom is None:
                if name not in translated:
                    translated[name] = gettext(name)
                name = translated[name]
            themes.setdefault(aid, []).append(name)
    statuses = {k: str(v) for k, v in ActivityStatus.choices}
    tiers = {k: str(v) for k, v in Tier.choices}
    kinds = {k: str(v) for k, v in ActivityKind.choices}
    features = []
    for pk, title, p_name, p_slug, status, tier, kind, lat, lon, area in rows:
        props = {
            "id": pk,
            "title": title,
            "partnership": p_name,
            "url": f"/p/{p_slug}/atlas/activities/{pk}/",
            "status": statuses.get(status, status),
            "tier": tiers.get(tier, tier),
            "kind": kinds.get(kind, kind),
            "themes": themes.get(pk, []),
            "organisations": orgs.get(pk, []),
        }
        if lat is not None and lon is not None:
            features.append(
                {
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": [lon, lat]},
                    "properties": props,
                }
            )
        if area:
            features.append(
                {"type": "Feature", "geometry": area, "properties": {**props, "area": True}}
            )
    return {
        "type": "FeatureCollection",
        "features": features,
        "clustered": False,
        "capped": capped,
        "cap": cap,
        "count": len(rows),
    }


# --- overlaps ---------------------------------------------------------------------------


@dataclass
class Overlap:
    first: Activity
    second: Activity
    score: float
    reasons: list[str] = field(default_factory=list)
    distance_km: float | None = None
    shared_themes: list[str] = field(default_factory=list)
    near: bool = False


def _box(a: Activity) -> geo.BBox | None:
    if a.min_lat is None:
        return None
    return (a.min_lat, a.min_lon, a.max_lat, a.max_lon)  # type: ignore[return-value]


def _period_overlap(a: Activity, b: Activity) -> bool:
    """Both have a known period (at least one date each) and the periods meet."""
    if not (a.starts_on or a.ends_on) or not (b.starts_on or b.ends_on):
        return False
    far_past, far_future = datetime.date.min, datetime.date.max
    a0, a1 = a.starts_on or far_past, a.ends_on or far_future
    b0, b1 = b.starts_on or far_past, b.ends_on or far_future
    return a0 <= b1 and b0 <= a1


def _near_candidates(prepared: list[Any], max_km: float) -> Any:
    """Pairs (i, j), i < j, of ``prepared`` that may lie within ``max_km``: points
    are bucketed by bands of latitude at least ``max_km`` wide, so only points of the
    same or the next band are compared; anything with an area is compared with all."""
    band = max_km / 110.0
    bands: dict[int, list[int]] = {}
    wide: list[int] = []
    for i, (a, _orgs, _themes, box) in enumerate(prepared):
        if box is None:
            continue  # no place: never near
        if a.area:
            wide.append(i)
        else:
            bands.setdefault(int(float(box[0]) // band), []).append(i)
    pairs: set[tuple[int, int]] = set()
    for key, members in bands.items():
        nearby = members + bands.get(key + 1, [])
        for i in members:
            for j in nearby:
                if i != j:
                    pairs.add((min(i, j), max(i, j)))
    located = [i for members in bands.values() for i in members] + wide
    for i in wide:
        for j in located:
            if i != j:
                pairs.add((min(i, j), max(i, j)))
    for i, j in sorted(pairs):
        yield prepared[i], prepared[j]


def _all_pairs(prepared: list[Any]) -> Any:
    for i, first in enumerate(prepared):
        for second in prepared[i + 1 :]:
            yield first, second


def find_overlaps(
    activities: list[Activity], *, max_km: float = OVERLAP_DISTANCE_KM, near_only: bool = False
) -> list[Overlap]:
    """Pairs of activities by different organisations sharing a theme that lie within
    ``max_km`` of each other (or whose areas overlap), or that run at the same time.
    Ranked by score, highest first. Expects themes and organisations prefetched.

    With ``near_only``, only the pairs that lie close together (as ``Overlap.near``),
    found without comparing every pair."""
    prepared = []
    for a in activities:
        prepared.append(
            (
                a,
                {o.pk for o in a.organisations.all()},
                {t.pk: t.label for t in a.themes.all()},
                _box(a),
            )
        )
    pairs = _near_candidates(prepared, max_km) if near_only else _all_pairs(prepared)
    results: list[Overlap] = []
    for (a, a_orgs, a_themes, a_box), (b, b_orgs, b_themes, b_box) in pairs:
        if a_orgs & b_orgs:
            continue  # the same organisation is already in both
        shared = sorted(a_themes[k] for k in a_themes.keys() & b_themes.keys())
        if not shared:
            continue
        reasons = [_("Shared themes: %(themes)s") % {"themes": ", ".join(shared)}]
        score = 2.0 * len(shared)
        distance = None
        near = False
        if a_box is not None and b_box is not None:
            both_areas = bool(a.area) and bool(b.area)
            if (a.area or b.area) and geo.bboxes_overlap(a_box, b_box):
                near = True
                score += 4
                reasons.append(
                    _("Their areas overlap")
                    if both_areas
                    else _("One lies within the other's area")
                )
            elif not both_areas:
                la, lo = geo.centre(a_box)
                lb, lob = geo.centre(b_box)
                distance = geo.haversine_km(la, lo, lb, lob)
                if distance <= max_km:
                    near = True
                    score += 4 * (1 - distance / max_km) + 1
                    reasons.append(
                        _("%(metres)s m apart") % {"metres": int(round(distance * 1000, -1))}
                    )
        same_time = _period_overlap(a, b)
        if same_time:
            score += 1
            reasons.append(_("They run at the same time"))
        if not near and (near_only or not same_time):
            continue
        if a.partnership_id != b.partnership_id:
            reasons.append(_("In different partnerships"))
        results.append(Overlap(a, b, round(score, 2), reasons, distance, shared, near))
    results.sort(key=lambda o: (-o.score, o.first.title, o.second.title))
    return results


def overlaps_for(partnerships: Any, *, near_only: bool = False) -> list[Overlap]:
    acts = list(activities_base(partnerships)[:OVERLAP_ACTIVITY_LIMIT])
    return find_overlaps(acts, near_only=near_only)


@dataclass
class AllianceOverlaps:
    overlaps: list[Overlap]
    considered: int
    limited: bool


def alliance_overlaps(partnerships: Any, *, limit: int | None = None) -> AllianceOverlaps:
    """Overlaps in place among the ``limit`` newest activities with a place in
    ``partnerships`` (``limited`` says whether there are more); ALLIANCE_OVERLAP_LIMIT
    by default."""
    limit = limit or ALLIANCE_OVERLAP_LIMIT
    ids = list(
        map_activities(partnerships)
        .filter(min_lat__isnull=False)
        .order_by("-id")
        .values_list("pk", flat=True)[: limit + 1]
    )
    # By id alone: the ids are of these partnerships already, and a second partnership
    # test would have the database try every (partnership, id) pair.
    acts = list(
        Activity.objects.filter(pk__in=ids[:limit])
        .select_related("partnership")
        .prefetch_related("organisations", "themes")
        .order_by("title", "id")
    )
    return AllianceOverlaps(
        find_overlaps(acts, near_only=True), min(len(ids), limit), len(ids) > limit
    )


def suggestions_for(partnership: Partnership) -> QuerySet[ConversationSuggestion]:
    return ConversationSuggestion.objects.filter(partnership=partnership).select_related(
        "first", "second", "suggested_by"
    )


# --- alliance ---------------------------------------------------------------------------


def alliance_partnerships(user: Any) -> QuerySet[Any]:
    return policy.partnerships_with(user, rules.VIEW)


def alliance_indicators(partnerships: Any) -> dict[str, Any]:
    """The alliance's yearly indicators for ``partnerships``, kept until the next change
    anywhere, the next day, or INDICATORS_CACHE_SECONDS. What each tier counts for is
    the rule in ``models.Tier``."""
    pids = sorted(partnerships.values_list("pk", flat=True))
    today = timezone.localdate()
    digest = hashlib.sha256(",".join(map(str, pids)).encode()).hexdigest()[:32]
    return cached_until_any_change(
        "alliance-indicators",
        [today.isoformat(), digest],
        lambda: _alliance_indicators(pids, today),
        INDICATORS_CACHE_SECONDS,
    )


# Each event kind and the AllianceTarget field holding its yearly target.
EVENT_TARGETS = {
    ActivityKind.INNOVATION_LAB: "innovation_labs",
    ActivityKind.REGIONAL_GATHERING: "regional_gatherings",
    ActivityKind.VIRTUAL_DISCUSSION: "virtual_discussions",
}


def facilitated_q() -> Q:
    """Activities the secretariat facilitates: those marked so, and every platform
    activity (the tier is defined as facilitated by the secretariat)."""
    return Q(facilitated_by_secretariat=True) | Q(tier=Tier.PLATFORM)


def _alliance_indicators(pids: list[int], today: datetime.date) -> dict[str, Any]:
    """A fixed number of queries whatever the number of partnerships and activities."""
    year_start = today.replace(month=1, day=1)
    from commonground.partnerships.models import BrokeredBy, Membership, Partnership

    # Joint work: an activity of two organisations or more, in any tier.
    joint = (
        Activity.objects.filter(partnership_id__in=pids)
        .annotate(n=Count("organisations", distinct=True))
        .filter(n__gte=2)
    )
    active_orgs = (
        Activity.organisations.through.objects.filter(activity__in=joint.values("pk"))
        .values("organisation_id")
        .distinct()
        .count()
    )
    member_orgs = (
        Membership.objects.filter(partnership_id__in=pids, status="active")
        .values("organisation_id")
        .distinct()
        .count()
    )
    # Partnerships formed this year: the alliance counts those it helped to form.
    formed = Partnership.objects.filter(pk__in=pids, created_at__date__gte=year_start).aggregate(
        recorded=Count("pk"),
        brokered=Count("pk", filter=~Q(brokered_by=BrokeredBy.NONE)),
        by_secretariat=Count("pk", filter=Q(brokered_by=BrokeredBy.SECRETARIAT)),
    )
    # Events held this year, by kind: the work programme's against its targets, the
    # platform's apart.
    held: dict[str, dict[str, int]] = {k: {"programme": 0, "platform": 0} for k in EVENT_TARGETS}
    for row in (
        Activity.objects.filter(
            partnership_id__in=pids,
            kind__in=EVENT_KINDS,
            starts_on__gte=year_start,
            starts_on__lte=today,
        )
        .values("kind", "tier")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        part = "programme" if row["tier"] in WORK_PROGRAMME_TIERS else "platform"
        held[row["kind"]][part] += row["n"]
    # The secretariat's facilitation: facilitated activities running at some time this
    # year (events among them).
    running = (
        Q(status__in=[ActivityStatus.ACTIVE, ActivityStatus.PAUSED, ActivityStatus.COMPLETED])
        & (Q(starts_on__isnull=True) | Q(starts_on__lte=today))
        & (Q(ends_on__isnull=True) | Q(ends_on__gte=year_start))
    )
    facilitated = (
        Activity.objects.filter(partnership_id__in=pids)
        .filter(facilitated_q() & running)
        .aggregate(
            all=Count("pk"),
            events=Count("pk", filter=Q(kind__in=EVENT_KINDS)),
        )
    )
    # Indicators that measure the work programme count; those that measure only platform
    # activities are the members' own, shown apart.
    links = Activity.indicators.through.objects.filter(activity__partnership_id__in=pids)
    programme = links.filter(activity__tier__in=WORK_PROGRAMME_TIERS).values("indicator_id")
    programme_indicators = programme.distinct().count()
    platform_indicators = (
        links.filter(activity__tier=Tier.PLATFORM)
        .exclude(indicator_id__in=programme)
        .values("indicator_id")
        .distinct()
        .count()
    )
    target = AllianceTarget.objects.filter(year=today.year).first()
    labels = dict(ActivityKind.choices)
    events = [
        {
            "kind": kind,
            "label": str(labels[kind]),
            "held": held[kind]["programme"],
            "platform": held[kind]["platform"],
            "target": getattr(target, field) if target else None,
        }
        for kind, field in EVENT_TARGETS.items()
    ]
    return {
        "year": today.year,
        "members_active": active_orgs,
        "members_total": member_orgs,
        "partnerships": len(pids),
        "joint_activities": joint.count(),
        "partnerships_recorded": formed["recorded"],
        "partnerships_brokered": formed["brokered"],
        "brokered_by_secretariat": formed["by_secretariat"],
        "partnerships_brokered_target": target.partnerships_brokered if target else None,
        "events": events,
        "facilitated": facilitated["all"],
        "facilitated_events": facilitated["events"],
        "facilitated_target": target.facilitated if target else None,
        "programme_indicators": programme_indicators,
        "platform_indicators": platform_indicators,
    }
