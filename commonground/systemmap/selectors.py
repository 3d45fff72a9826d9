"""Reading the system map, the survey results and the preparation tools.

Which organisations a person sees on the map
-------------------------------------------
Only partnerships the person may see (``systemmap.view``) contribute anything.
Within them, the visible organisations are: every organisation with a
membership (any status, as on the members page), every organisation for which
someone holds an active role, and both ends of every relationship recorded in
those partnerships (entered by hand or derived from their survey). An edge is
shown only when it belongs to one of those partnerships *and* both of its ends
are visible, so nothing recorded in another partnership — not even the
existence of a tie between two organisations the person knows — leaks out.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Case, Count, Q, QuerySet, Sum, Value, When
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext as _

from commonground.core.audit import cached_until_any_change, cached_while_unchanged
from commonground.organisations.models import Organisation, Sector
from commonground.partnerships.models import Membership, Partnership, Role

from . import edges as edge_registry
from . import graph
from .edges import Edge, org_node, partnership_node
from .models import (
    PrepTool,
    PrepToolVersion,
    Relationship,
    RelationshipKind,
    ServiceType,
    Survey,
    SurveyFunder,
    SurveyInvitation,
    SurveyProgramme,
    SurveyResponse,
    TieCount,
)


@dataclass
class NetworkFilters:
    sectors: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=edge_registry.default_kinds)
    start: datetime.date | None = None
    end: datetime.date | None = None
    path_from: int | None = None
    path_to: int | None = None


def _in(values: list[Any]) -> str:
    return ", ".join(["%s"] * len(values))


def _scope_rows(partnership_ids: list[int], filters: NetworkFilters) -> tuple[str, list[Any]]:
    """SQL for one row ``(org_id, w)`` per tie that makes an organisation visible.

    Visible: a membership (any status), an active role, or an end of a relationship
    recorded in these partnerships. ``w`` is 1 for a tie the map would draw with
    these filters (a relationship of a chosen kind, or a membership as "member of",
    in the period) and 0 otherwise, so ``SUM(w)`` ranks organisations by how
    connected they are, in SQL.
    """
    from commonground.partnerships.models import MembershipStatus

    rel = Relationship._meta.db_table
    mem = Membership._meta.db_table
    role = Role._meta.db_table
    ops = connection.ops
    pin = _in(partnership_ids)
    rel_kinds = [k for k in filters.kinds if k in RelationshipKind.values]
    rel_w = "0"
    rel_params: list[Any] = []
    if rel_kinds:
        cond = [f"r.kind IN ({_in(rel_kinds)})"]
        rel_params = list(rel_kinds)
        if filters.start is not None:
            cond.append("(r.ended_on IS NULL OR r.ended_on >= %s)")
            rel_params.append(ops.adapt_datefield_value(filters.start))
        if filters.end is not None:
            cond.append("(r.started_on IS NULL OR r.started_on <= %s)")
            rel_params.append(ops.adapt_datefield_value(filters.end))
        rel_w = f"CASE WHEN {' AND '.join(cond)} THEN 1 ELSE 0 END"
    mem_w = "0"
    mem_params: list[Any] = []
    if RelationshipKind.MEMBER_OF in filters.kinds:
        cond = ["m.status IN (%s, %s)"]
        mem_params = [MembershipStatus.ACTIVE.value, MembershipStatus.LEFT.value]
        if filters.start is not None:
            cond.append("(m.status <> %s OR m.left_on IS NULL OR m.left_on >= %s)")
            mem_params += [MembershipStatus.LEFT.value, ops.adapt_datefield_value(filters.start)]
        if filters.end is not None:
            cond.append("(m.joined_on IS NULL OR m.joined_on <= %s)")
            mem_params.append(ops.adapt_datefield_value(filters.end))
        mem_w = f"CASE WHEN {' AND '.join(cond)} THEN 1 ELSE 0 END"
    # Only table names and placeholders are put into the SQL text; every value is a
    # parameter (here and in the queries built on it below).
    if filters.start is None and filters.end is None:
        # Without a period, the relationships are read from their counts per
        # organisation and kind (TieCount): a few rows per organisation, however many
        # relationships there are.
        ties = TieCount._meta.db_table
        tie_w = "0"
        if rel_kinds:
            tie_w = f"CASE WHEN r.kind IN ({_in(rel_kinds)}) THEN r.ties ELSE 0 END"
        rel_sql = f"SELECT r.organisation_id AS org_id, {tie_w} AS w FROM {ties} r WHERE r.partnership_id IN ({pin})"  # noqa: S608
        rel_all = [*rel_kinds, *partnership_ids]
    else:
        rel_sql = (
            f"SELECT r.source_id AS org_id, {rel_w} AS w FROM {rel} r WHERE r.partnership_id IN ({pin})"  # noqa: S608
            f" UNION ALL SELECT r.target_id, {rel_w} FROM {rel} r WHERE r.partnership_id IN ({pin})"
        )
        rel_all = [*rel_params, *partnership_ids, *rel_params, *partnership_ids]
    sql = (
        f"{rel_sql} UNION ALL SELECT m.organisation_id, {mem_w} FROM {mem} m"  # noqa: S608
        f" WHERE m.partnership_id IN ({pin})"
        f" UNION ALL SELECT o.organisation_id, 0 FROM {role} o WHERE o.partnership_id IN ({pin})"
        " AND o.ended_on IS NULL AND o.organisation_id IS NOT NULL"
    )
    params = [*rel_all, *mem_params, *partnership_ids, *partnership_ids]
    return sql, params


def _in_scope(partnership_ids: list[int]) -> RawSQL:
    """The visible organisations' ids as a subquery, for ``pk__in``."""
    scope, params = _scope_rows(partnership_ids, NetworkFilters(kinds=[]))
    return RawSQL(f"SELECT u.org_id FROM ({scope}) u", params)  # noqa: S608, S611


