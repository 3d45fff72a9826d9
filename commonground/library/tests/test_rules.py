"""Who may see a document: the rule's two forms agree and give the answers written here."""

from __future__ import annotations

import pytest

from commonground.core.testing import add_every_role_kind, assert_rule_forms_agree, everyone
from commonground.decisions.tests.factories import WorkingGroupFactory
from commonground.library import rules
from commonground.library.models import Document
from commonground.partnerships.tests.factories import MembershipFactory

from .factories import make_document


@pytest.mark.django_db
def test_may_see_document_instance_and_queryset_forms_agree(world):
    add_every_role_kind(world)
    u, p, org, org2 = world.users, world.partnership, world.organisation, world.second_organisation
    group = WorkingGroupFactory(partnership=p)
    group.members.add(u["champion"])

    def doc(title, owner=org, **kw):
        return make_document(p, owner, actor=u["manager"], title=title, **kw)

    for_all = doc("For all")
    for_managers = doc("Managers only", access_level="managers")
    for_group = doc("For the group", access_level="group", working_group=group)
    for_org = doc("For the representative's organisation", access_level="orgs", organisations=[org])
    own = make_document(p, org2, actor=u["sponsor"], title="Sponsor's", access_level="managers")
    returned = doc("Returned to its owner")
    archived = doc("Archived")
    Document.objects.filter(pk=returned.pk).update(status="returned")
    Document.objects.filter(pk=archived.pk).update(status="archived")
    MembershipFactory(partnership=world.other_partnership, organisation=org2)
    elsewhere = make_document(world.other_partnership, org2, title="Elsewhere")

    answers = assert_rule_forms_agree(
        rules.can_see_document,
        rules.documents_visible_to,
        everyone(world),
        Document.objects.all(),
    )

    here = {for_all.pk, for_managers.pk, for_group.pk, for_org.pk, own.pk, returned.pk}
    managers = here | {archived.pk}
    assert answers == {
        "anonymous": set(),
        "outsider": {elsewhere.pk},
        "observer": {for_all.pk},
        "representative": {for_all.pk, for_org.pk, returned.pk},
        "manager": managers,
        "admin": managers | {elsewhere.pk},
        "convener": managers,
        "sponsor": {for_all.pk, own.pk},
        "champion": {for_all.pk, for_group.pk},
        "wg_member": {for_all.pk},
        "translator": {for_all.pk},
        "facilitator": {for_all.pk},
        "record_keeper": {for_all.pk},
    }


@pytest.mark.django_db
def test_a_partnerships_documents_are_chosen_among_its_own_only(world):
    """The data room of a person with roles in many partnerships: the visibility
    condition names only the partnership in view (naming each of them made the
    database select every partnership's documents first, 100,000 ids at F=10)."""
    from commonground.partnerships.models import RoleKind
    from commonground.partnerships.tests.factories import RoleFactory

    manager, p, other = world.users["manager"], world.partnership, world.other_partnership
    RoleFactory(partnership=other, user=manager, kind=RoleKind.MANAGER)
    _, params = rules.visible_documents(manager, p).query.sql_with_params()
    assert other.pk not in params and p.pk in params
