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


def test_slug_link_gives_what_reverse_gives_for_every_slug():
    from django.urls import set_script_prefix

    from commonground.core.links import slug_link

    for slug in ("oslo", "slug-slot", "a_b-2"):
        for view in ("partnerships:home", "actionplan:list", "systemmap:relationships"):
            assert slug_link(view, slug) == reverse(view, kwargs={"slug": slug})
    set_script_prefix("/sub/")
    try:  # a deployment under a path prefix gets its own links
        assert slug_link("actionplan:list", "oslo") == reverse("actionplan:list", args=["oslo"])
        assert slug_link("actionplan:list", "oslo").startswith("/sub/")
    finally:
        set_script_prefix("/")
