"""Reading prospects, scorecards, gaps and recommendations.

Every function here runs a fixed number of queries whatever the size of the
directory: filtering, counting and ranking happen in SQL, and only one page
(or a capped list of candidates) is ever brought into Python.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from statistics import median
from typing import Any

from django.core.paginator import Page
from django.db.models import (
    Avg,
    Count,
    FloatField,
    Max,
    Min,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from commonground.core.pagination import CappedPaginator
from commonground.core.sql import capped_counts
from commonground.organisations.models import (
    Organisation,
    ResourceCategory,
    Sector,
    Tag,
    lon_strip,
)
from commonground.organisations.selectors import text_filter
from commonground.partnerships.models import MembershipStatus, Partnership

from .competencies import DESCRIPTORS
from .geo import bounding_box, haversine_km, lon_scale
from .models import (
    DIMENSIONS,
    OPEN_STAGES,
    AssessmentKind,
    Criterion,
    Need,
    Prospect,
    Score,
    SelfAssessment,
    Stage,
)

OfferLink = Organisation.offers.through
NeedLink = Organisation.needs.through

# --- the directory ----------------------------------------------------------------

MAX_RADIUS_KM = 2000


@dataclass
class DirectoryQuery:
    text: str = ""
    sector: str = ""
    offers: str = ""  # a tag slug
    needs: str = ""  # a tag slug
    category: str = ""  # an offered resource category
    lat: float | None = None
    lon: float | None = None
    radius_km: float | None = None

    @property
    def has_place(self) -> bool:
        return self.lat is not None and self.lon is not None and self.radius_km is not None


_COORDS = re.compile(r"^\s*(-?\d{1,2}(?:\.\d+)?)\s*[,;]\s*(-?\d{1,3}(?:\.\d+)?)\s*$")


def place_centre(place: str) -> tuple[float, float] | None:
    """Coordinates for "59.91, 10.75", or the centre of directory entries at a named place."""
    place = place.strip()
    if not place:
        return None
    match = _COORDS.match(place)
    if match:
        lat, lon = float(match.group(1)), float(match.group(2))
        if -90 <= lat <= 90 and -180 <= lon <= 180:
            return lat, lon
        return None
    found = Organisation.objects.filter(
        place_name__iexact=place, latitude__isnull=False, longitude__isnull=False
    ).aggregate(lat=Avg("latitude"), lon=Avg("longitude"))
    if found["lat"] is None:
        return None
    return float(found["lat"]), float(found["lon"])


def _tags_in(categories: list[str]) -> QuerySet[Tag, Any]:
    """Tag ids of some categories, as a subquery. Filtering the link tables by tag id
    (rather than joining the tag for its category) lets SQLite use the tag_id index
    instead of scanning every link: 17 ms → under 1 ms at F=1."""
    return Tag.objects.filter(category__in=categories).values("pk")


def _filtered(q: DirectoryQuery) -> QuerySet[Organisation]:
    """The directory narrowed by everything but the place."""
    # The directory's own text search: a trigram index, bounded however large it grows.
    qs = text_filter(Organisation.objects.all(), q.text)
    if q.sector:
        qs = qs.filter(sector=q.sector)
    if q.offers:
        qs = qs.filter(
            pk__in=OfferLink.objects.filter(
                tag_id__in=Tag.objects.filter(slug=q.offers).values("pk")
            ).values("organisation_id")
        )
    if q.needs:
        qs = qs.filter(
            pk__in=NeedLink.objects.filter(
                tag_id__in=Tag.objects.filter(slug=q.needs).values("pk")
            ).values("organisation_id")
        )
    if q.category:
        qs = qs.filter(
            pk__in=OfferLink.objects.filter(tag_id__in=_tags_in([q.category])).values(
                "organisation_id"
            )
        )
    return qs


# A box touching more strips than this is read by latitude alone.
MAX_STRIPS = 200


def _in_box(
    qs: QuerySet[Organisation], box: tuple[float, float, float, float]
) -> QuerySet[Organisation]:
    """Organisations inside a ``bounding_box``, read strip by strip through the
    (lon_strip, latitude, longitude) index."""
    min_lat, max_lat, min_lon, max_lon = box
    first, last = lon_strip(min_lon), lon_strip(max_lon)
    assert first is not None and last is not None
    strips = {"lon_strip__in": range(first, last + 1)} if last - first < MAX_STRIPS else {}
    # one filter call (one copy of the query): a page tries up to a dozen boxes
    return qs.filter(
        latitude__gte=min_lat,
        latitude__lte=max_lat,
        longitude__gte=min_lon,
        longitude__lte=max_lon,
        **strips,
    )


def _within(q: DirectoryQuery, within_km: float | None = None) -> QuerySet[Organisation]:
    """The filtered directory, inside the place's bounding box if there is one (unsorted
    by distance)."""
    qs = _filtered(q)
    if q.has_place:
        assert q.lat is not None and q.lon is not None and q.radius_km is not None
        qs = _in_box(qs, bounding_box(q.lat, q.lon, within_km or q.radius_km))
    return qs


def directory_search(q: DirectoryQuery, within_km: float | None = None) -> QuerySet[Organisation]:
    """The filtered directory. With a place, a bounding box in SQL and nearest first
    (``within_km`` narrows the box below the asked radius; see ``directory_page``)."""
    qs = _within(q, within_km)
    if q.has_place:
        assert q.lat is not None and q.lon is not None
        # Order by a flat-earth approximation (good enough to sort; exact distance
        # is computed on the page only).
        k = lon_scale(q.lat)
        dlat = Cast("latitude", FloatField()) - Value(q.lat)
        dlon = (Cast("longitude", FloatField()) - Value(q.lon)) * Value(k)
        # Nearest first, then by id: both the box and the order come from the
        # (lon_strip, latitude, longitude) index alone, so a page of ids reads no rows.
        qs = qs.annotate(approx=dlat * dlat + dlon * dlon).order_by("approx", "id")
    else:
        qs = qs.order_by("name", "id")
    return qs.select_related(None)


# The directory counts its matches only up to this many: past it, the page says "more
# than 1,000" and the search has to be narrowed to page further.
COUNT_CAP = 1000

# Radii tried, smallest first, when sorting by distance: 0.25 km, doubled up to the
# asked radius.
NEAREST_FROM_KM = 0.25


def _nearest_radius(q: DirectoryQuery, needed: int) -> float | None:
    """The smallest tried radius whose box surely holds the ``needed`` nearest matches,
    or None when only the whole asked radius does.

    If a circle of radius r (by the flat-earth measure the list is sorted by) holds
    ``needed`` matches, so do the nearest ``needed`` of the whole box, and they lie in
    the box around that circle. The square inside the circle is counted, up to
    ``needed``, for every tried radius in one statement: each count stops after
    ``needed`` index entries, so sorting reads a few hundred rows however dense
    the directory is, rather than every organisation within the asked radius.
    """
    assert q.lat is not None and q.lon is not None and q.radius_km is not None
    radii: list[float] = []
    r = NEAREST_FROM_KM
    while r < q.radius_km:
        radii.append(r)
        r *= 2
    if not radii:
        return None
    base = _filtered(q)
    # The square inside a circle of radius r is the box around one of radius r/√2.
    inner = {str(r): _in_box(base, bounding_box(q.lat, q.lon, r / math.sqrt(2))) for r in radii}
    counts = capped_counts(inner, needed - 1)
    return next((r for r in radii if counts[str(r)] >= needed), None)


@dataclass(slots=True)
class DirectoryRow:
    """An organisation as a row of the directory (or of the recommendations) shows it: a
    few columns and the names of what it offers and needs (lighter to load than the
    model with its tags)."""

    pk: int
    name: str
    slug: str
    sector: str
    sector_label: str
    place_name: str
    latitude: Decimal | None
    longitude: Decimal | None
    offers: list[str] = field(default_factory=list)
    needs: list[str] = field(default_factory=list)
    distance_km: float | None = None


_ROW_COLUMNS = ("pk", "name", "slug", "sector", "place_name", "latitude", "longitude")


def _directory_rows(ids: list[int]) -> list[DirectoryRow]:
    """The rows of these organisations, in this order, with their offers and needs by
    tag name (three queries, as the models with their tags prefetched took)."""
    sectors = {value: str(label) for value, label in Sector.choices}
    by_id = {
        r["pk"]: DirectoryRow(sector_label=sectors.get(r["sector"], r["sector"]), **r)
        for r in Organisation.objects.filter(pk__in=ids).values(*_ROW_COLUMNS)
    }
    for link, attr in ((OfferLink, "offers"), (NeedLink, "needs")):
        for org_id, tag_name in (
            link.objects.filter(organisation_id__in=ids)
            .order_by("tag__name")
            .values_list("organisation_id", "tag__name")
        ):
            getattr(by_id[org_id], attr).append(tag_name)
    return [by_id[pk] for pk in ids if pk in by_id]


def directory_page(
    q: DirectoryQuery, number: Any, per_page: int
) -> tuple[Page, list[DirectoryRow]]:
    """One page of the directory: ids first (from the indexes where they suffice), then
    only that page's organisations with their offers and needs (in page order)."""
    nearest = q.has_place and not q.text
    # Nearest first, the whole radius is only counted (the page's ids come from the
    # smaller box below), so it needs no distance to sort by.
    matches = _within(q) if nearest else directory_search(q)
    page = CappedPaginator(matches.values_list("pk", flat=True), per_page, cap=COUNT_CAP).get_page(
        number
    )
    if nearest and page.end_index():
        # Nearest first: sort only a box just large enough for this page.
        within = _nearest_radius(q, page.end_index())
        ids_qs = directory_search(q, within_km=within).values_list("pk", flat=True)
        page.object_list = list(ids_qs[page.start_index() - 1 : page.end_index()])
    return page, _directory_rows(list(page.object_list))