def visible_org_ids(partnership_ids: list[int]) -> set[int]:
    """Organisations that may appear on a map of these partnerships (one query; for
    tests and small scopes: the map itself never loads them all)."""
    if not partnership_ids:
        return set()
    sql, params = _scope_rows(partnership_ids, NetworkFilters(kinds=[]))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT DISTINCT u.org_id FROM ({sql}) u", params)  # noqa: S608
        return {row[0] for row in cursor.fetchall()}


def _ranked_organisations(
    partnership_ids: list[int], filters: NetworkFilters, limit: int
) -> tuple[list[dict[str, Any]], int, set[str]]:
    """The ``limit`` most connected visible organisations (of the chosen sectors), how
    many visible organisations there are in all, and the sectors present (one query,
    however many organisations the partnerships have)."""
    if not partnership_ids:
        return [], 0, set()
    scope, params = _scope_rows(partnership_ids, filters)
    org = Organisation._meta.db_table
    sector_join, sector_params = "", []
    if filters.sectors:
        sector_join = (
            f" INNER JOIN {org} f ON f.id = s.org_id AND f.sector IN ({_in(filters.sectors)})"
        )
        sector_params = list(filters.sectors)
    # The organisations' scores are worked out once for both answers: the ranked rows,
    # then one row (with only its sector) per sector present among all of them.
    sql = (
        f"WITH scored AS (SELECT u.org_id AS org_id, SUM(u.w) AS score FROM ({scope}) u"  # noqa: S608
        " GROUP BY u.org_id)"
        " SELECT t.org_id, t.score, t.total, o.name, o.slug, o.sector FROM ("
        "SELECT s.org_id AS org_id, s.score AS score, COUNT(*) OVER () AS total"
        f" FROM scored s{sector_join} ORDER BY s.score DESC, s.org_id LIMIT %s"
        f") t INNER JOIN {org} o ON o.id = t.org_id"
        " UNION ALL SELECT NULL, NULL, NULL, NULL, NULL, p.sector FROM (SELECT DISTINCT"
        f" o.sector AS sector FROM scored s INNER JOIN {org} o ON o.id = s.org_id) p"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *sector_params, limit])
        found = cursor.fetchall()
    rows = [row for row in found if row[0] is not None]
    present = {row[5] for row in found if row[0] is None}
    total = rows[0][2] if rows else 0
    ranked = [
        {"pk": pk, "score": score, "name": name, "slug": slug, "sector": sector}
        for pk, score, _total, name, slug, sector in rows
    ]
    return ranked, total, present


