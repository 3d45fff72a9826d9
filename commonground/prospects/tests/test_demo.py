import pytest

from commonground.demo import DEMO_SLUG, loader
from commonground.partnerships.models import Partnership
from commonground.prospects import selectors
from commonground.prospects.models import Stage
from commonground.prospects.selectors import Coverage


@pytest.mark.django_db
def test_demo_has_every_stage_scored_prospects_a_gap_and_recommendations_that_fill_it(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    scenario = loader.read_scenario()
    loader.build(scenario, only=["organisations", "people", "partnership", "prospects"])
    partnership = Partnership.objects.get(slug=DEMO_SLUG)
    assert set(selectors.stage_counts(partnership)) == set(Stage.values)
    scored = [p for p in selectors.prospects_of(partnership) if p.scores.exists()]
    summaries = selectors.score_summaries([p.pk for p in scored])
    assert len(summaries) >= 3
    assert all(len(s.assessors) == 2 for s in summaries.values())
    assert any(s.disagreement for s in summaries.values())
    gaps = selectors.gap_analysis(partnership)
    uncovered = gaps.categories(Coverage.UNCOVERED)
    assert "legal" in uncovered
    recs = selectors.recommendations(partnership, gaps)
    assert recs and "legal" in recs[0].fills
    assert "no partner has it yet" in recs[0].explanation
