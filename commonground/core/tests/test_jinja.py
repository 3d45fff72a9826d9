"""Jinja2 partials render values as a Django template would, and their text is translated."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import jinja2
import pytest
from django.conf import settings
from django.template import Context, Template, engines
from django.test import RequestFactory
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from commonground.core.tests.test_i18n import catalogues, entries


def jinja(source: str, **values) -> str:
    return engines["jinja2"].from_string(source).render(values)


def django(source: str, **values) -> str:
    return Template(source).render(Context(values))


VALUES = {
    "whole": 1234567,
    "negative": -42,
    "fraction": Decimal("1234.50"),
    "real": 2.5,
    "negative zero": -0.0,
    "zero": 0.0,
    "day": dt.date(2026, 3, 9),
    "moment": dt.datetime(2026, 3, 9, 23, 30, tzinfo=dt.UTC),
    "nothing": None,
    "yes": True,
    "text": "Ann & <Bo> \"quoted\" 'single'",
    "safe": mark_safe("<em>kept</em>"),
    "lazy": gettext_lazy("Status"),
}


@pytest.mark.parametrize("language", ["en", "nb"])
@pytest.mark.parametrize("name", sorted(VALUES))
def test_a_value_renders_as_in_a_django_template(name, language):
    with translation.override(language), timezone.override("Europe/Oslo"):
        assert jinja("{{ v }}", v=VALUES[name]) == django("{{ v }}", v=VALUES[name])


@pytest.mark.parametrize("language", ["en", "nb"])
def test_the_date_filter_and_its_remembered_dates_follow_the_language(language):
    day = dt.date(2026, 5, 17)
    with translation.override(language):
        expected = django('{{ d|date:"l j F Y" }}', d=day)
        assert jinja('{{ d|date("l j F Y") }}', d=day) == expected
        moment = dt.datetime(2026, 5, 17, 22, 30, tzinfo=dt.UTC)
        with timezone.override("Europe/Oslo"):
            assert jinja('{{ d|date("j M H:i") }}', d=moment) == django(
                '{{ d|date:"j M H:i" }}', d=moment
            )
    # the cache is keyed by language: Norwegian and English month names differ
    with translation.override("nb"):
        nb = jinja('{{ d|date("F") }}', d=day)
    with translation.override("en"):
        en = jinja('{{ d|date("F") }}', d=day)
    assert (nb, en) == ("mai", "May")


@pytest.mark.parametrize("language", ["en", "nb"])
@pytest.mark.parametrize(
    "fmt",
    [
        *("D j M Y, H:i", "l j F Y", "H:i", "j M", "d.m.y G\\h i", "N E b", "D jS F"),
        *("DATE_FORMAT", "SHORT_DATETIME_FORMAT", "DATETIME_FORMAT", "SHORT_DATE_FORMAT"),
    ],
)
def test_datetimes_are_written_as_django_writes_them(fmt, language):
    """The date writer (formats split once) against Django's filter, over a year of
    moments at odd hours, so every month and weekday name and both sides of midnight
    in Oslo's two UTC offsets come up; a format it does not cover (``S``) or a
    format name falls back to Django."""
    start = dt.datetime(2026, 1, 1, 0, 7, tzinfo=dt.UTC)
    moments = [start + dt.timedelta(days=d, hours=d * 7 % 24) for d in range(0, 366, 5)]
    with translation.override(language), timezone.override("Europe/Oslo"):
        for moment in moments:
            expected = django("{{ d|date:f }}", d=moment, f=fmt)
            assert jinja("{{ d|date(f) }}", d=moment, f=fmt) == expected


def test_int_grouping_follows_the_setting(settings):
    settings.USE_THOUSAND_SEPARATOR = True
    with translation.override("en"):
        assert jinja("{{ v }}", v=1234567) == django("{{ v }}", v=1234567) == "1,234,567"


def test_translations_are_escaped_like_the_translate_tag_and_take_named_values():
    with translation.override("nb"):
        assert jinja('{{ _("Status") }}') == django('{% translate "Status" %}') == "Status"
        assert jinja('{{ _("Nothing here.") }}') == django('{% translate "Nothing here." %}')
        assert jinja('{{ _("Nothing here.") }}') != "Nothing here."
    # a value put into a translation is escaped; the translation is not escaped twice
    html = jinja('{{ _("from %(m)s") % {"m": t} }}', t="<script>")
    assert html == "from &lt;script&gt;"
    assert jinja('{{ _("a < b") }}') == "a &lt; b"


def test_an_undefined_name_is_an_error_not_an_empty_string():
    with pytest.raises(jinja2.UndefinedError):
        jinja("{{ missing }}")
    with pytest.raises(jinja2.UndefinedError):
        jinja("{{ row.missing }}", row=object())
    assert jinja("{{ row or '—' }}", row=None) == "—"


def test_url_is_the_same_link_as_the_url_tag():
    assert jinja("{{ url('actionplan:detail', 'oslo', 7) }}") == django(
        "{% url 'actionplan:detail' 'oslo' 7 %}"
    )
    assert jinja("{{ url('core:about') }}") == django("{% url 'core:about' %}")


def test_the_jinja_tag_passes_the_page_context_extra_values_and_the_csrf_field(tmp_path):
    request = RequestFactory().get("/")
    from django.middleware.csrf import get_token

    get_token(request)
    page = engines["django"].from_string(
        '{% jinja "core/tests/probe.html" extra=5 %}|{% csrf_token %}'
    )
    env = engines["jinja2"].env
    loader = env.loader
    env.loader = jinja2.ChoiceLoader(
        [
            jinja2.DictLoader(
                {"core/tests/probe.html": "{{ name }}/{{ extra }}/{{ csrf_input }}/{{ 1 < 2 }}"}
            ),
            loader,
        ]
    )
    try:
        html = page.render({"name": "<Ann>"}, request)
    finally:
        env.loader = loader
        env.cache.clear()
    probe, token_field = html.split("|")
    name, extra, field, _compare = probe.split("/", 3)
    assert (name, extra) == ("&lt;Ann&gt;", "5")
    assert field.startswith('<input type="hidden" name="csrfmiddlewaretoken" value="')
    assert re.sub(r'value="[^"]+"', "", field) == re.sub(r'value="[^"]+"', "", token_field)
    # without a token (no request) the field is left out, as {% csrf_token %} does
    env.loader = jinja2.DictLoader({"core/tests/probe.html": "[{{ csrf_input }}]"})
    try:
        assert (
            engines["django"].from_string('{% jinja "core/tests/probe.html" %}').render({}) == "[]"
        )
    finally:
        env.loader = loader
        env.cache.clear()


def partials() -> list[Path]:
    return sorted(Path(settings.BASE_DIR).glob("commonground/*/jinja2/**/*.html"))


def test_partials_use_only_the_translation_form_makemessages_finds():
    """``makemessages`` reads a partial as a Django template: it finds ``_("…")`` but not
    Jinja2's ``{% trans %}`` blocks or ``ngettext`` calls, whose text would then drop
    out of the catalogues."""
    assert partials(), "no Jinja2 partials found"
    for path in partials():
        source = path.read_text(encoding="utf-8")
        assert "{% trans" not in source, path
        assert "ngettext" not in source and "pgettext" not in source, path
        env = engines["jinja2"].env
        for _line, function, message in env.extract_translations(source):
            assert function == "_", (path, function)
            assert isinstance(message, str), (path, message)
            assert re.search(r'_\("' + re.escape(message) + r'"\)', source), (path, message)


def test_every_text_of_the_partials_is_in_the_norwegian_catalogue():
    translated = {e["msgid"]: e for path in catalogues() for e in entries(path) if any(e["msgstr"])}
    env = engines["jinja2"].env
    for path in partials():
        for _line, _function, message in env.extract_translations(path.read_text()):
            key = message.replace('"', '\\"')
            assert key in translated, f"{path.name}: {message!r} has no nb translation"
