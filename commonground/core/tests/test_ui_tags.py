from django.template import Context, Template

from commonground.systemmap.models import Confidence


def render(source: str, **context) -> str:
    return Template(source).render(Context(context))


def test_options_marks_the_selected_value_compared_as_text():
    html = render("{% options items sel %}", items=[(1, "One"), (2, "Two"), (10, "Ten")], sel="10")
    assert html == (
        '<option value="1">One</option><option value="2">Two</option>'
        '<option value="10" selected>Ten</option>'
    )
    assert "selected" not in render("{% options items %}", items=[(1, "One")])
    assert "selected" not in render("{% options items sel %}", items=[(1, "One")], sel="")


def test_options_escapes_values_and_labels_and_takes_model_instances_and_lazy_labels():
    class Row:
        def __init__(self, pk, text):
            self.pk, self.text = pk, text

        def __str__(self):
            return self.text

    html = render(
        "{% options items sel %}",
        items=[Row(3, "<b>Ann & Bo</b>"), ('"x"', "q")],
        sel=3,
    )
    assert '<option value="3" selected>&lt;b&gt;Ann &amp; Bo&lt;/b&gt;</option>' in html
    assert '<option value="&quot;x&quot;">q</option>' in html
    assert "<b>" not in html
    html = render("{% options items sel %}", items=Confidence.choices, sel="high")
    assert f'<option value="high" selected>{Confidence.HIGH.label}</option>' in html


def test_url_tag_gives_what_reverse_gives_and_reverses_each_kind_of_link_once():
    import pytest
    from django.urls import NoReverseMatch, reverse, set_script_prefix

    from commonground.core.links import _link_parts

    _link_parts.cache_clear()
    source = (
        "{% url 'actionplan:list' slug %}|{% url 'actionplan:detail' slug pk %}|"
        "{% url 'core:about' %}|{% url 'meetings:item_notes' slug=slug pk=pk item_pk=item %}|"
        "{% url 'partnerships:panel' slug key %}"
    )
    cases = [
        ("oslo", 1, 2, "decisions"),
        ("bergen-2", 42, 0, "actionplan-_summary"),
        ("x-2147483647", 2147483647, 7, "cg-slot-0-x"),  # values that look like markers
        ("oslo", 9, 10, "123"),  # all digits: an int converter would take it too
        ("a_b", 3, 4, "123e4567-e89b-12d3-a456-426614174000"),  # shaped like a UUID
        ("oslo", 5, 6, "two words"),  # not a slug at all
    ]
    for slug, pk, item, key in cases:
        assert render(source, slug=slug, pk=pk, item=item, key=key) == "|".join(
            [
                reverse("actionplan:list", args=[slug]),
                reverse("actionplan:detail", args=[slug, pk]),
                reverse("core:about"),
                reverse("meetings:item_notes", kwargs={"slug": slug, "pk": pk, "item_pk": item}),
                reverse("partnerships:panel", args=[slug, key]),
            ]
        )
    # one remembered copy per kind of link, whatever the slugs and ids: the five kinds,
    # plus the panel link with each key that is kept as it is (digits, UUID, two words)
    assert _link_parts.cache_info().currsize == 5 + 3
    # arguments that are neither text nor ids go to Django's reverse unchanged
    with pytest.raises(NoReverseMatch):
        render("{% url 'actionplan:detail' 'oslo' -1 %}")
    assert render("{% url 'nope:nothing' as u %}[{{ u }}]") == "[]"
    assert render("{% url 'actionplan:detail' 'oslo' 'abc' as u %}[{{ u }}]") == "[]"
    with pytest.raises(NoReverseMatch):
        render("{% url 'actionplan:list' %}")
    with pytest.raises(NoReverseMatch):
        render("{% url 'actionplan:list' 'no spaces allowed' %}")
    set_script_prefix("/sub/")
    try:  # a deployment under a path prefix gets its own links, not the remembered ones
        assert render("{% url 'core:about' %}") == reverse("core:about")
        assert render("{% url 'actionplan:detail' 'oslo' 3 %}").startswith("/sub/p/oslo/")
    finally:
        set_script_prefix("/")