def find_on_map(partnerships: list[Partnership], text: str, limit: int = 10) -> list[Organisation]:
    """Visible organisations whose name contains ``text`` (for the path search), exact
    matches first; at most ``limit`` (one query)."""
    text = text.strip()
    partnership_ids = [p.pk for p in partnerships]
    if not text or not partnership_ids:
        return []
    return list(
        Organisation.objects.filter(name__icontains=text)
        .filter(pk__in=_in_scope(partnership_ids))
        .annotate(exact=Case(When(name__iexact=text, then=Value(0)), default=Value(1)))
        .only("pk", "name", "slug", "sector")
        .order_by("exact", "name", "pk")[:limit]
    )


@dataclass
class Network:
    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    central: list[dict[str, Any]]
    # None when the map is capped: who is isolated cannot be told from part of the map.
    isolated: list[dict[str, Any]] | None
    missing_sectors: list[str]
    organisation_total: int  # visible organisations of the chosen sectors
    organisation_shown: int
    node_limit: int
    edge_limit: int
    edges_capped: bool = False
    path: list[dict[str, Any]] | None = None
    path_asked: bool = False

    @property
    def capped(self) -> bool:
        return self.organisation_shown < self.organisation_total

    def chart_data(self) -> dict[str, Any]:
        sectors = [{"code": code, "name": str(label)} for code, label in Sector.choices]
        sectors.append({"code": "partnership", "name": _("Partnership")})
        return {
            "categories": sectors,
            "nodes": [
                {
                    "id": n["id"],
                    "name": n["name"],
                    "category": n["sector"],
                    "degree": n["degree"],
                    "betweenness": n["betweenness"],
                    "on_path": n.get("on_path", False),
                }
                for n in self.nodes
            ],
            "links": [
                {
                    "source": e["source"],
                    "target": e["target"],
                    "label": e["label"],
                    "kind": e["kind"],
                    "dashed": e["origin"] != "entered" and e["origin"] != "survey",
                }
                for e in self.edges
            ],
        }


def _edge_row(edge: Edge, names: dict[str, str], labels: dict[str, str]) -> dict[str, Any]:
    label = labels.get(edge.kind)
    if label is None:
        label = labels[edge.kind] = str(edge_registry.kind_label(edge.kind))
    if edge.note:
        label = f"{label}: {edge.note}"
    return {
        "source": edge.source,
        "target": edge.target,
        "source_name": names[edge.source],
        "target_name": names[edge.target],
        "kind": edge.kind,
        "label": label,
        "origin": edge.origin,
        "started_on": edge.started_on,
        "ended_on": edge.ended_on,
        "confidence": edge.confidence,
        "evidence": edge.evidence,
        "pk": edge.pk,
    }


# A map shows at most NODE_LIMIT organisations (the most connected) and at most
# EDGE_LIMIT edges from each edge provider, so a page costs the same however many
# organisations and relationships the partnerships hold (and stays readable).
NODE_LIMIT = 100
EDGE_LIMIT = 300
# Betweenness is exact up to this many nodes; above, an estimate from this many
# evenly spread sources.
BETWEENNESS_PIVOTS = 60


