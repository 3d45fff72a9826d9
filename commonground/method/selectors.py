"""Reads for the method pages: a few queries per page, aggregates in SQL."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Avg, Count, Max, Min, Q, QuerySet

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


def progress(partnership: Partnership) -> list[dict[str, Any]]:
    """Every phase with its status and how many checklist items are ticked."""
    completed = phase_states(partnership)
    counts = dict(
        ChecklistTick.objects.filter(partnership=partnership)
        .values_list("phase")
        .annotate(n=Count("id"))
        .values_list("phase", "n")
    )
    rows = []
    for phase in method().phases:
        total = len(phase.items)
        done = counts.get(phase.code, 0)
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
    """The phase's steps, each with its items (tick or None) and the step note."""
    tick_map = ticks(partnership, phase.code)
    notes = {
        n.step_key: n
        for n in StepNote.objects.filter(
            partnership=partnership, step_key__startswith=f"{phase.code}."
        ).select_related("updated_by")
    }
    return [
        {
            "step": step,
            "items": [{"item": i, "tick": tick_map.get(i.key)} for i in step.checklist],
            "note": notes.get(step.key),
            "done": sum(1 for i in step.checklist if i.key in tick_map),
        }
        for step in phase.steps
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
    agreed = set(
        DesignElementRecord.objects.filter(
            partnership=partnership, status=ElementStatus.AGREED
        ).values_list("element", flat=True)
    )
    return [e for e in method().elements if e.code not in agreed]


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