class NearestFirst:
    """The directory near a place (no search text) for the API's paginator, which
    counts the whole and slices a page: the count is every match within the radius, a
    slice sorts only the box that surely holds it (as ``directory_page`` does), so a
    first page near a dense centre does not sort every organisation in the radius."""

    def __init__(self, q: DirectoryQuery) -> None:
        assert q.has_place and not q.text
        self.q = q

    def all(self) -> NearestFirst:
        return self

    def count(self) -> int:
        return directory_search(self.q).count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, part: slice) -> list[Organisation]:
        if not isinstance(part, slice) or part.step is not None or not part.stop:
            raise TypeError("NearestFirst takes a page slice, [start:stop]")
        within = _nearest_radius(self.q, part.stop)
        return list(directory_search(self.q, within_km=within)[part])


def with_distances(orgs: list[Any], q: DirectoryQuery) -> tuple[list[Any], int]:
    """Attach ``distance_km`` to each organisation on a page; drop those in the box's corners."""
    if not q.has_place:
        for org in orgs:
            org.distance_km = None  # type: ignore[attr-defined]
        return orgs, 0
    kept = []
    for org in orgs:
        d = haversine_km(q.lat, q.lon, org.latitude, org.longitude)  # type: ignore[arg-type]
        org.distance_km = round(d, 1)  # type: ignore[attr-defined]
        if q.radius_km is not None and d <= q.radius_km:
            kept.append(org)
    return kept, len(orgs) - len(kept)


