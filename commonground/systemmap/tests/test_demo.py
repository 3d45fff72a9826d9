"""The demo has the system map the issue asks for."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from commonground.partnerships.models import Partnership
from commonground.systemmap import selectors
from commonground.systemmap.models import PrepTool, Relationship, SurveyResponse

pytestmark = pytest.mark.django_db


def test_demo_network_survey_and_preparation_tools():
    call_command("load_demo", verbosity=0)
    demo = Partnership.objects.get(slug="fjordvik-circular")
    net = selectors.network(partnerships=[demo])
    orgs = [n for n in net.nodes if n["is_org"]]
    assert len(orgs) >= 40
    assert len(net.edges) >= 80
    assert {e["origin"] for e in net.edges} == {"entered", "survey", "derived"}
    assert len({e["kind"] for e in net.edges}) >= 6
    assert Relationship.objects.filter(partnership=demo).count() >= 80
    assert SurveyResponse.objects.filter(survey__partnership=demo).count() >= 10
    assert set(demo.prep_tool_versions.values_list("tool", flat=True)) == set(PrepTool.values)
    assert demo.prep_tool_versions.filter(tool="self_rating").count() >= 3
    # The other demo partnership's people see none of it.
    other = Partnership.objects.get(slug="elsewhere-housing")
    assert not selectors.network(partnerships=[other]).edges or all(
        e["kind"] == "member_of" for e in selectors.network(partnerships=[other]).edges
    )
