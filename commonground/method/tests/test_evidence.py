"""Guidance read from evidence: a bound step ticks itself while the records show it,
un-ticks when they stop showing it, and cannot be ticked by hand."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from commonground.accounts.tests.factories import UserFactory
from commonground.actionplan.tests.factories import ActionFactory
from commonground.agreements import services as agreement_services
from commonground.agreements.start import start_decide
from commonground.agreements.tests.factories import make_agreement
from commonground.contributions.tests.factories import make_contribution
from commonground.core.evidence import checks, evidence_for
from commonground.decisions.models import DecisionDomain
from commonground.decisions.tests.factories import ProposalFactory
from commonground.meetings.tests.factories import MeetingFactory
from commonground.method import selectors, services
from commonground.method.content import method
from commonground.method.models import PhaseMove
from commonground.partnerships.models import Role
from commonground.partnerships.tests.factories import RoleFactory
from commonground.prospects.models import Score
from commonground.prospects.tests.factories import CriterionFactory, ProspectFactory
from commonground.results.tests.factories import IndicatorFactory
from commonground.systemmap.tests.factories import RelationshipFactory

pytestmark = pytest.mark.django_db


def met(world, key):
    found = evidence_for(world.partnership, [key])[key]
    return found is not None and found.met


def _end(obj):
    obj.ended_on = timezone.localdate()
    obj.save()


def _set(obj, **values):
    for name, value in values.items():
        setattr(obj, name, value)
    obj.save()


def _text(world, field):
    setattr(world.partnership, field, "Written down")
    world.partnership.save()
    return field


def _untext(world, field):
    setattr(world.partnership, field, "")
    world.partnership.save()


def _manager(world):
    return Role.objects.get(partnership=world.partnership, kind="manager")


def _representative_for_second(world):
    return RoleFactory(
        partnership=world.partnership,
        user=UserFactory(),
        kind="representative",
        organisation=world.second_organisation,
        representative_kind="doer",
    )


def _sponsor_and_champion(world):
    return [
        RoleFactory(partnership=world.partnership, user=UserFactory(), kind=kind)
        for kind in ("sponsor", "champion")
    ]


def _ratified(world):
    signer = UserFactory()
    RoleFactory(
        partnership=world.partnership,
        user=signer,
        kind="representative",
        organisation=world.second_organisation,
        representative_kind="decision_maker",
        is_signatory=True,
    )
    agreement = make_agreement(world)
    version = agreement_services.latest_version(agreement)
    agreement_services.ratify(
        actor=world.users["representative"], version=version, organisation=world.organisation
    )
    agreement_services.ratify(actor=signer, version=version, organisation=world.second_organisation)
    return agreement


def _scored(world):
    prospect = ProspectFactory(partnership=world.partnership)
    criterion = CriterionFactory(partnership=world.partnership)
    return Score.objects.create(
        prospect=prospect, criterion=criterion, assessor=world.users["manager"], value=4
    )


def _contributions(world):
    return [
        make_contribution(world, contributor=org)
        for org in (world.organisation, world.second_organisation)
    ]


def _rhythm(world):
    now = timezone.now()
    return [
        MeetingFactory(partnership=world.partnership, starts_at=now - datetime.timedelta(days=d))
        for d in (10, 40, 70)
    ]


def _prep(world, tool, content):
    from commonground.systemmap import services as systemmap_services

    return systemmap_services.prep_tool_save(
        actor=world.users["manager"], partnership=world.partnership, tool=tool, content=content
    )


def _ticked(tool, code):
    return (
        lambda w: _prep(w, tool, {"chosen": [code]}),
        # A newer version with nothing ticked takes the evidence away.
        lambda w, v: _prep(w, tool, {"chosen": [], "comment": "Not sure any more"}),
    )


def _costs_and_benefits(world):
    _prep(world, "benefit_kinds", {"chosen": ["funding"]})
    assert not met(world, "prepare.resources.resources-costs")  # partial: no costs yet
    return _prep(world, "benefits", {"benefits": "More reach", "drawbacks": "Staff time"})


# key -> (make the evidence, take it away)
CASES = {
    "prepare.motivation.motivation-brakes": _ticked("obstacles", "authority"),
    "prepare.motivation.motivation-right-tool": _ticked("when_to_partner", "both-benefit"),
    "prepare.resources.resources-strengths": _ticked("strengths", "reach"),
    "prepare.resources.resources-costs": (
        _costs_and_benefits,
        lambda w, v: _prep(w, "benefits", {"benefits": "More reach", "drawbacks": ""}),
    ),
    "prepare.trigger.trigger-written": (lambda w: _text(w, "trigger"), _untext),
    "prepare.objectives.objectives-listed": (lambda w: _text(w, "objectives"), _untext),
    "agree.roles.roles-manager": (_manager, lambda w, r: _end(r)),
    "element:manager": (_manager, lambda w, r: _end(r)),
    "agree.roles.roles-representatives": (_representative_for_second, lambda w, r: _end(r)),
    "element:sponsors_champions": (_sponsor_and_champion, lambda w, rs: _end(rs[0])),
    "identify.system.system-map": (
        lambda w: RelationshipFactory(partnership=w.partnership),
        lambda w, r: r.delete(),
    ),
    "identify.contact.contact-file": (
        lambda w: ProspectFactory(partnership=w.partnership, why_approach="They repair bikes"),
        lambda w, p: p.delete(),
    ),
    "identify.compatibility.compatibility-assessed": (_scored, lambda w, s: s.delete()),
    "agree.negotiate.negotiate-resources": (
        _contributions,
        lambda w, cs: cs[1].delete(),
    ),
    "element:mutual_understanding": (_contributions, lambda w, cs: cs[0].delete()),
    "agree.ratify.ratify-signed": (_ratified, lambda w, a: a.delete()),
    "agree.start.start-decided": (
        lambda w: start_decide(actor=w.users["manager"], partnership=w.partnership, scope="one"),
        lambda w, d: d.delete(),
    ),
    "consolidate.records.records-minutes": (
        lambda w: MeetingFactory(partnership=w.partnership, minutes_status="approved"),
        lambda w, m: _set(m, minutes_status="draft"),
    ),
    "consolidate.resources.resources-rhythm": (_rhythm, lambda w, ms: ms[0].delete()),
    "consolidate.records.records-actions": (
        lambda w: ActionFactory(
            partnership=w.partnership, meeting=MeetingFactory(partnership=w.partnership)
        ),
        lambda w, a: a.delete(),
    ),
    "element:indicators": (
        lambda w: IndicatorFactory(partnership=w.partnership),
        lambda w, i: i.delete(),
    ),
    "assess.accountability.accountability-data": (
        lambda w: IndicatorFactory(partnership=w.partnership, owner=w.users["manager"]),
        lambda w, i: _set(i, owner=None),
    ),
    "element:decision_authority": (
        lambda w: DecisionDomain.objects.create(
            partnership=w.partnership, name="Reuse hubs", kind="delegated"
        ),
        lambda w, d: d.delete(),
    ),
}


def test_every_bound_key_names_a_real_step_or_element_and_is_walked_here():
    content = method()
    items = {i.key for phase in content.phases for i in phase.items}
    elements = {f"element:{e.code}" for e in content.elements}
    assert set(checks()) <= items | elements
    assert set(checks()) == set(CASES), "a bound key without a test case (or the reverse)"


@pytest.mark.parametrize("key", sorted(CASES))
def test_a_bound_step_ticks_and_unticks_with_its_evidence(world, key):
    make, undo = CASES[key]
    if key in ("agree.roles.roles-manager", "element:manager"):
        # The world has a manager from the start: the evidence is there, then goes.
        role = make(world)
        assert met(world, key)
        undo(world, role)
        assert not met(world, key)
        return
    assert not met(world, key)
    made = make(world)
    assert met(world, key)
    undo(world, made)
    assert not met(world, key)


def test_a_bound_step_cannot_be_ticked_by_hand_and_a_stale_tick_does_not_count(world, client_for):
    from commonground.method.models import ChecklistTick

    world.partnership.phase = "consolidate"
    world.partnership.save()
    with pytest.raises(Exception, match="ticks itself"):
        services.tick_set(
            actor=world.users["manager"],
            partnership=world.partnership,
            item_key="consolidate.records.records-minutes",
            ticked=True,
        )
    # A tick stored before the step was bound does not make it done.
    ChecklistTick.objects.create(
        partnership=world.partnership,
        item_key="consolidate.records.records-minutes",
        phase="consolidate",
        ticked_by=world.users["manager"],
        ticked_at=timezone.now(),
    )
    phase = method().phase("consolidate")
    rows = {
        r["item"].key: r
        for s in selectors.phase_detail(world.partnership, phase)
        for r in s["items"]
    }
    assert rows["consolidate.records.records-minutes"]["done"] is False
    meeting = MeetingFactory(partnership=world.partnership, minutes_status="approved", title="May")
    page = (
        client_for("observer")
        .get(
            reverse("method:phase", kwargs={"slug": world.partnership.slug, "phase": "consolidate"})
        )
        .content.decode()
    )
    assert "Ticked by the records:" in page
    assert f'<a href="{meeting.get_absolute_url()}">Minutes of “May” approved</a>' in page


def test_an_element_shown_by_the_records_is_not_called_missing(world):
    IndicatorFactory(partnership=world.partnership)
    missing = {e.code for e in selectors.elements_not_agreed(world.partnership)}
    in_practice = {r["element"].code for r in selectors.elements_in_practice(world.partnership)}
    assert "indicators" not in missing and "indicators" in in_practice


def test_what_next_is_for_the_viewer_s_role(world, client_for):
    proposal = ProposalFactory(partnership=world.partnership, title="Adopt the reuse charter")
    home = world.partnership.get_absolute_url()
    manager_page = client_for("manager").get(home).content.decode()
    assert 'id="what-next-h"' in manager_page
    rep_page = client_for("representative").get(home).content.decode()
    assert 'id="what-next-h"' not in rep_page
    panel = client_for("representative").get(
        reverse(
            "partnerships:panel",
            kwargs={"slug": world.partnership.slug, "key": "method-panel_yours"},
        )
    )
    text = panel.content.decode()
    assert "Your next steps" in text and proposal.get_absolute_url() in text
    # The manager's own votes are on My work; their home shows the partnership's steps.
    manager_panel = client_for("manager").get(
        reverse(
            "partnerships:panel",
            kwargs={"slug": world.partnership.slug, "key": "method-panel_yours"},
        ),
        headers={"HX-Request": "true"},
    )
    assert manager_panel.content == b""


def test_completing_a_phase_with_open_steps_needs_a_reason(world, client_for):
    url = reverse("method:phase_complete", kwargs={"slug": world.partnership.slug})
    phase = world.partnership.phase
    refused = client_for("manager").post(url, {"phase": phase, "note": ""})
    assert refused.status_code == 400
    assert "not done yet" in refused.content.decode()
    world.partnership.refresh_from_db()
    assert world.partnership.phase == phase
    done = client_for("manager").post(
        url, {"phase": phase, "note": "The city asked us to start now"}
    )
    assert done.status_code == 302
    move = PhaseMove.objects.get(partnership=world.partnership, kind="complete")
    assert move.reason == "The city asked us to start now"
