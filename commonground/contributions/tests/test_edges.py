import pytest

from commonground.contributions.edges import contribution_edges
from commonground.contributions.models import Contribution
from commonground.systemmap.edges import org_node, partnership_node

pytestmark = pytest.mark.django_db


def test_the_ledger_feeds_contributes_to_edges(world):
    from commonground.contributions.tests.factories import make_contribution

    a, b = world.organisation, world.second_organisation
    make_contribution(world, contributor=a)
    make_contribution(world, contributor=a)
    make_contribution(world, contributor=b, recipient_kind="member", recipient_org=a)
    withdrawn = make_contribution(world, contributor=b)
    Contribution.objects.filter(pk=withdrawn.pk).update(status="withdrawn")
    edges = list(contribution_edges([world.partnership.pk], {a.pk, b.pk}))
    pairs = {(e.source, e.target): e.note for e in edges}
    assert pairs == {
        (org_node(a.pk), partnership_node(world.partnership.pk)): "2",
        (org_node(b.pk), org_node(a.pk)): "1",
    }
    # An organisation the viewer may not see yields no edge at all.
    assert list(contribution_edges([world.partnership.pk], {b.pk})) == []