def remembered_network(partnerships: list[Partnership], filters: NetworkFilters) -> Network:
    """``network``, kept until the next change to what it draws: for one partnership,
    until that partnership's next change; across partnerships, until the next change
    anywhere (or five minutes, for changes that write no audit event)."""
    parts = [
        hashlib.sha256(repr((sorted(p.pk for p in partnerships), filters)).encode()).hexdigest()[
            :32
        ]
    ]

    def build() -> Network:
        return network(partnerships=partnerships, filters=filters)

    if len(partnerships) == 1:
        return cached_while_unchanged(partnerships[0], "system-map", parts, build)
    return cached_until_any_change("system-map", parts, build)


def network(
    *,
    partnerships: list[Partnership],
    filters: NetworkFilters | None = None,
    node_limit: int | None = None,
    edge_limit: int | None = None,
) -> Network:
    """The map of the given (already permission-checked) partnerships.

    A fixed number of queries, and bounded work, whatever the number of
    organisations and edges: the organisations are ranked in SQL by their ties
    (relationships of the chosen kinds and memberships) and only the
    ``node_limit`` first are drawn, with the edges among them (at most
    ``edge_limit`` per provider). Degree, betweenness and paths are measured on
    the graph drawn; the two ends of an asked path are always drawn.
    """
    filters = filters or NetworkFilters()
    node_limit = node_limit or NODE_LIMIT
    edge_limit = edge_limit or EDGE_LIMIT
    partnership_ids = [p.pk for p in partnerships]
    ranked, total, present = _ranked_organisations(partnership_ids, filters, node_limit)
    shown_count = len(ranked)
    ends = {pk for pk in (filters.path_from, filters.path_to) if pk}
    missing_ends = ends - {r["pk"] for r in ranked}
    if missing_ends and partnership_ids:
        extra = Organisation.objects.filter(pk__in=missing_ends).filter(
            pk__in=_in_scope(partnership_ids)
        )
        if filters.sectors:
            extra = extra.filter(sector__in=filters.sectors)
        ranked += [
            {"pk": o.pk, "score": 0, "name": o.name, "slug": o.slug, "sector": o.sector}
            for o in extra.only("pk", "name", "slug", "sector")
        ]
    # Translated once here rather than in every row of the page's tables.
    sector_labels = {code: str(label) for code, label in Sector.choices}
    shown_orgs: list[dict[str, Any]] = [
        {
            "id": org_node(r["pk"]),
            "pk": r["pk"],
            "name": r["name"],
            "slug": r["slug"],
            "sector": r["sector"],
            "sector_label": sector_labels.get(r["sector"], r["sector"]),
            "is_org": True,
        }
        for r in sorted(ranked, key=lambda r: (r["name"], r["pk"]))
    ]
    missing = [str(label) for code, label in Sector.choices if code not in present]
    hubs: list[dict[str, Any]] = [
        {
            "id": partnership_node(p.pk),
            "pk": p.pk,
            "name": p.name,
            "slug": p.slug,
            "sector": "partnership",
            "sector_label": _("Partnership"),
            "is_org": False,
        }
        for p in partnerships
    ]
    nodes = shown_orgs + hubs
    names: dict[str, str] = {n["id"]: n["name"] for n in nodes}
    edges, edges_capped = edge_registry.collect(
        partnership_ids,
        {n["pk"] for n in shown_orgs},
        set(filters.kinds),
        start=filters.start,
        end=filters.end,
        limit=edge_limit,
    )
    # Hubs with no edge left (e.g. "member of" filtered out) are dropped.
    touched = {e.source for e in edges} | {e.target for e in edges}
    nodes = [n for n in nodes if n["is_org"] or n["id"] in touched]
    adj = graph.adjacency([n["id"] for n in nodes], [(e.source, e.target) for e in edges])
    deg = graph.degree(adj)
    btw = graph.remembered_betweenness(
        adj, pivots=BETWEENNESS_PIVOTS if len(adj) > BETWEENNESS_PIVOTS else None
    )
    for n in nodes:
        n["degree"] = deg[n["id"]]
        n["betweenness"] = round(btw[n["id"]], 2)
    org_nodes = [n for n in nodes if n["is_org"]]
    labels: dict[str, str] = {}
    central = sorted(
        (n for n in org_nodes if n["degree"] > 0),
        key=lambda n: (-n["betweenness"], -n["degree"], n["name"]),
    )[:10]
    isolated = None
    if shown_count >= total:
        org_ties = {
            end
            for e in edges
            if e.source.startswith("o:") and e.target.startswith("o:")
            for end in (e.source, e.target)
        }
        isolated = [n for n in org_nodes if n["id"] not in org_ties]
    result = Network(
        nodes=sorted(nodes, key=lambda n: (-n["degree"], n["name"])),
        edges=sorted(
            (_edge_row(e, names, labels) for e in edges),
            key=lambda r: (r["source_name"], r["label"], r["target_name"]),
        ),
        central=central,
        isolated=isolated,
        missing_sectors=missing,
        organisation_total=total,
        organisation_shown=shown_count,
        node_limit=node_limit,
        edge_limit=edge_limit,
        edges_capped=edges_capped,
    )
    if filters.path_from and filters.path_to:
        result.path_asked = True
        ids = graph.shortest_path(adj, org_node(filters.path_from), org_node(filters.path_to))
        if ids is not None:
            result.path = _path_steps(ids, edges, names)
            on_path = set(ids)
            for n in nodes:
                n["on_path"] = n["id"] in on_path
    return result


