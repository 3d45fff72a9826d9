"""The Python-rendered widgets must give exactly what Django's widget templates give."""

import datetime

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from commonground.core.forms_renderer import FormRenderer

STOCK = DjangoTemplates()
OURS = FormRenderer()

CHOICES = [
    (1, "One"),
    ("two", 'Two <b>"quoted"</b> & more'),
    ("", gettext_lazy("Any")),
    (3.5, mark_safe("<i>safe</i>")),
]
GROUPED = [("Group <A>", [("a", "A"), ("b", "B")]), ("c", "C")]
ATTRS = [
    None,
    {"id": "f-x", "class": "wide", "required": True, "disabled": False, "data-n": 3},
    {"placeholder": 'say "hi" <now>', "autofocus": True, "maxlength": 200},
]
WIDGETS = [
    (forms.TextInput(), ["", "plain", 'x"<y>&z', 12, None, mark_safe("<b>")]),
    (forms.HiddenInput(), ["", "1", None, 0]),
    (forms.SearchInput(), ["q", None]),
    (forms.NumberInput(), [5, "5", None, 1.5]),
    (forms.EmailInput(), ["a@b.c", None]),
    (forms.URLInput(), ["https://x.example/?a=1&b=2", None]),
    (forms.PasswordInput(render_value=True), ["secret", None]),
    (forms.DateInput(attrs={"type": "date"}), [datetime.date(2026, 12, 4), "2026-12-04", None]),
    (forms.DateTimeInput(format="%Y-%m-%dT%H:%M"), [datetime.datetime(2026, 1, 2, 3, 4), None]),
    (forms.TimeInput(), [datetime.time(9, 30), None]),
    (forms.CheckboxInput(), [True, False, None, "on"]),
    (forms.ClearableFileInput(), [None]),
    (forms.CheckboxSelectMultiple(choices=CHOICES), [[], ["two", 1], None]),
    (forms.CheckboxSelectMultiple(choices=GROUPED), [["a", "c"], []]),
    (forms.RadioSelect(choices=CHOICES), ["two", None, 1]),
    (forms.Select(choices=CHOICES), ["two", None, "1", ""]),
    (forms.Select(choices=GROUPED), ["b", None]),
    (forms.SelectMultiple(choices=CHOICES), [["two", "1"], []]),
    (forms.NullBooleanSelect(), [True, False, None]),
    (forms.Textarea(), ["line 1\n<line 2>", None]),
    (forms.SelectDateWidget(years=[2025, 2026]), [datetime.date(2026, 3, 1), None]),
]


@pytest.mark.parametrize("widget, values", WIDGETS, ids=lambda w: type(w).__name__)
def test_every_widget_renders_exactly_as_the_stock_templates(widget, values):
    for attrs in ATTRS:
        for value in values:
            stock = widget.render("field_name", value, attrs=attrs, renderer=STOCK)
            ours = widget.render("field_name", value, attrs=attrs, renderer=OURS)
            assert ours == stock, (widget, value, attrs)


def test_single_options_of_a_bound_field_render_as_the_stock_templates():
    class F(forms.Form):
        pick = forms.ChoiceField(choices=CHOICES, widget=forms.RadioSelect)
        many = forms.MultipleChoiceField(choices=GROUPED, widget=forms.CheckboxSelectMultiple)

    for renderer_pair in ((STOCK, OURS),):
        stock_form = F({"pick": "two", "many": ["a"]}, renderer=renderer_pair[0])
        our_form = F({"pick": "two", "many": ["a"]}, renderer=renderer_pair[1])
        for name in ("pick", "many"):
            for stock_w, our_w in zip(stock_form[name], our_form[name], strict=True):
                assert str(our_w) == str(stock_w)
                assert our_w.tag() == stock_w.tag()
        assert str(our_form) == str(stock_form)


@pytest.mark.parametrize("auto_id", ["id_%s", False])
def test_labels_render_as_the_stock_template(auto_id):
    class F(forms.Form):
        name = forms.CharField(label='Name <b>"quoted"</b> & more')
        safe = forms.CharField(label=mark_safe("<i>Safe</i>"))
        lazy = forms.CharField(label=gettext_lazy("Status"), required=False)
        pick = forms.ChoiceField(choices=CHOICES, widget=forms.RadioSelect)

    stock_form = F(renderer=STOCK, auto_id=auto_id, label_suffix=":")
    our_form = F(renderer=OURS, auto_id=auto_id, label_suffix=":")
    for name in ("name", "safe", "lazy", "pick"):
        for kwargs in ({}, {"attrs": {"class": "x", "data-n": 2}}, {"tag": "legend"}):
            stock = stock_form[name].label_tag(**kwargs)
            assert our_form[name].label_tag(**kwargs) == stock, (name, kwargs)
        assert our_form[name].legend_tag() == stock_form[name].legend_tag()
    assert str(our_form) == str(stock_form)


def test_the_project_uses_it():
    from django.forms.renderers import get_default_renderer

    assert isinstance(get_default_renderer(), FormRenderer)
