from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from commonground.accounts.tests.factories import UserFactory
from commonground.prospects import selectors, services
from commonground.prospects.models import Score

from .factories import CriterionFactory, ProspectFactory


def test_weighted_mean_weights_each_criterion_and_ignores_zero_weights():
    # (3·4 + 1·2) / 4 = 3.5; the weight-0 criterion does not count.
    assert selectors.weighted_mean([(3, 4), (1, 2), (0, 1)]) == Decimal("3.50")
    assert selectors.weighted_mean([(2, 4.5), (1, 3)]) == Decimal("4.00")
    assert selectors.weighted_mean([]) is None
    assert selectors.weighted_mean([(0, 5)]) is None


@pytest.mark.django_db
def test_scorecard_aggregates_two_assessors_and_flags_disagreement():
    prospect = ProspectFactory()
    fit = CriterionFactory(partnership=prospect.partnership, label="Fit", weight=3, position=1)
    record = CriterionFactory(
        partnership=prospect.partnership, label="Record", weight=1, position=2
    )
    ann, bob = UserFactory(display_name="Ann"), UserFactory(display_name="Bob")
    services.scores_save(
        actor=ann, prospect=prospect, scores={fit.pk: (5, "great"), record.pk: (2, "")}
    )
    services.scores_save(actor=bob, prospect=prospect, scores={fit.pk: (4, ""), record.pk: (5, "")})

    card = selectors.scorecard(prospect)
    rows = {r.criterion.label: r for r in card.rows}
    assert rows["Fit"].mean == Decimal("4.50") and rows["Fit"].spread == 1
    assert rows["Record"].mean == Decimal("3.50") and rows["Record"].spread == 3
    assert not rows["Fit"].disagreement and rows["Record"].disagreement
    # (3·4.5 + 1·3.5) / 4 = 4.25
    assert card.weighted_mean == Decimal("4.25")
    assert card.assessors == ["Ann", "Bob"]
    assert [r.criterion.label for r in card.disagreements] == ["Record"]

    summary = selectors.score_summaries([prospect.pk])[prospect.pk]
    assert summary.weighted_mean == Decimal("4.25")
    assert summary.max_spread == 3 and summary.disagreement
    assert summary.assessors == ["Ann", "Bob"]


@pytest.mark.django_db
def test_changing_a_weight_changes_the_weighted_mean():
    prospect = ProspectFactory()
    a = CriterionFactory(partnership=prospect.partnership, weight=1)
    b = CriterionFactory(partnership=prospect.partnership, weight=1)
    user = UserFactory()
    services.scores_save(actor=user, prospect=prospect, scores={a.pk: (5, ""), b.pk: (1, "")})
    assert selectors.scorecard(prospect).weighted_mean == Decimal("3.00")
    services.criteria_update(actor=user, partnership=prospect.partnership, weights={a.pk: 3})
    assert selectors.scorecard(prospect).weighted_mean == Decimal("4.00")
    with pytest.raises(ValidationError):
        services.criteria_update(actor=user, partnership=prospect.partnership, weights={a.pk: 11})


@pytest.mark.django_db
@pytest.mark.parametrize("bad", [0, 6, -1, True])
def test_scores_outside_one_to_five_are_refused(bad):
    prospect = ProspectFactory()
    c = CriterionFactory(partnership=prospect.partnership)
    with pytest.raises(ValidationError, match="1 to 5"):
        services.scores_save(actor=UserFactory(), prospect=prospect, scores={c.pk: (bad, "")})
    assert not Score.objects.exists()


@pytest.mark.django_db
def test_the_database_also_refuses_out_of_range_scores():
    prospect: Any = ProspectFactory()
    c: Any = CriterionFactory(partnership=prospect.partnership)
    user: Any = UserFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Score.objects.create(prospect=prospect, criterion=c, assessor=user, value=7)


@pytest.mark.django_db
def test_a_criterion_of_another_partnership_cannot_be_scored():
    prospect = ProspectFactory()
    foreign = CriterionFactory()
    with pytest.raises(ValidationError):
        services.scores_save(actor=UserFactory(), prospect=prospect, scores={foreign.pk: (3, "")})


@pytest.mark.django_db
def test_rescoring_updates_and_clearing_removes_a_score():
    prospect = ProspectFactory()
    c = CriterionFactory(partnership=prospect.partnership)
    user = UserFactory()
    services.scores_save(actor=user, prospect=prospect, scores={c.pk: (2, "")})
    services.scores_save(actor=user, prospect=prospect, scores={c.pk: (4, "better")})
    assert Score.objects.get().value == 4
    services.scores_save(actor=user, prospect=prospect, scores={c.pk: (None, "")})
    assert not Score.objects.exists()


@pytest.mark.django_db
def test_score_page_saves_and_refuses_bad_values(world, client_for):
    prospect = ProspectFactory(partnership=world.partnership)
    services.criteria_seed(actor=world.user("manager"), partnership=world.partnership)
    c = world.partnership.prospect_criteria.first()
    url = f"/p/{world.partnership.slug}/prospects/{prospect.pk}/score/"
    client = client_for("representative")
    bad = client.post(url, {f"score_{c.pk}": "9", f"note_{c.pk}": "kept"})
    assert bad.status_code == 400
    assert b"kept" in bad.content
    ok = client.post(url, {f"score_{c.pk}": "4", f"note_{c.pk}": "solid"})
    assert ok.status_code == 302
    assert Score.objects.get().value == 4


@pytest.mark.django_db
def test_scorecards_page_ranks_by_weighted_mean(world, client_for):
    from commonground.organisations.tests.factories import OrganisationFactory

    c = CriterionFactory(partnership=world.partnership)
    a = ProspectFactory(partnership=world.partnership, organisation=OrganisationFactory(name="Aaa"))
    z = ProspectFactory(partnership=world.partnership, organisation=OrganisationFactory(name="Zzz"))
    services.scores_save(actor=world.user("manager"), prospect=a, scores={c.pk: (2, "")})
    services.scores_save(actor=world.user("manager"), prospect=z, scores={c.pk: (5, "")})
    page = client_for("observer").get(f"/p/{world.partnership.slug}/prospects/scorecards/")
    assert page.status_code == 403  # observers do not see prospect research
    page = client_for("representative").get(f"/p/{world.partnership.slug}/prospects/scorecards/")
    html = page.content.decode()
    assert html.index("Zzz") < html.index("Aaa")