# The map across partnerships covers at most this many of the person's partnerships.
PARTNERSHIP_LIMIT = 20


def partnerships_to_map(user: Any, name: str = "") -> tuple[list[Partnership], int]:
    """The partnerships for the map across partnerships: the first PARTNERSHIP_LIMIT by
    name of those the person may see (whose name contains ``name``, if given), and how
    many there are in all (two queries)."""
    from commonground.core import policy

    from . import rules

    qs = Partnership.objects.filter(pk__in=policy.partnerships_with(user, rules.VIEW).values("pk"))
    if name.strip():
        qs = qs.filter(name__icontains=name.strip())
    total = qs.count()
    # Only what the map shows of them: sorting whole rows of every partnership costs more.
    first = qs.only("pk", "name", "slug").order_by("name", "id")[:PARTNERSHIP_LIMIT]
    return list(first), total


def _path_steps(ids: list[str], edges: list[Edge], names: dict[str, str]) -> list[dict[str, Any]]:
    """Each node on the path with the tie that leads to the next one."""
    ties: dict[frozenset[str], Edge] = {}
    for e in edges:
        ties.setdefault(frozenset((e.source, e.target)), e)
    steps = []
    for i, node in enumerate(ids):
        step: dict[str, Any] = {"id": node, "name": names[node], "via": None, "reverse": False}
        if i + 1 < len(ids):
            edge = ties[frozenset((node, ids[i + 1]))]
            step["via"] = str(edge_registry.kind_label(edge.kind))
            # The tie may run from the next organisation to this one ("is funded by").
            step["reverse"] = edge.source != node
        steps.append(step)
    return steps


# --- relationships ------------------------------------------------------------------


def relationships_of(partnership: Partnership) -> QuerySet[Relationship]:
    """Newest recorded first: the order comes from an index, so a page reads only its rows
    (sorting by organisation name meant sorting every relationship for each page)."""
    return partnership.relationships.select_related("source", "target", "created_by").order_by(
        "-created_at", "-id"
    )


# --- survey -------------------------------------------------------------------------


def surveys_of(partnership: Partnership) -> QuerySet[Survey]:
    return partnership.surveys.annotate(
        n_invited=Count("invitations", distinct=True),
        n_answered=Count("responses", distinct=True),
    ).order_by("-created_at", "-id")


def invitations_of(survey: Survey) -> QuerySet[SurveyInvitation]:
    return survey.invitations.select_related("organisation").order_by("-created_at", "-id")


