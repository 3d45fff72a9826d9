"""The chair rule's two forms agree, and give the answers written here."""

from __future__ import annotations

import pytest

from commonground.core.testing import add_every_role_kind, assert_rule_forms_agree, everyone
from commonground.meetings import rules
from commonground.meetings.models import Meeting
from commonground.meetings.tests.factories import MeetingFactory


@pytest.mark.django_db
def test_may_chair_instance_and_queryset_forms_agree(world):
    add_every_role_kind(world)
    unchaired = MeetingFactory(partnership=world.partnership)
    chaired = MeetingFactory(partnership=world.partnership, chair=world.users["representative"])
    # Named chair of a meeting in a partnership where they hold no role: not the chair.
    elsewhere = MeetingFactory(partnership=world.other_partnership, chair=world.users["observer"])

    answers = assert_rule_forms_agree(
        rules.can_chair,
        rules.meetings_chairable_by,
        everyone(world),
        Meeting.objects.all(),
    )

    managers = {unchaired.pk, chaired.pk}
    assert answers == {
        "anonymous": set(),
        "outsider": {elsewhere.pk},
        "observer": set(),
        "representative": {chaired.pk},
        "manager": managers,
        "admin": {unchaired.pk, chaired.pk, elsewhere.pk},
        "convener": managers,
        "sponsor": set(),
        "champion": set(),
        "wg_member": set(),
        "translator": set(),
        "facilitator": managers,
        "record_keeper": set(),
    }
