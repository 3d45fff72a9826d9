from django.urls import reverse

from commonground.core.links import link_maker


def test_link_maker_gives_what_reverse_gives_for_every_id():
    detail = link_maker("actionplan:detail", "oslo-2147483647")
    status = link_maker("actionplan:status", "oslo")
    for pk in (1, 42, 2147483646):
        # the marker inside a slug does not confuse it: the id is the last argument
        assert detail(pk) == reverse("actionplan:detail", args=["oslo-2147483647", pk])
        assert status(pk) == reverse("actionplan:status", args=["oslo", pk])
    assert detail(7) != detail(8)
