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
