"""Structure profile, trust stages, problem-solving log, spectrum and glossary."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from commonground.accounts.tests.factories import UserFactory
from commonground.core.evidence import is_bound
from commonground.core.testing import assert_queries_do_not_grow
from commonground.method import selectors, services
from commonground.method.content import method
from commonground.method.models import GlossaryTerm, ProfileChoice, SpectrumRating
from commonground.partnerships.tests.factories import RoleFactory

from .factories import GlossaryTermFactory, ProblemCycleFactory


def test_representatives_are_derived_from_roles(world):
    p = world.partnership
    assert selectors.representative_counts(p) == {
        "doers": 0,
        "decision_makers": 1,
        "choice": "decision_makers",
    }
    for _ in range(2):
        RoleFactory(
            partnership=p, user=UserFactory(), kind="representative", representative_kind="doer"
        )
    counts = selectors.representative_counts(p)
    assert counts["doers"] == 2 and counts["choice"] == "doers"
    with pytest.raises(ValidationError, match="derived"):
        services.profile_save(
            actor=world.user("manager"), partnership=p, choices={"representatives": ("doers", "")}
        )


def test_profile_save_and_clear(world, client_for, url):
    data = {d.code: "" for d in method().profile_dimensions if not d.derived}
    data.update({f"{k}__note": "" for k in list(data)})
    data.update(results="specific", results__note="Three hubs by 2027", lifespan="institutionalise")
    response = client_for("representative").post(url("profile_edit"), data)
    assert response.status_code == 302
    assert dict(ProfileChoice.objects.values_list("dimension", "choice")) == {
        "results": "specific",
        "lifespan": "institutionalise",
    }
    data["results"] = "nonsense"
    response = client_for("representative").post(url("profile_edit"), data)
    assert response.status_code == 400
    data["results"] = ""
    client_for("representative").post(url("profile_edit"), data)
    assert not ProfileChoice.objects.filter(dimension="results").exists()


def test_trust_history_marks_fall_backs(world):
    p, m = world.partnership, world.user("manager")
    today = timezone.localdate()
    for days, stage in ((300, "forming"), (200, "storming"), (100, "norming"), (50, "storming")):
        services.trust_stage_record(
            actor=m, partnership=p, stage=stage, on=today - datetime.timedelta(days=days)
        )
    history = selectors.trust_history(p)
    assert [h["entry"].stage for h in history] == ["forming", "storming", "norming", "storming"]
    assert [h["fall_back"] for h in history] == [False, False, False, True]
    with pytest.raises(ValidationError):
        services.trust_stage_record(
            actor=m, partnership=p, stage="storming", on=today + datetime.timedelta(days=1)
        )


def test_problem_cycle_goes_round_in_order(world):
    p, m = world.partnership, world.user("manager")
    cycle = services.problem_cycle_save(
        actor=m,
        partnership=p,
        title="Hub is empty on Mondays",
        observation="No visitors.",
        started_on=timezone.localdate(),
    )
    assert cycle.stage == "observation"
    with pytest.raises(ValidationError) as exc:
        services.problem_cycle_save(actor=m, partnership=p, cycle=cycle, learning="It worked")
    assert "solution" in exc.value.message_dict
    cycle.refresh_from_db()
    services.problem_cycle_save(
        actor=m,
        partnership=p,
        cycle=cycle,
        interpretation="Closed library next door.",
        solution="Open Tuesdays instead.",
        learning="Visits doubled.",
    )
    cycle.refresh_from_db()
    assert cycle.stage == "learning"


def test_spectrum_rating_form_and_summary(world, client_for, url):
    data = {}
    for d in method().spectrum:
        data[f"{d.code}__now"] = "2"
        data[f"{d.code}__aim"] = "4"
    assert client_for("representative").post(url("spectrum_rate"), data).status_code == 302
    data = {k: ("4" if k.endswith("__now") else "5") for k in data}
    assert client_for("manager").post(url("spectrum_rate"), data).status_code == 302
    # Rating again replaces one's own answers.
    assert client_for("manager").post(url("spectrum_rate"), data).status_code == 302
    assert SpectrumRating.objects.count() == 14
    row = selectors.spectrum_summary(world.partnership)[0]
    assert row["n"] == 2 and row["now_avg"] == 3.0 and (row["now_min"], row["now_max"]) == (2, 4)
    assert row["now_counts"] == [0, 1, 0, 1, 0]
    data[f"{method().spectrum[0].code}__now"] = "9"
    response = client_for("manager").post(url("spectrum_rate"), data)
    assert response.status_code == 400
    assert client_for("observer").get(url("spectrum_rate")).status_code == 403


def test_glossary_seed_edit_and_permissions(world, client_for, url):
    p = world.partnership
    body = client_for("representative").get(url("glossary")).content.decode()
    assert (
        "transparency" in body and "Use these terms" not in body
    )  # readers see defaults, cannot seed
    assert client_for("representative").post(url("glossary_seed")).status_code == 403
    assert client_for("manager").post(url("glossary_seed")).status_code == 302
    assert GlossaryTerm.objects.filter(partnership=p).count() == len(method().glossary)
    # Seeding again adds nothing twice.
    client_for("manager").post(url("glossary_seed"))
    assert GlossaryTerm.objects.filter(partnership=p).count() == len(method().glossary)
    term = GlossaryTerm.objects.get(partnership=p, preferred="review")
    response = client_for("manager").post(
        url("glossary_edit", pk=term.pk),
        {"preferred": "transparency", "avoid": "", "definition": "x"},
    )
    assert response.status_code == 400
    assert "already has this term" in response.content.decode()
    response = client_for("manager").post(
        url("glossary_edit", pk=term.pk),
        {"preferred": "learning review", "avoid": "evaluation", "definition": "x"},
    )
    assert response.status_code == 302
    other = GlossaryTermFactory(partnership=world.other_partnership)
    assert client_for("manager").get(url("glossary_edit", pk=other.pk)).status_code == 404


def test_glossary_seed_in_norwegian(world):
    services.glossary_seed(actor=world.user("manager"), partnership=world.partnership, lang="nb")
    assert GlossaryTerm.objects.filter(preferred="åpenhet", avoid="tillit").exists()


def test_api_progress_and_profile(world, client_for):
    slug = world.partnership.slug
    client = client_for("representative")
    r = client.post(
        reverse("api:method_tick", kwargs={"slug": slug}),
        '{"item": "agree.ratify.ratify-terms"}',
        content_type="application/json",
    )
    assert r.status_code == 400 and "not started yet" in str(r.json())
    r = client.post(
        reverse("api:method_tick", kwargs={"slug": slug}),
        '{"item": "prepare.trigger.trigger-shared"}',
        content_type="application/json",
    )
    assert r.status_code == 200
    progress = client.get(reverse("api:method_progress", kwargs={"slug": slug})).json()
    assert progress["current_phase"] == "prepare"
    assert progress["phases"][0]["ticked"] == 1
    assert progress["ticks"][0]["ticked_by"] == "Rita Rep"
    profile = client.get(reverse("api:method_profile", kwargs={"slug": slug})).json()
    reps = next(i for i in profile["items"] if i["code"] == "representatives")
    assert reps["derived"] and reps["choice"] == "decision_makers"
    assert (
        client_for("outsider").get(reverse("api:method_profile", kwargs={"slug": slug})).status_code
        == 404
    )


# --- query counts on list pages ---------------------------------------------------------


def test_list_pages_do_not_grow_queries(world, client_for, url):
    client = client_for("manager")
    p = world.partnership
    state = {"n": 0}
    unbound = [i.key for i in method().phase("prepare").items if not is_bound(i.key)]

    def grow():
        state["n"] += 1
        n = state["n"]
        user = UserFactory()
        ProblemCycleFactory(partnership=p, recorded_by=user)
        GlossaryTermFactory(partnership=p, updated_by=user)
        services.element_save(
            actor=user, partnership=p, element="shared_vision", base_version=n - 1, text=f"v{n}"
        )
        if n < 13:
            services.element_save(
                actor=user,
                partnership=p,
                element=method().elements[n].code,
                base_version=0,
                text="x",
            )
        services.trust_stage_record(
            actor=user, partnership=p, stage="storming", on=timezone.localdate()
        )
        services.tick_set(
            actor=user,
            partnership=p,
            item_key=unbound[n % len(unbound)],
            ticked=True,
        )
        services.spectrum_rate(
            actor=user, partnership=p, ratings={d.code: (1, 5) for d in method().spectrum}
        )

    grow()
    for name, kwargs in (
        ("problems", {}),
        ("glossary", {}),
        ("elements", {}),
        ("element", {"code": "shared_vision"}),
        ("element_history", {"code": "shared_vision"}),
        ("lifecycle", {}),
        ("phase", {"phase": "prepare"}),
        ("profile", {}),
        ("spectrum", {}),
        ("charter", {}),
    ):
        page = url(name, **kwargs)

        def get(page: str = page):
            return client.get(page)

        # The lifecycle page reads the evidence of every phase's bound steps when first
        # built (then kept until the data change: see the evidence cached part); about one
        # query per bound step.
        assert_queries_do_not_grow(get, grow, max_queries=40 if name == "lifecycle" else 25)
