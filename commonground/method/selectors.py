"""Reads for the method pages: a few queries per page, aggregates in SQL."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Avg, Count, Max, Min, Q, QuerySet

from commonground.core.evidence import Evidence, evidence_for
from commonground.partnerships.models import Partnership, Role, RoleKind

from .content import Phase, method
from .models import (
    ChecklistTick,
    DesignElementRecord,
    DesignElementVersion,
    ElementStatus,
    MilestoneReview,
    PhaseMove,
    PhaseState,
    ProblemCycle,
    ProfileChoice,
    SpectrumRating,
    StepNote,
    TrustStageEntry,
)


def phase_states(partnership: Partnership) -> dict[str, PhaseState]:
    return {
        s.phase: s
        for s in PhaseState.objects.filter(
            partnership=partnership, completed_at__isnull=False
        ).select_related("completed_by")
    }


def ticks(partnership: Partnership, phase: str | None = None) -> dict[str, ChecklistTick]:
    qs = ChecklistTick.objects.filter(partnership=partnership).select_related("ticked_by")
    if phase:
        qs = qs.filter(phase=phase)
    return {t.item_key: t for t in qs}


def _status(partnership: Partnership, phase: Phase, completed: dict[str, Any]) -> str:
    content = method()
    if phase.code in completed:
        return "completed"
    if phase.code == partnership.phase:
        return "current"
    if content.phase_index(phase.code) < content.phase_index(partnership.phase):
        return "reopened"
    return "future"


def _item_rows(
    items: list[Any], tick_map: dict[str, ChecklistTick], evidence: dict[str, Evidence | None]
) -> list[dict[str, Any]]:
    """Each item with how it is done: a bound item by its evidence (never by a tick),
    any other by a person's tick."""
    rows = []
    for item in items:
        if item.key in evidence:
            found = evidence[item.key]
            rows.append(
                {
                    "item": item,
                    "bound": True,
                    "evidence": found,
                    "tick": None,
                    "done": found is not None and found.met,
                }
            )
        else:
            tick = tick_map.get(item.key)
            rows.append(
                {"item": item, "bound": False, "evidence": None, "tick": tick, "done": bool(tick)}
            )
    return rows


def progress(partnership: Partnership) -> list[dict[str, Any]]:
    """Every phase with its status and how many checklist items are done (ticked by
    hand, or shown by the records for the items bound to evidence)."""
    completed = phase_states(partnership)
    tick_map = ticks(partnership)
    phases = method().phases
    evidence = evidence_for(
        partnership,
        [i.key for phase in phases for step in phase.steps for i in step.checklist],
        remember=True,
    )
    rows = []
    for phase in phases:
        items = _item_rows(list(phase.items), tick_map, evidence)
        total = len(items)
        done = sum(1 for r in items if r["done"])
        rows.append(
            {
                "phase": phase,
                "status": _status(partnership, phase, completed),
                "state": completed.get(phase.code),
                "done": done,
                "total": total,
                "percent": round(100 * done / total) if total else 0,
            }
        )
    return rows


def phase_detail(partnership: Partnership, phase: Phase) -> list[dict[str, Any]]:
    """The phase's steps, each with its items (done by tick or by evidence) and the
    step note."""
    tick_map = ticks(partnership, phase.code)
    evidence = evidence_for(partnership, [i.key for step in phase.steps for i in step.checklist])
    notes = {
        n.step_key: n
        for n in StepNote.objects.filter(
            partnership=partnership, step_key__startswith=f"{phase.code}."
        ).select_related("updated_by")
    }
    out = []
    for step in phase.steps:
        items = _item_rows(list(step.checklist), tick_map, evidence)
        out.append(
            {
                "step": step,
                "items": items,
                "note": notes.get(step.key),
                "done": sum(1 for r in items if r["done"]),
            }
        )
    return out


def unmet_steps(partnership: Partnership, phase: Phase) -> list[dict[str, Any]]:
    """The phase's checklist items not done yet (by tick or evidence)."""
    return [
        row for step in phase_detail(partnership, phase) for row in step["items"] if not row["done"]
    ]


