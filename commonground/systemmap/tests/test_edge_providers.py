"""The built-in edge providers: one query each, dates as dates, filters and limit in the query."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commonground.accounts.tests.factories import UserFactory
from commonground.contributions.edges import contribution_edges
from commonground.contributions.tests.factories import make_contribution
from commonground.partnerships.models import WorkingGroup
from commonground.systemmap import edges
from commonground.systemmap.edges import org_node

from .factories import RelationshipFactory

pytestmark = pytest.mark.django_db


def read(provider, *args, **kwargs):
    with CaptureQueriesContext(connection) as queries:
        found = list(provider(*args, **kwargs))
    return found, len(queries.captured_queries)


def test_each_provider_reads_its_rows_in_one_query_with_dates_as_dates(world):
    a, b = world.organisation, world.second_organisation
    pids, orgs = [world.partnership.pk], {a.pk, b.pk}
    old = RelationshipFactory(
        partnership=world.partnership,
        source=a,
        target=b,
        started_on=datetime.date(2020, 1, 1),
        ended_on=datetime.date(2021, 1, 1),
    )
    new = RelationshipFactory(
        partnership=world.partnership, source=b, target=a, kind="funds", confidence="high"
    )
    RelationshipFactory(source=a, target=b)  # another partnership's: never read
    wg = WorkingGroup.objects.create(partnership=world.partnership, name="Data", slug="data")
    wg.members.add(UserFactory(organisation=a), UserFactory(organisation=b))
    make_contribution(world, contributor=a)

    found, queries = read(edges.relationships_provider, pids, orgs)
    assert queries == 1
    assert [e.pk for e in found] == [new.pk, old.pk]  # the most recently recorded first
    assert found[1].started_on == datetime.date(2020, 1, 1)
    assert type(found[1].ended_on) is datetime.date
    assert (found[0].kind, found[0].confidence, found[0].origin) == ("funds", "high", "entered")

    # kinds, period and limit go into that one query
    assert read(edges.relationships_provider, pids, orgs, kinds={"funds"})[0][0].pk == new.pk
    assert read(edges.relationships_provider, pids, orgs, limit=1) == ([found[0]], 1)
    since = datetime.date(2022, 1, 1)
    assert [e.pk for e in read(edges.relationships_provider, pids, orgs, start=since)[0]] == [
        new.pk
    ]
    until = datetime.date(2019, 1, 1)
    RelationshipFactory(
        partnership=world.partnership, source=a, target=b, started_on=datetime.date(2019, 6, 1)
    )
    assert {e.pk for e in read(edges.relationships_provider, pids, orgs, end=until)[0]} == {
        new.pk  # undated: open at both ends
    }

    members, queries = read(edges.membership_provider, pids, orgs)
    assert queries == 1
    assert {e.source for e in members} == {org_node(a.pk), org_node(b.pk)}
    assert all(e.started_on is None or type(e.started_on) is datetime.date for e in members)

    groups, queries = read(edges.working_group_provider, pids, orgs)
    assert queries == 1
    assert [(e.source, e.target, e.note) for e in groups] == [
        (org_node(min(a.pk, b.pk)), org_node(max(a.pk, b.pk)), "Data")
    ]

    ledger, queries = read(contribution_edges, pids, orgs)
    assert queries == 1
    assert [(e.started_on, e.note) for e in ledger] == [(datetime.date(2026, 1, 10), "1")]
