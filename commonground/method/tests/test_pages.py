"""Every page renders with data in it, for a reader and for someone who edits."""

from __future__ import annotations

import pytest
from django.utils import timezone

from commonground.method import services
from commonground.method.content import method
from commonground.method.models import SpectrumRating


@pytest.fixture
def filled(world):
    p = world.partnership
    manager = world.user("manager")
    services.tick_set(
        actor=manager, partnership=p, item_key="prepare.trigger.trigger-shared", ticked=True
    )
    services.step_note_save(
        actor=manager, partnership=p, step_key="prepare.trigger", text="Landfill contract lost."
    )
    services.phase_complete(actor=manager, partnership=p, note="Agreed to move on")
    services.review_record(
        actor=manager,
        partnership=p,
        phase="prepare",
        need_still_there="yes",
        gaps="No data.",
        changes="Find data.",
    )
    for n in range(2):
        record = services.element_save(
            actor=manager,
            partnership=p,
            element="shared_vision",
            base_version=n,
            text=f"Version {n} of the **vision**.",
            status="agreed",
            agreed_by="All partners",
        )
    services.profile_save(
        actor=manager, partnership=p, choices={"results": ("specific", "Three hubs")}
    )
    services.trust_stage_record(
        actor=manager, partnership=p, stage="forming", on=timezone.localdate()
    )
    services.spectrum_rate(
        actor=manager, partnership=p, ratings={d.code: (2, 4) for d in method().spectrum}
    )
    services.glossary_seed(actor=manager, partnership=p, lang="en")
    services.problem_cycle_save(
        actor=manager,
        partnership=p,
        title="Few volunteers",
        observation="Fewer came.",
        started_on=timezone.localdate(),
    )
    return record


PAGES = [
    ("lifecycle", {}),
    ("phase", {"phase": "prepare"}),
    ("phase", {"phase": "identify"}),
    ("review", {"phase": "prepare"}),
    ("elements", {}),
    ("element", {"code": "shared_vision"}),
    ("element", {"code": "governance"}),
    ("element_edit", {"code": "shared_vision"}),
    ("element_history", {"code": "shared_vision"}),
    ("profile", {}),
    ("profile_edit", {}),
    ("problems", {}),
    ("problem_add", {}),
    ("spectrum", {}),
    ("spectrum_rate", {}),
    ("glossary", {}),
    ("glossary_add", {}),
    ("charter", {}),
]


@pytest.mark.parametrize("role", ["manager", "observer"])
def test_pages_render(filled, client_for, url, role):
    client = client_for(role)
    for name, kwargs in PAGES:
        response = client.get(url(name, **kwargs))
        if role == "observer" and name in (
            "review",
            "element_edit",
            "profile_edit",
            "problem_add",
            "spectrum_rate",
            "glossary_add",
        ):
            assert response.status_code == 403, name
            continue
        assert response.status_code == 200, (name, response.status_code)
        assert b'style="' not in response.content, name
        assert b"<script>" not in response.content, name


def test_charter_pdf(filled, client_for, url):
    response = client_for("observer").get(url("charter_pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_home_shows_what_next_panel(filled, client_for, world):
    response = client_for("manager").get(world.partnership.get_absolute_url())
    body = response.content.decode()
    assert "What next" in body
    # The current phase is "identify": its first step links to the phase page.
    assert url_fragment(world, "identify") in body
    assert "Design elements not yet agreed" in body


def url_fragment(world, phase: str) -> str:
    return f"/p/{world.partnership.slug}/method/phases/{phase}/"


def test_unknown_phase_and_element_are_404(world, client_for, url):
    client = client_for("manager")
    assert client.get(url("phase", phase="nope")).status_code == 404
    assert client.get(url("element", code="nope")).status_code == 404


def test_spectrum_table_shows_spread(filled, client_for, url):
    body = client_for("observer").get(url("spectrum")).content.decode()
    assert "2.0 (2–2)" in body and "4.0 (4–4)" in body
    assert SpectrumRating.objects.count() == 7


def test_panel_lists_agreements_to_revisit(filled, client_for, world):
    import datetime

    filled.revisit_on = timezone.localdate() + datetime.timedelta(days=7)
    filled.save()
    body = client_for("manager").get(world.partnership.get_absolute_url()).content.decode()
    assert "Agreements to revisit" in body
    assert "Shared vision of success" in body
