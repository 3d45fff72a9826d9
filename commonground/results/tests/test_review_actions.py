"""A review's decided changes become linked actions in the action plan."""

from __future__ import annotations

import pytest
from django.urls import reverse

from commonground.actionplan.models import Action

from .factories import ReviewFactory


@pytest.mark.django_db
def test_review_changes_become_linked_actions(world, client_for):
    review = ReviewFactory(partnership=world.partnership, changes_decided="x")
    url = reverse(
        "results:review_actions", kwargs={"slug": world.partnership.slug, "pk": review.pk}
    )
    response = client_for("manager").post(
        url, {"titles": "- Recruit two more drivers\n\n• Move the pick-up day", "due_on": ""}
    )
    assert response.status_code == 302
    actions = list(Action.objects.filter(review=review).order_by("id"))
    assert [a.title for a in actions] == ["Recruit two more drivers", "Move the pick-up day"]
    assert all(a.partnership == world.partnership for a in actions)
    page = client_for("observer").get(review.get_absolute_url()).content.decode()
    assert "Recruit two more drivers" in page
    assert 'name="titles"' not in page  # observers cannot add actions
    # Empty input: a message, nothing created.
    client_for("manager").post(url, {"titles": "  \n "})
    assert Action.objects.filter(review=review).count() == 2
    assert client_for("observer").post(url, {"titles": "x"}).status_code == 403
    assert client_for("outsider").post(url, {"titles": "x"}).status_code == 404