def responses_of(survey_ids: list[int]) -> QuerySet[SurveyResponse]:
    return (
        SurveyResponse.objects.filter(survey_id__in=survey_ids)
        .select_related("organisation", "survey")
        .prefetch_related("programmes", "funders__funder", "referrals__partner")
        .order_by("organisation__name", "id")
    )


def survey_summary(survey_ids: list[int]) -> dict[str, Any]:
    """Capacity and gaps by service type, aggregated in SQL."""
    rows = {
        r["service_type"]: r
        for r in SurveyProgramme.objects.filter(response__survey_id__in=survey_ids)
        .values("service_type")
        .annotate(
            programmes=Count("id"),
            organisations=Count("response__organisation", distinct=True),
            capacity=Sum("capacity"),
            participants=Sum("participants_per_year"),
        )
    }
    by_type = []
    for code, label in ServiceType.choices:
        r = rows.get(code)
        by_type.append(
            {
                "code": code,
                "label": label,
                "programmes": r["programmes"] if r else 0,
                "organisations": r["organisations"] if r else 0,
                "capacity": (r["capacity"] or 0) if r else 0,
                "participants": (r["participants"] or 0) if r else 0,
                "gap": r is None,
            }
        )
    responses = SurveyResponse.objects.filter(survey_id__in=survey_ids)
    counts = responses.aggregate(
        answered=Count("id"),
        role_differs=Count("id", filter=~Q(actual_role="") & ~Q(funded_role="")),
    )
    funders = (
        SurveyFunder.objects.filter(response__survey_id__in=survey_ids)
        .values("funder__name")
        .annotate(n=Count("response", distinct=True))
        .order_by("-n", "funder__name")
    )
    return {
        "by_type": by_type,
        "gaps": [t["label"] for t in by_type if t["gap"] and t["code"] != "other"],
        "answered": counts["answered"],
        "funders": list(funders),
        "total_capacity": sum(t["capacity"] for t in by_type),
        "total_participants": sum(t["participants"] for t in by_type),
    }


# --- preparation tools --------------------------------------------------------------


def prep_current(partnership: Partnership) -> dict[str, PrepToolVersion | None]:
    """The newest version of each tool (one query)."""
    current: dict[str, PrepToolVersion | None] = dict.fromkeys(PrepTool.values)
    for v in partnership.prep_tool_versions.select_related("created_by").order_by(
        "tool", "-version"
    ):
        if current.get(v.tool) is None:
            current[v.tool] = v
    return current


def prep_history(partnership: Partnership, tool: str) -> QuerySet[PrepToolVersion]:
    return partnership.prep_tool_versions.filter(tool=tool).select_related("created_by")


# The self-rating is asked again after this long, and whenever the phase has changed.
RATE_AGAIN_AFTER = datetime.timedelta(days=90)


def rating_trend(partnership: Partnership) -> dict[str, Any] | None:
    """The self-ratings (0 = nothing done yet, 10 = the problem is solved) oldest first,
    the change from the first to the newest, and whether it is time to rate again:
    ``due`` is "phase" when the newest rating was given in another phase, "age" when it
    is older than ``RATE_AGAIN_AFTER``, else None. None when nobody has rated yet."""
    rows = list(
        partnership.prep_tool_versions.filter(tool=PrepTool.SELF_RATING)
        .order_by("version")
        .values("content", "created_at")
    )
    if not rows:
        return None
    latest = rows[-1]
    due = None
    asked_in = latest["content"].get("phase")
    if asked_in and asked_in != partnership.phase:
        due = "phase"
    elif timezone.now() - latest["created_at"] > RATE_AGAIN_AFTER:
        due = "age"
    first_rating = rows[0]["content"].get("rating")
    latest_rating = latest["content"].get("rating")
    return {
        "ratings": [r["content"].get("rating") for r in rows],
        "first": first_rating,
        "latest": latest_rating,
        "latest_content": latest["content"],
        "latest_on": latest["created_at"].date(),
        "change": (latest_rating or 0) - (first_rating or 0),
        "due": due,
    }