def phase_moves(partnership: Partnership) -> QuerySet[PhaseMove]:
    return PhaseMove.objects.filter(partnership=partnership).select_related("actor")


def reviews(partnership: Partnership, phase: str | None = None) -> QuerySet[MilestoneReview]:
    qs = MilestoneReview.objects.filter(partnership=partnership).select_related("reviewed_by")
    return qs.filter(phase=phase) if phase else qs


def due_reviews(partnership: Partnership) -> list[Phase]:
    """Completed phases with no milestone review since they were completed."""
    completed = phase_states(partnership)
    latest = dict(
        MilestoneReview.objects.filter(partnership=partnership)
        .values_list("phase")
        .annotate(last=Max("reviewed_at"))
        .values_list("phase", "last")
    )
    due = []
    for phase in method().phases:
        state = completed.get(phase.code)
        if state is None:
            continue
        last = latest.get(phase.code)
        if last is None or (state.completed_at is not None and last < state.completed_at):
            due.append(phase)
    return due


# --- design elements ----------------------------------------------------------------


def element_records(partnership: Partnership) -> dict[str, DesignElementRecord]:
    return {
        r.element: r
        for r in DesignElementRecord.objects.filter(partnership=partnership).select_related(
            "updated_by"
        )
    }


def elements_overview(partnership: Partnership) -> list[dict[str, Any]]:
    records = element_records(partnership)
    return [{"element": e, "record": records.get(e.code)} for e in method().elements]


def element_versions(record: DesignElementRecord) -> QuerySet[DesignElementVersion]:
    return record.versions.select_related("author").order_by("-number")


def elements_not_agreed(partnership: Partnership) -> list[Any]:
    """Design elements neither agreed on paper nor shown by the records."""
    return [row["element"] for row in elements_state(partnership) if row["state"] == "open"]


def elements_in_practice(partnership: Partnership) -> list[dict[str, Any]]:
    """Elements not agreed on paper whose records show them in practice (with the
    evidence): guidance may suggest writing them down, never call them missing."""
    return [row for row in elements_state(partnership) if row["state"] == "practice"]


def elements_state(partnership: Partnership) -> list[dict[str, Any]]:
    agreed = set(
        DesignElementRecord.objects.filter(
            partnership=partnership, status=ElementStatus.AGREED
        ).values_list("element", flat=True)
    )
    elements = method().elements
    evidence = evidence_for(
        partnership, [f"element:{e.code}" for e in elements if e.code not in agreed]
    )
    rows = []
    for e in elements:
        found = evidence.get(f"element:{e.code}")
        if e.code in agreed:
            state = "agreed"
        elif found is not None and found.met:
            state = "practice"
        else:
            state = "open"
        rows.append({"element": e, "state": state, "evidence": found})
    return rows


def elements_to_revisit(partnership: Partnership, within_days: int = 30) -> list[dict[str, Any]]:
    """Agreed elements whose revisit date has come or comes within ``within_days``."""
    from django.utils import timezone

    limit = timezone.localdate() + datetime.timedelta(days=within_days)
    records = DesignElementRecord.objects.filter(
        partnership=partnership, status=ElementStatus.AGREED, revisit_on__lte=limit
    ).order_by("revisit_on")
    content = method()
    return [
        {"element": content.element(r.element), "revisit_on": r.revisit_on}
        for r in records
        if content.element(r.element) is not None
    ]


# --- profile --------------------------------------------------------------------------


def representative_counts(partnership: Partnership) -> dict[str, Any]:
    """How many active representatives are doers and decision-makers, and what that makes."""
    counts = Role.objects.filter(
        partnership=partnership, kind=RoleKind.REPRESENTATIVE, ended_on__isnull=True
    ).aggregate(
        doers=Count("id", filter=Q(representative_kind="doer")),
        decision_makers=Count("id", filter=Q(representative_kind="decision_maker")),
    )
    doers, deciders = counts["doers"], counts["decision_makers"]
    if not doers and not deciders:
        derived = ""
    elif deciders >= 2 * doers:
        derived = "decision_makers"
    elif doers >= 2 * deciders:
        derived = "doers"
    else:
        derived = "mixed"
    return {"doers": doers, "decision_makers": deciders, "choice": derived}


