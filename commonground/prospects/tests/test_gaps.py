from decimal import Decimal

import pytest

from commonground.organisations.tests.factories import OrganisationFactory, TagFactory
from commonground.partnerships.tests.factories import MembershipFactory, PartnershipFactory
from commonground.prospects import selectors
from commonground.prospects.selectors import Coverage, classify

from .factories import NeedFactory, ProspectFactory


def test_classify():
    assert classify(0) == Coverage.UNCOVERED
    assert classify(1) == Coverage.THIN
    assert classify(2) == Coverage.COVERED
    assert classify(7) == Coverage.COVERED


def org(name, sector, offers, lat="59.91", lon="10.75"):
    o = OrganisationFactory(name=name, sector=sector, latitude=Decimal(lat), longitude=Decimal(lon))
    o.offers.set(offers)
    return o


@pytest.fixture
def setting(db):
    legal = TagFactory(slug="legal", name="Legal advice", category="legal")
    data = TagFactory(slug="data", name="Waste data", category="data")
    space = TagFactory(slug="space", name="Workshop space", category="assets")
    p = PartnershipFactory()
    for m in [
        org("City", "public", [space]),
        org("Builder", "private", [space, data]),
        org("Uni", "knowledge", []),
    ]:
        MembershipFactory(partnership=p, organisation=m)
    left = org("Gone Legal", "civil", [legal])
    MembershipFactory(partnership=p, organisation=left, status="left")
    for category in ("legal", "data", "assets"):
        NeedFactory(partnership=p, category=category)
    return {"p": p, "legal": legal, "data": data, "space": space}


def test_gap_analysis_statuses_pipeline_and_sector_mix(setting):
    p = setting["p"]
    ProspectFactory(partnership=p, organisation=org("Law Firm", "private", [setting["legal"]]))
    ProspectFactory(
        partnership=p,
        stage="declined",
        organisation=org("Declined Law", "private", [setting["legal"]]),
    )
    analysis = selectors.gap_analysis(p)
    status = {r.need.category: r for r in analysis.rows}
    assert status["assets"].status == Coverage.COVERED
    assert status["data"].status == Coverage.THIN and status["data"].providers == ["Builder"]
    # A member that has left does not count; an open prospect shows in the pipeline.
    assert status["legal"].status == Coverage.UNCOVERED
    assert status["legal"].pipeline == ["Law Firm"]
    assert analysis.missing_sectors == [("civil", "Civil society / non-profit")]
    mix = {m["sector"]: m["count"] for m in analysis.sector_mix}
    assert mix["public"] == 1 and mix["civil"] == 0


def test_recommendations_rank_and_explain(setting):
    p = setting["p"]
    legal, data = setting["legal"], setting["data"]
    near_civil_legal = org("Legal Aid Centre", "civil", [legal], "59.92", "10.76")
    far_private_legal = org("Big Law", "private", [legal], "60.39", "5.32")
    near_private_legal = org("Small Law", "private", [legal], "59.915", "10.751")
    data_only = org("Data Coop", "civil", [data], "59.91", "10.75")
    both = org("All In One", "private", [legal, data], "59.91", "10.75")
    in_pipeline = org("Already Prospect", "civil", [legal])
    ProspectFactory(partnership=p, organisation=in_pipeline)
    org("Irrelevant", "civil", [setting["space"]])

    recs = selectors.recommendations(p)
    names = [r.organisation.name for r in recs]
    # legal (uncovered) 10 + data (thin) 4 + near 3 = 17
    # civil legal: 10 + civil missing 5 + near 3 = 18
    assert names == ["Legal Aid Centre", "All In One", "Small Law", "Data Coop", "Big Law"]
    scores = [r.score for r in recs]
    assert scores == [18, 17, 13, 12, 10]
    top = recs[0]
    assert top.explanation.startswith("offers Legal advice (Legal: no partner has it yet)")
    assert "Civil society / non-profit sector missing" in top.explanation
    assert top.explanation.endswith("km away")
    assert recs[-1].distance_km and recs[-1].distance_km > 300
    assert "Already Prospect" not in names and "Irrelevant" not in names
    assert near_civil_legal.pk == top.organisation.pk
    assert far_private_legal.pk and near_private_legal.pk and data_only.pk and both.pk


