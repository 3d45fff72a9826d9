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
    # the id the links are reversed with, inside the slug too: made one by one instead
    clash = link_maker("actionplan:detail", "oslo-2147483640")
    for pk in (1, 2147483640):
        assert clash(pk) == reverse("actionplan:detail", args=["oslo-2147483640", pk])


def test_link_maker_refuses_what_reverse_refuses():
    import pytest
    from django.urls import NoReverseMatch

    with pytest.raises(NoReverseMatch):
        link_maker("actionplan:detail", "oslo")(-3)


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


def _named_patterns():
    """(view name, {argument: converter}) for every named URL of the project."""
    from django.urls import URLPattern, URLResolver, get_resolver

    def walk(resolver, namespace, converters):
        for p in resolver.url_patterns:
            found = {**converters, **p.pattern.converters}
            if isinstance(p, URLResolver):
                ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
                yield from walk(p, ns, found)
            elif isinstance(p, URLPattern) and p.name:
                yield f"{namespace}{p.name}", found

    return list(walk(get_resolver(), "", {}))


def test_links_reverse_gives_what_django_gives_for_every_named_url():
    from django.urls import NoReverseMatch, converters

    from commonground.core import links

    samples = {
        converters.IntConverter: [0, 7, 2147483647, 2147483646],
        converters.SlugConverter: ["oslo", "cg-slot-0-x", "x-2147483647", "123", "a_b"],
        converters.StringConverter: ["abc", "two words", "cg-slot-1-x", "a 2147483647"],
    }
    checked = 0
    for name, convs in _named_patterns():
        kinds = {arg: type(c) for arg, c in convs.items()}
        if any(k not in samples for k in kinds.values()):
            continue
        for n in range(3):
            kwargs = {
                arg: samples[k][(n + i) % len(samples[k])]
                for i, (arg, k) in enumerate(kinds.items())
            }
            try:
                expected = reverse(name, kwargs=kwargs)
            except NoReverseMatch:
                try:
                    links.reverse(name, kwargs=kwargs)
                except NoReverseMatch:
                    continue
                raise AssertionError(
                    f"{name} {kwargs}: Django refuses, links.reverse does not"
                ) from None
            assert links.reverse(name, kwargs=kwargs) == expected, (name, kwargs)
            checked += 1
    assert checked > 300