# --- the pipeline -------------------------------------------------------------------

BOARD_CAP = 300


def prospects_of(partnership: Partnership, *, stage: str = "") -> QuerySet[Prospect]:
    qs = Prospect.objects.filter(partnership=partnership).select_related("organisation", "owner")
    if stage:
        qs = qs.filter(stage=stage)
    return qs.order_by("organisation__name", "id")


def board(partnership: Partnership) -> tuple[list[dict[str, Any]], bool]:
    """Columns of the pipeline board (at most BOARD_CAP cards in all). A card is a row
    of the few values it shows (id, organisation's name and sector label, owner's
    name), not a prospect instance with its organisation and owner."""
    rows = list(
        Prospect.objects.filter(partnership=partnership)
        .order_by("organisation__name", "id")
        .values(
            "pk",
            "stage",
            "organisation__name",
            "organisation__sector",
            "owner__display_name",
            "owner__email",
        )[: BOARD_CAP + 1]
    )
    truncated = len(rows) > BOARD_CAP
    sectors = {value: str(label) for value, label in Sector.choices}
    by_stage: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows[:BOARD_CAP]:
        by_stage[r["stage"]].append(
            {
                "pk": r["pk"],
                "stage": r["stage"],
                "name": r["organisation__name"],
                "sector": sectors.get(r["organisation__sector"], r["organisation__sector"]),
                # str(user): the display name, else the email; None without an owner
                "owner": r["owner__display_name"] or r["owner__email"],
            }
        )
    columns = [
        {"stage": value, "label": label, "prospects": by_stage.get(value, [])}
        for value, label in Stage.choices
    ]
    return columns, truncated