def test_candidates_come_from_capped_pools_and_are_explained_in_full(setting, monkeypatch):
    p = setting["p"]
    legal, data = setting["legal"], setting["data"]
    monkeypatch.setattr(selectors, "POOL_SIZE", 2)
    # Five private legal firms (uncovered need, not a missing sector), three civil
    # data offers (thin need, from the missing sector), and one civil legal firm.
    for i in range(5):
        org(f"Private Law {i}", "private", [legal])
    for i in range(3):
        org(f"Civil Data {i}", "civil", [data])
    civil_legal = org("Civil Law", "civil", [legal, data])
    recs = selectors.recommendations(p)
    names = [r.organisation.name for r in recs]
    # Pools of two: uncovered in a missing sector (Civil Law), uncovered (two of the
    # private firms or Civil Law), thin in a missing sector, thin: at most eight.
    assert 4 <= len(recs) <= 8
    assert len([n for n in names if n.startswith("Private Law")]) <= 2
    assert len([n for n in names if n.startswith("Civil Data")]) <= 2
    # The one that fills the most is found however full the pools are, and its
    # explanation lists everything it offers that the partnership lacks.
    top = recs[0]
    assert top.organisation.pk == civil_legal.pk
    assert top.score == 10 + 4 + 5 + 3
    assert top.explanation.startswith(
        "offers Legal advice (Legal: no partner has it yet); offers Waste data"
    )
    assert "Civil society / non-profit sector missing" in top.explanation


def test_recommendations_page_says_how_many_candidates_are_considered(world, client_for):
    NeedFactory(partnership=world.partnership, category="legal")
    page = client_for("manager").get(f"/p/{world.partnership.slug}/prospects/recommendations/")
    assert f"up to {selectors.POOL_SIZE} organisations offering an uncovered need" in (
        page.content.decode()
    )


def test_no_recommendations_when_every_need_is_covered(db):
    p = PartnershipFactory()
    space = TagFactory(slug="space2", category="assets")
    for name in ("A", "B"):
        MembershipFactory(partnership=p, organisation=org(name, "public", [space]))
    NeedFactory(partnership=p, category="assets")
    org("Spare Space", "civil", [space])
    assert selectors.recommendations(p) == []


def test_gaps_page_and_need_form(world, client_for):
    url = f"/p/{world.partnership.slug}/prospects/"
    client = client_for("manager")
    response = client.post(
        url + "needs/", {"category": "legal", "description": "x", "priority": "1"}
    )
    assert response.status_code == 302
    page = client.get(url + "gaps/").content.decode()
    assert "uncovered" in page and "sector-mix-data" in page
    bad = client.post(
        url + "needs/", {"category": "nonsense", "description": "kept text", "priority": "1"}
    )
    assert bad.status_code == 400 and "kept text" in bad.content.decode()


def test_home_panel_shows_the_gap(world, client_for):
    NeedFactory(partnership=world.partnership, category="legal")
    from commonground.core.testing import home_with_panels

    page = home_with_panels(client_for("manager"), world.partnership)
    assert "Finding partners" in page and "uncovered" in page
    # Observers cannot see prospects, so the panel is hidden for them.
    assert "Finding partners" not in home_with_panels(client_for("observer"), world.partnership)


def test_directory_rows_offer_to_add_to_a_managed_pipeline(world, client_for):
    OrganisationFactory(name="Candidate Org", slug="candidate-org")
    page = client_for("manager").get("/prospects/directory/?q=Candidate").content.decode()
    assert f"/p/{world.partnership.slug}/prospects/add/?organisation=candidate-org" in page
    page = client_for("representative").get("/prospects/directory/?q=Candidate").content.decode()
    assert "Add as prospect" not in page
    assert page.count("Add as prospect") == 0 and "Add to" not in page
    manager_page = client_for("manager").get("/prospects/directory/?q=Candidate").content.decode()
    assert manager_page.count("Add as prospect") == 1


def test_directory_rows_name_each_pipeline_when_there_are_several(world, client_for):
    from django.utils import translation

    from commonground.partnerships.tests.factories import PartnershipFactory, RoleFactory

    other = PartnershipFactory(name="Bergen <Reuse> Lab")
    RoleFactory(partnership=other, user=world.users["manager"], kind="manager")
    OrganisationFactory(name="Candidate Org", slug="candidate-org")
    OrganisationFactory(name="Candidate Two", slug="candidate-two")
    client = client_for("manager")
    page = client.get("/prospects/directory/?q=Candidate").content.decode()
    for slug in ("candidate-org", "candidate-two"):
        for p in (world.partnership, other):
            assert f"/p/{p.slug}/prospects/add/?organisation={slug}" in page
    assert page.count("Add to Bergen &lt;Reuse&gt; Lab") == 2  # escaped, once per row
    assert page.count(f"Add to {world.partnership.name}") == 2
    assert "Add as prospect" not in page
    with translation.override("nb"):
        nb = client.get("/prospects/directory/?q=Candidate", HTTP_ACCEPT_LANGUAGE="nb").content
    assert "Add to" not in nb.decode()
