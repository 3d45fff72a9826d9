"""The demo's guidance agrees with its own data (issue 24): every bound step of every
phase shows done exactly when its evidence is there, and the cases the issue found
wrong (approved minutes, meeting tasks in the action plan, tracked indicators) read
as done."""

import pytest
from django.core.management import call_command

from commonground.core.evidence import checks, evidence_for
from commonground.method import selectors
from commonground.method.content import method
from commonground.partnerships.models import Partnership

pytestmark = pytest.mark.django_db


def test_the_demo_guidance_agrees_with_the_demo_records():
    call_command("load_demo", verbosity=0)
    bound = set(checks())
    walked = 0
    for partnership in Partnership.objects.all():
        found = evidence_for(partnership, sorted(bound))
        for phase in method().phases:
            for step in selectors.phase_detail(partnership, phase):
                for row in step["items"]:
                    key = row["item"].key
                    if key not in bound:
                        continue
                    evidence = found[key]
                    assert row["done"] == bool(evidence and evidence.met), (
                        partnership.slug,
                        key,
                    )
                    walked += 1
    assert walked >= len([k for k in bound if not k.startswith("element:")])
    demo = Partnership.objects.get(slug="fjordvik-circular")
    found = evidence_for(demo, sorted(bound))
    for key in ("consolidate.records.records-minutes", "consolidate.records.records-actions"):
        assert found[key] is not None and found[key].met, key
    in_practice = {r["element"].code for r in selectors.elements_in_practice(demo)}
    missing = {e.code for e in selectors.elements_not_agreed(demo)}
    assert "indicators" in in_practice and "indicators" not in missing
