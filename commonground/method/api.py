"""JSON API for lifecycle progress, design elements and the structure profile."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import Router, Schema

from commonground.core import policy
from commonground.core.http import AuthedRequest

from . import rules, selectors, services
from .content import method
from .models import DesignElementRecord, ElementStatus

router = Router(tags=["method"])


class PhaseOut(Schema):
    code: str
    title: str
    status: str
    ticked: int
    total: int
    completed_at: datetime.datetime | None


class TickOut(Schema):
    item: str
    ticked_by: str | None
    ticked_at: datetime.datetime


class ProgressOut(Schema):
    current_phase: str
    phases: list[PhaseOut]
    ticks: list[TickOut]


class TickIn(Schema):
    item: str
    ticked: bool = True


class VersionOut(Schema):
    number: int
    status: str
    author: str | None
    created_at: datetime.datetime
    change_note: str


class ElementOut(Schema):
    code: str
    title: str
    status: str
    text: str
    agreed_by: str
    agreed_on: datetime.date | None
    revisit_on: datetime.date | None
    version: int


class ElementDetailOut(ElementOut):
    versions: list[VersionOut]


class ElementIn(Schema):
    base_version: int
    text: str = ""
    status: ElementStatus = ElementStatus.DRAFT
    agreed_by: str = ""
    agreed_on: datetime.date | None = None
    revisit_on: datetime.date | None = None
    change_note: str = ""


class ConflictOut(Schema):
    detail: str
    current: ElementOut


class ProfileItemOut(Schema):
    code: str
    group: str
    title: str
    choice: str | None
    choice_title: str | None
    derived: bool


class ProfileOut(Schema):
    items: list[ProfileItemOut]
    representatives: dict[str, int]


def _element_out(code: str, record: DesignElementRecord | None) -> dict:
    element = method().element(code)
    assert element is not None
    return {
        "code": code,
        "title": str(element.title),
        "status": record.status if record else "not_started",
        "text": record.text if record else "",
        "agreed_by": record.agreed_by if record else "",
        "agreed_on": record.agreed_on if record else None,
        "revisit_on": record.revisit_on if record else None,
        "version": record.version if record else 0,
    }


@router.get("/{slug}/progress", response=ProgressOut, url_name="method_progress")
def progress(request: AuthedRequest, slug: str):  # type: ignore[no-untyped-def]
    partnership = policy.partnership_or_404(request.user, slug, rules.VIEW)
    rows = selectors.progress(partnership)
    return {
        "current_phase": partnership.phase,
        "phases": [
            {
                "code": r["phase"].code,
                "title": str(r["phase"].title),
                "status": r["status"],
                "ticked": r["done"],
                "total": r["total"],
                "completed_at": r["state"].completed_at if r["state"] else None,
            }
            for r in rows
        ],
        "ticks": [
            {
                "item": t.item_key,
                "ticked_by": str(t.ticked_by) if t.ticked_by else None,
                "ticked_at": t.ticked_at,
            }
            for t in selectors.ticks(partnership).values()
        ],
    }


@router.post("/{slug}/progress/ticks", response={200: dict}, url_name="method_tick")
def tick(request: AuthedRequest, slug: str, payload: TickIn):  # type: ignore[no-untyped-def]
    partnership = policy.partnership_or_404(request.user, slug, rules.WORK)
    services.tick_set(
        actor=request.user, partnership=partnership, item_key=payload.item, ticked=payload.ticked
    )
    return {"item": payload.item, "ticked": payload.ticked}


@router.get("/{slug}/elements", response=list[ElementOut], url_name="method_elements")
def elements(request: AuthedRequest, slug: str):  # type: ignore[no-untyped-def]
    partnership = policy.partnership_or_404(request.user, slug, rules.VIEW)
    records = selectors.element_records(partnership)
    return [_element_out(e.code, records.get(e.code)) for e in method().elements]


@router.get("/{slug}/elements/{code}", response=ElementDetailOut, url_name="method_element")
def element(request: AuthedRequest, slug: str, code: str):  # type: ignore[no-untyped-def]
    partnership = policy.partnership_or_404(request.user, slug, rules.VIEW)
    if method().element(code) is None:
        raise Http404
    record = DesignElementRecord.objects.filter(partnership=partnership, element=code).first()
    out = _element_out(code, record)
    out["versions"] = (
        [
            {
                "number": v.number,
                "status": v.status,
                "author": str(v.author) if v.author else None,
                "created_at": v.created_at,
                "change_note": v.change_note,
            }
            for v in selectors.element_versions(record)
        ]
        if record
        else []
    )
    return out


@router.put(
    "/{slug}/elements/{code}",
    response={200: ElementOut, 409: ConflictOut},
    url_name="method_element_save",
)
def element_save(request: AuthedRequest, slug: str, code: str, payload: ElementIn):  # type: ignore[no-untyped-def]
    """Save a new version. ``base_version`` must be the version you read; if someone saved
    since, the answer is 409 with the current text, and nothing is written."""
    partnership = policy.partnership_or_404(request.user, slug, rules.EDIT_ELEMENTS)
    if method().element(code) is None:
        raise Http404
    try:
        record = services.element_save(
            actor=request.user, partnership=partnership, element=code, **payload.dict()
        )
    except services.StaleElementError as exc:
        return 409, {"detail": exc.messages[0], "current": _element_out(code, exc.record)}
    except ValidationError:
        raise
    return 200, _element_out(code, record)


@router.get("/{slug}/profile", response=ProfileOut, url_name="method_profile")
def profile(request: AuthedRequest, slug: str):  # type: ignore[no-untyped-def]
    partnership = policy.partnership_or_404(request.user, slug, rules.VIEW)
    data = selectors.profile(partnership)
    items = [
        {
            "code": r["dim"].code,
            "group": r["dim"].group,
            "title": str(r["dim"].title),
            "choice": r["choice"].code if r["choice"] else None,
            "choice_title": str(r["choice"].title) if r["choice"] else None,
            "derived": bool(r["dim"].derived),
        }
        for r in data["traits"] + data["factors"]
    ]
    reps = data["reps"]
    return {
        "items": items,
        "representatives": {"doers": reps["doers"], "decision_makers": reps["decision_makers"]},
    }
