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

    from commonground.core.templatetags.ui import _link_parts

    _link_parts.cache_clear()
    source = (
        "{% url 'actionplan:list' slug %}|{% url 'actionplan:detail' slug pk %}|"
        "{% url 'core:about' %}|{% url 'meetings:item_notes' slug=slug pk=pk item_pk=item %}"
    )
    cases = [("oslo", 1, 2), ("bergen-2", 42, 0), ("x-2147483647", 2147483647, 7), ("oslo", 9, 10)]
    for slug, pk, item in cases:
        assert render(source, slug=slug, pk=pk, item=item) == "|".join(
            [
                reverse("actionplan:list", args=[slug]),
                reverse("actionplan:detail", args=[slug, pk]),
                reverse("core:about"),
                reverse("meetings:item_notes", kwargs={"slug": slug, "pk": pk, "item_pk": item}),
            ]
        )
    # one remembered copy per kind of link and text argument, whatever the ids
    assert _link_parts.cache_info().currsize == 3 * 3 + 1
    # a slug that contains a marker id is not cut at the wrong place
    assert "2147483647" in reverse("actionplan:detail", args=["x-2147483647", 5])
    # arguments that are neither text nor ids go to Django's reverse unchanged
    with pytest.raises(NoReverseMatch):
        render("{% url 'actionplan:detail' 'oslo' -1 %}")
    assert render("{% url 'nope:nothing' as u %}[{{ u }}]") == "[]"
    assert render("{% url 'actionplan:detail' 'oslo' 'abc' as u %}[{{ u }}]") == "[]"
    with pytest.raises(NoReverseMatch):
        render("{% url 'actionplan:list' %}")
    set_script_prefix("/sub/")
    try:  # a deployment under a path prefix gets its own links, not the remembered ones
        assert render("{% url 'core:about' %}") == reverse("core:about")
        assert render("{% url 'actionplan:detail' 'oslo' 3 %}").startswith("/sub/p/oslo/")
    finally:
        set_script_prefix("/")
