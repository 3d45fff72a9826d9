"""Delegated authority: the rule's two forms agree, give the answers written here,
and the service refuses whom the page refuses."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from commonground.core.testing import add_every_role_kind, assert_rule_forms_agree, everyone
from commonground.decisions import rules, services
from commonground.decisions.models import Decision, DecisionDomain

from .factories import WorkingGroupFactory

pytestmark = pytest.mark.django_db


def test_may_decide_under_delegation_instance_and_queryset_forms_agree(world):
    add_every_role_kind(world)
    u = world.users
    group = WorkingGroupFactory(partnership=world.partnership, lead=u["manager"])
    # The observer sits in the group but may not make proposals, so decides nothing.
    group.members.add(u["representative"], u["champion"], u["observer"])

    def domain(partnership, kind, **who):
        return DecisionDomain.objects.create(
            partnership=partnership, name=f"{kind} {sorted(who)}", kind=kind, **who
        )

    by_group = domain(world.partnership, "procurement", working_group=group)
    by_facilitator = domain(world.partnership, "data", person=u["facilitator"])
    domain(world.partnership, "communications", person=u["sponsor"])  # sponsors do not propose
    domain(world.partnership, "policy", person=u["facilitator"])  # policy stays with everyone
    domain(world.partnership, "other")  # delegated to nobody
    elsewhere = domain(world.other_partnership, "data", person=u["outsider"])

    answers = assert_rule_forms_agree(
        rules.can_decide_in,
        rules.domains_decidable_by,
        everyone(world),
        DecisionDomain.objects.select_related("partnership", "working_group"),
    )

    assert answers == {
        "anonymous": set(),
        "outsider": {elsewhere.pk},
        "observer": set(),
        "representative": {by_group.pk},
        "manager": {by_group.pk},
        "admin": set(),
        "convener": set(),
        "sponsor": set(),
        "champion": {by_group.pk},
        "wg_member": set(),
        "translator": set(),
        "facilitator": {by_facilitator.pk},
        "record_keeper": set(),
    }


def test_the_service_refuses_a_domain_holder_who_may_not_make_proposals(world):
    # The page (decisions.propose) refused an observer named as a domain's person;
    # the service recorded their decision all the same.
    observer = world.users["observer"]
    domain = DecisionDomain.objects.create(
        partnership=world.partnership, name="Newsletter", kind="communications", person=observer
    )
    with pytest.raises(PermissionDenied):
        services.delegated_decision_record(
            actor=observer, domain=domain, title="Monthly", decided_on=timezone.localdate()
        )
    assert not Decision.objects.exists()