def profile(partnership: Partnership) -> dict[str, Any]:
    chosen = {
        c.dimension: c
        for c in ProfileChoice.objects.filter(partnership=partnership).select_related("updated_by")
    }
    reps = representative_counts(partnership)
    content = method()

    def rows(dims: Any) -> list[dict[str, Any]]:
        out = []
        for dim in dims:
            if dim.derived:
                out.append(
                    {
                        "dim": dim,
                        "choice": dim.choice(reps["choice"]),
                        "record": None,
                        "derived": reps,
                    }
                )
            else:
                rec = chosen.get(dim.code)
                out.append(
                    {
                        "dim": dim,
                        "choice": dim.choice(rec.choice) if rec else None,
                        "record": rec,
                        "derived": None,
                    }
                )
        return out

    return {"traits": rows(content.traits), "factors": rows(content.factors), "reps": reps}


def trust_history(partnership: Partnership) -> list[dict[str, Any]]:
    """Trust-stage entries, oldest first, each marked as a fall-back if it went back a stage."""
    content = method()
    entries = list(
        TrustStageEntry.objects.filter(partnership=partnership)
        .select_related("recorded_by")
        .order_by("on", "id")
    )
    out = []
    previous = None
    for entry in entries:
        stage = content.trust_stage(entry.stage)
        number = stage.number if stage else 0
        out.append(
            {
                "entry": entry,
                "stage": stage,
                "fall_back": previous is not None and number < previous,
            }
        )
        previous = number
    return out


def problem_cycles(partnership: Partnership) -> QuerySet[ProblemCycle]:
    return ProblemCycle.objects.filter(partnership=partnership).select_related("recorded_by")


# --- relationship spectrum ------------------------------------------------------------


def spectrum_summary(partnership: Partnership) -> list[dict[str, Any]]:
    """Per dimension: number of raters, mean/min/max now and aim, and the spread of answers."""
    qs = SpectrumRating.objects.filter(partnership=partnership)
    stats = {
        row["dimension"]: row
        for row in qs.values("dimension").annotate(
            n=Count("id"),
            now_avg=Avg("now"),
            aim_avg=Avg("aim"),
            now_min=Min("now"),
            now_max=Max("now"),
            aim_min=Min("aim"),
            aim_max=Max("aim"),
        )
    }
    spread: dict[tuple[str, str, int], int] = {}
    for row in qs.values("dimension", "now").annotate(c=Count("id")):
        spread[(row["dimension"], "now", row["now"])] = row["c"]
    for row in qs.values("dimension", "aim").annotate(c=Count("id")):
        spread[(row["dimension"], "aim", row["aim"])] = row["c"]
    out = []
    for dim in method().spectrum:
        s = stats.get(dim.code, {})
        out.append(
            {
                "dim": dim,
                "n": s.get("n", 0),
                "now_avg": round(s["now_avg"], 1) if s.get("now_avg") is not None else None,
                "aim_avg": round(s["aim_avg"], 1) if s.get("aim_avg") is not None else None,
                "now_min": s.get("now_min"),
                "now_max": s.get("now_max"),
                "aim_min": s.get("aim_min"),
                "aim_max": s.get("aim_max"),
                "now_counts": [spread.get((dim.code, "now", v), 0) for v in range(1, 6)],
                "aim_counts": [spread.get((dim.code, "aim", v), 0) for v in range(1, 6)],
            }
        )
    return out


def my_ratings(partnership: Partnership, user: Any) -> dict[str, SpectrumRating]:
    return {
        r.dimension: r for r in SpectrumRating.objects.filter(partnership=partnership, user=user)
    }


def rater_count(partnership: Partnership) -> int:
    return SpectrumRating.objects.filter(partnership=partnership).values("user").distinct().count()