def scored_prospects(partnership: Partnership) -> list[dict[str, Any]]:
    """The prospects someone has scored, as the scorecards list them: id, organisation's
    name and stage label (rows of three values, not prospects with their organisation
    and owner)."""
    stages = {value: str(label) for value, label in Stage.choices}
    return [
        {"pk": pk, "name": name, "stage_label": stages.get(stage, stage)}
        for pk, name, stage in Prospect.objects.filter(
            partnership=partnership, scores__isnull=False
        )
        .distinct()
        .order_by("organisation__name", "id")
        .values_list("pk", "organisation__name", "stage")
    ]


def stage_counts(partnership: Partnership) -> dict[str, int]:
    rows = (
        Prospect.objects.filter(partnership=partnership)
        .values("stage")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {r["stage"]: r["n"] for r in rows}


# --- scorecards ---------------------------------------------------------------------

DISAGREEMENT_SPREAD = 2
TWO_PLACES = Decimal("0.01")


def _dec(value: float | Decimal | None) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def weighted_mean(rows: Sequence[tuple[int, float | Decimal]]) -> Decimal | None:
    """Σ weight·mean / Σ weight over criteria that have scores and a weight above zero."""
    total_weight = sum(w for w, _m in rows if w > 0)
    if total_weight == 0:
        return None
    total = Decimal(0)
    for w, m in rows:
        if w > 0:
            total += Decimal(str(m)) * w
    return (total / total_weight).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


@dataclass
class CriterionResult:
    criterion: Criterion
    mean: Decimal | None
    spread: int | None
    count: int
    scores: list[Score] = field(default_factory=list)

    @property
    def disagreement(self) -> bool:
        return self.spread is not None and self.spread >= DISAGREEMENT_SPREAD


@dataclass
class Scorecard:
    rows: list[CriterionResult]
    weighted_mean: Decimal | None
    assessors: list[str]
    max_spread: int | None

    @property
    def disagreements(self) -> list[CriterionResult]:
        return [r for r in self.rows if r.disagreement]


def criteria_of(partnership: Partnership) -> QuerySet[Criterion]:
    return Criterion.objects.filter(partnership=partnership).order_by("position", "id")


def scorecard(prospect: Prospect) -> Scorecard:
    """Per-criterion mean and spread (in SQL), the weighted mean and who scored."""
    criteria = list(criteria_of(prospect.partnership))
    stats = {
        r["criterion_id"]: r
        for r in Score.objects.filter(prospect=prospect)
        .values("criterion_id")
        .annotate(mean=Avg("value"), lo=Min("value"), hi=Max("value"), n=Count("id"))
        .order_by()
    }
    scores = list(
        Score.objects.filter(prospect=prospect)
        .select_related("assessor")
        .order_by("criterion_id", "assessor__display_name", "assessor_id")
    )
    by_criterion: dict[int, list[Score]] = defaultdict(list)
    for s in scores:
        by_criterion[s.criterion_id].append(s)
    rows = []
    for c in criteria:
        st = stats.get(c.pk)
        rows.append(
            CriterionResult(
                criterion=c,
                mean=_dec(st["mean"]) if st else None,
                spread=(st["hi"] - st["lo"]) if st else None,
                count=st["n"] if st else 0,
                scores=by_criterion.get(c.pk, []),
            )
        )
    mean = weighted_mean(
        [(r.criterion.weight, r.mean) for r in rows if r.mean is not None]  # type: ignore[misc]
    )
    assessors = sorted({str(s.assessor) for s in scores})
    spreads = [r.spread for r in rows if r.spread is not None]
    return Scorecard(rows, mean, assessors, max(spreads) if spreads else None)


@dataclass
class ScoreSummary:
    weighted_mean: Decimal | None
    max_spread: int | None
    assessors: list[str]

    @property
    def disagreement(self) -> bool:
        return self.max_spread is not None and self.max_spread >= DISAGREEMENT_SPREAD


def score_summaries(prospect_ids: list[int]) -> dict[int, ScoreSummary]:
    """Weighted mean, largest spread and assessors of many prospects, in two queries."""
    per_criterion = (
        Score.objects.filter(prospect_id__in=prospect_ids)
        .values("prospect_id", "criterion_id", "criterion__weight")
        .annotate(mean=Avg("value"), lo=Min("value"), hi=Max("value"))
        .order_by()
    )
    rows: dict[int, list[tuple[int, float]]] = defaultdict(list)
    spreads: dict[int, int] = {}
    for r in per_criterion:
        rows[r["prospect_id"]].append((r["criterion__weight"], r["mean"]))
        spreads[r["prospect_id"]] = max(spreads.get(r["prospect_id"], 0), r["hi"] - r["lo"])
    who: dict[int, set[str]] = defaultdict(set)
    for a in (
        Score.objects.filter(prospect_id__in=prospect_ids)
        .values("prospect_id", "assessor__display_name", "assessor__email")
        .distinct()
        .order_by()
    ):
        who[a["prospect_id"]].add(a["assessor__display_name"] or a["assessor__email"])
    return {
        pid: ScoreSummary(weighted_mean(rows[pid]), spreads.get(pid), sorted(who[pid]))
        for pid in prospect_ids
        if pid in rows
    }


# --- needs and gaps -----------------------------------------------------------------

KEY_SECTORS = [Sector.PUBLIC, Sector.PRIVATE, Sector.CIVIL, Sector.KNOWLEDGE]


class Coverage:
    COVERED = "covered"
    THIN = "thin"
    UNCOVERED = "uncovered"


def classify(providers: int) -> str:
    """Two or more member organisations offer it: covered; one: thin; none: uncovered."""
    if providers >= 2:
        return Coverage.COVERED
    if providers == 1:
        return Coverage.THIN
    return Coverage.UNCOVERED


@dataclass
class NeedRow:
    need: Need
    providers: list[str]
    pipeline: list[str]
    status: str


@dataclass
class GapAnalysis:
    rows: list[NeedRow]
    sector_mix: list[dict[str, Any]]
    missing_sectors: list[tuple[str, str]]

    def categories(self, status: str) -> list[str]:
        return [r.need.category for r in self.rows if r.status == status]


def _offers_by_category(link_filter: Q) -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for r in (
        OfferLink.objects.filter(link_filter)
        .values("tag__category", "organisation__name")
        .distinct()
        .order_by()
    ):
        out[r["tag__category"]].add(r["organisation__name"])
    return out


def active_member_filter(partnership: Partnership, prefix: str = "") -> Q:
    return Q(
        **{
            f"{prefix}memberships__partnership": partnership,
            f"{prefix}memberships__status": MembershipStatus.ACTIVE,
        }
    )


def gap_analysis(partnership: Partnership, *, with_pipeline: bool = True) -> GapAnalysis:
    """Match the needs against what active members (and open prospects) offer.

    ``with_pipeline=False`` skips the prospects' offers (one query less, for the home panel).
    """
    needs = list(Need.objects.filter(partnership=partnership).order_by("priority", "category"))
    if not needs:
        members: dict[str, set[str]] = {}
        pipeline: dict[str, set[str]] = {}
    else:
        members = _offers_by_category(active_member_filter(partnership, "organisation__"))
        pipeline = (
            _offers_by_category(
                Q(
                    organisation__prospect_records__partnership=partnership,
                    organisation__prospect_records__stage__in=OPEN_STAGES,
                )
            )
            if with_pipeline
            else {}
        )
    rows = []
    for need in needs:
        providers = sorted(members.get(need.category, set()))
        rows.append(
            NeedRow(
                need=need,
                providers=providers,
                pipeline=sorted(pipeline.get(need.category, set()) - set(providers)),
                status=classify(len(providers)),
            )
        )
    counts = {
        r["sector"]: r["n"]
        for r in Organisation.objects.filter(active_member_filter(partnership))
        .values("sector")
        .annotate(n=Count("id"))
        .order_by()
    }
    sector_mix = [
        {"sector": value, "label": label, "count": counts.get(value, 0)}
        for value, label in Sector.choices
    ]
    missing = [(s.value, str(s.label)) for s in KEY_SECTORS if counts.get(s.value, 0) == 0]
    return GapAnalysis(rows, sector_mix, missing)


# --- recommendations ----------------------------------------------------------------

# Candidates are drawn from four pools of at most POOL_SIZE organisations each: those
# offering an uncovered need from a missing sector, any offering an uncovered need, and
# the same two for thin needs. Each pool is a LIMIT in SQL over the offer links of the
# needed categories, so the work does not grow with the directory.
POOL_SIZE = 50
UNCOVERED_POINTS = 10
THIN_POINTS = 4
SECTOR_POINTS = 5
DISTANCE_POINTS = [(5.0, 3), (25.0, 2), (100.0, 1)]


def distance_points(km: float | None) -> int:
    if km is None:
        return 0
    for limit, points in DISTANCE_POINTS:
        if km <= limit:
            return points
    return 0


@dataclass
class Recommendation:
    organisation: DirectoryRow
    score: int
    reasons: list[str]
    distance_km: float | None
    fills: list[str]

    @property
    def explanation(self) -> str:
        return "; ".join(self.reasons)


def partnership_centre(partnership: Partnership) -> tuple[float, float] | None:
    """The median position of the active members that have coordinates (one far-away
    member, e.g. a Nordic network, does not drag the centre out of town)."""
    points: list[tuple[Decimal, Decimal]] = list(
        Organisation.objects.filter(
            active_member_filter(partnership), latitude__isnull=False, longitude__isnull=False
        ).values_list("latitude", "longitude")  # type: ignore[arg-type]
    )
    if not points:
        return None
    return float(median(p[0] for p in points)), float(median(p[1] for p in points))


def _candidate_pools(
    partnership: Partnership, uncovered: list[str], thin: list[str], missing: list[str]
) -> Q:
    """Organisations not yet known to the partnership, from the four pools (as one
    condition of subqueries, so loading the candidates is a single query)."""
    # Anyone with a membership record (active, invited, left) is already known to us.
    members = Organisation.objects.filter(memberships__partnership=partnership).values("pk")
    in_pipeline = Prospect.objects.filter(partnership=partnership).values("organisation_id")
    condition = Q()
    # The needed tags' ids as a list (one query of a small table): given a subquery,
    # PostgreSQL joined the tags to the offer links in table order and read 200,000
    # links at F=10 before a pool was full; with the ids it reads the tag_id index.
    tag_ids: dict[str, list[int]] = defaultdict(list)
    if uncovered or thin:
        for pk, category in Tag.objects.filter(category__in=[*uncovered, *thin]).values_list(
            "pk", "category"
        ):
            tag_ids[category].append(pk)
    for categories in (uncovered, thin):
        if not categories:
            continue
        offering = (
            OfferLink.objects.filter(tag_id__in=[t for c in categories for t in tag_ids[c]])
            .exclude(organisation_id__in=members)
            .exclude(organisation_id__in=in_pipeline)
            .order_by()
        )
        if missing:
            in_sector = offering.filter(organisation__sector__in=missing)
            condition |= Q(pk__in=in_sector.values("organisation_id")[:POOL_SIZE])
        condition |= Q(pk__in=offering.values("organisation_id")[:POOL_SIZE])
    return condition


def recommendations(
    partnership: Partnership, gaps: GapAnalysis | None = None
) -> list[Recommendation]:
    """Directory organisations that would fill uncovered or thin needs, best first.

    Candidates come from the four pools of ``_candidate_pools`` (at most
    4 × POOL_SIZE organisations); then each gets a deterministic score from all
    it offers: 10 points per uncovered need category it offers, 4 per thin one,
    5 if its sector is missing from the partnership, and up to 3 for being near
    the members' centre. Ties go to the nearer, then alphabetical.
    """
    gaps = gaps or gap_analysis(partnership)
    uncovered = gaps.categories(Coverage.UNCOVERED)
    thin = gaps.categories(Coverage.THIN)
    if not uncovered and not thin:
        return []
    missing = [value for value, _label in gaps.missing_sectors]
    sector_labels = {value: str(label) for value, label in Sector.choices}
    category_labels = {value: str(label) for value, label in ResourceCategory.choices}
    centre = partnership_centre(partnership)
    # Rows of a few columns and (category, name) pairs, not model instances: a pool of
    # 200 candidates with their tags cost a third of the page.
    candidates = [
        DirectoryRow(sector_label=sector_labels.get(r["sector"], r["sector"]), **r)
        for r in Organisation.objects.filter(
            _candidate_pools(partnership, uncovered, thin, missing)
        ).values(*_ROW_COLUMNS)
    ]
    offers: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    if candidates:
        for org_id, category, name in OfferLink.objects.filter(
            organisation_id__in=[c.pk for c in candidates]
        ).values_list("organisation_id", "tag__category", "tag__name"):
            offers[org_id][category].append(name)
    # The sentences, translated once rather than once per candidate.
    fills_uncovered = _("offers %(what)s (%(category)s: no partner has it yet)")
    fills_thin = _("offers %(what)s (%(category)s: only one partner has it)")
    sector_missing = _("%(sector)s sector missing")
    km_away = _("%(km)s km away")
    results = []
    for org in candidates:
        reasons: list[str] = []
        fills: list[str] = []
        score = 0
        offered = offers[org.pk]
        for cat in uncovered:
            if cat in offered:
                score += UNCOVERED_POINTS
                fills.append(cat)
                reasons.append(
                    fills_uncovered
                    % {"what": ", ".join(sorted(offered[cat])), "category": category_labels[cat]}
                )
        for cat in thin:
            if cat in offered:
                score += THIN_POINTS
                fills.append(cat)
                reasons.append(
                    fills_thin
                    % {"what": ", ".join(sorted(offered[cat])), "category": category_labels[cat]}
                )
        if org.sector in missing:
            score += SECTOR_POINTS
            reasons.append(sector_missing % {"sector": sector_labels[org.sector]})
        distance = None
        if centre is not None and org.latitude is not None and org.longitude is not None:
            distance = round(haversine_km(centre[0], centre[1], org.latitude, org.longitude), 1)
            points = distance_points(distance)
            score += points
            reasons.append(km_away % {"km": f"{distance:.0f}"})
        results.append(Recommendation(org, score, reasons, distance, fills))
    results.sort(
        key=lambda r: (
            -r.score,
            r.distance_km if r.distance_km is not None else float("inf"),
            r.organisation.name,
            r.organisation.pk,
        )
    )
    return results


# --- self-assessments ---------------------------------------------------------------


def self_assessment_profiles(partnership: Partnership) -> list[dict[str, Any]]:
    """Average of each dimension per kind (in SQL), ready for a chart and a table."""
    profiles = []
    for kind, label in AssessmentKind.choices:
        agg = SelfAssessment.objects.filter(partnership=partnership, kind=kind).aggregate(
            n=Count("id"),
            a1=Avg("score_1"),
            a2=Avg("score_2"),
            a3=Avg("score_3"),
            a4=Avg("score_4"),
        )
        dims = [str(d) for d in DIMENSIONS[AssessmentKind(kind)]]
        averages = [_dec(agg[f"a{i}"]) for i in range(1, 5)]
        profiles.append(
            {
                "kind": kind,
                "label": str(label),
                "count": agg["n"],
                "rows": list(zip(dims, averages, strict=True)),
                # Each dimension with its average and what it means, for the table.
                "described": [
                    {"dimension": d, "average": a, "means": str(m)}
                    for d, a, m in zip(
                        dims, averages, DESCRIPTORS[AssessmentKind(kind)], strict=True
                    )
                ],
                "chart": {
                    "dimensions": dims,
                    "values": [float(a) if a is not None else 0 for a in averages],
                },
            }
        )
    return profiles
