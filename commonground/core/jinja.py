"""Jinja2 for the long loops of a page (board cards, table rows, attendee lists).

Pages are Django templates; a page's repeated part may instead live in a Jinja2
partial under ``<app>/jinja2/`` and be included with ``{% jinja "name" %}``. Jinja2
compiles a template to Python code, so a loop over sixty cards costs about a tenth
of what the same loop costs in the Django template language, where every variable
is looked up and rendered through several layers of calls.

The environment keeps Django's rendering rules, so a partial renders the same
markup as the Django template it replaced:

- values are escaped and localised like ``{{ value }}`` in a Django
  template (dates, numbers, aware datetimes in the current time zone);
- ``_("text")`` translates through Django's catalogues, and ``makemessages`` finds
  ``_("…")`` in these files as it does in Django templates (so partials use only
  that form, never Jinja2's ``{% trans %}`` block nor ``ngettext``); a text with
  named values is ``_("from %(m)s") % {"m": title}`` (the values are escaped);
- ``url(name, *args)`` is ``core.links.reverse``; ``date`` is Django's filter
  (Jinja2's own ``default`` replaces only undefined values: write ``x or "—"``);
- an undefined name is an error, not an empty string, so a typo fails the tests.
"""

from __future__ import annotations

import functools
import html
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import jinja2
from django.conf import settings
from django.template import defaultfilters
from django.utils import dateformat, formats
from django.utils.html import escape
from django.utils.safestring import SafeString
from django.utils.timezone import template_localtime  # type: ignore[attr-defined]
from django.utils.translation import get_language, gettext, ngettext, pgettext
from markupsafe import Markup

from commonground.core.links import reverse


def _safe(escaped: str) -> Markup:
    """Text already escaped (or digits only), marked so Jinja2 does not escape it again."""
    return Markup(escaped)  # noqa: S704 - every caller escapes first


def _finalize(value: Any) -> Any:
    """What a Django template does to a value: localise it and escape it as Django
    escapes (``&quot;`` and ``&#x27;``, where Jinja2 alone would write ``&#34;``)."""
    kind = type(value)
    if kind is str:
        return _safe(html.escape(value))
    if kind is SafeString or kind is Markup:
        return value
    if kind is int and not settings.USE_THOUSAND_SEPARATOR:
        return _safe(str(value))  # what localize makes of an int without grouping, sooner
    if kind is date:
        return _localized_date(value, get_language())
    if kind is Decimal:  # amounts and means: a table repeats the same few
        return _localized_decimal(str(value), get_language(), settings.USE_THOUSAND_SEPARATOR)
    if kind is float:
        return _localized_float(repr(value), get_language(), settings.USE_THOUSAND_SEPARATOR)
    if hasattr(value, "__html__"):
        return value
    return _safe(html.escape(str(formats.localize(template_localtime(value)))))


@functools.lru_cache(maxsize=2048)
def _localized_date(value: date, language: str | None) -> Markup:
    return _safe(html.escape(formats.localize(value)))


@functools.lru_cache(maxsize=4096)
def _localized_float(text: str, language: str | None, grouping: bool) -> Markup:
    # keyed by the text: 0.0 == -0.0, but the two are written differently
    return _safe(html.escape(formats.localize(float(text))))


@functools.lru_cache(maxsize=4096)
def _localized_decimal(text: str, language: str | None, grouping: bool) -> Markup:
    # keyed by the text, not the number: Decimal("3.4") == Decimal("3.40"), but the two
    # are written differently
    return _safe(html.escape(formats.localize(Decimal(text))))


@functools.lru_cache(maxsize=2048)
def _date_filter(value: date, arg: str | None, language: str | None) -> str:
    return defaultfilters.date(value, arg)


# Format characters read straight off the value, written as Django's DateFormat
# writes them.
_NUMERIC: dict[str, Callable[[Any], str]] = {
    "d": lambda v: f"{v.day:02d}",
    "j": lambda v: str(v.day),
    "m": lambda v: f"{v.month:02d}",
    "n": lambda v: str(v.month),
    "y": lambda v: f"{v.year % 100:02d}",
    "Y": lambda v: f"{v.year:04d}",
    "H": lambda v: f"{v.hour:02d}",
    "G": lambda v: str(v.hour),
    "i": lambda v: f"{v.minute:02d}",
}
# Names of months and weekdays: Django writes each once per language into a table.
_MONTH_NAMES = "bEFMN"
_WEEKDAY_NAMES = "Dl"


def _name_writer(char: str) -> Callable[[Any], str]:
    if char in _MONTH_NAMES:
        months = [dateformat.format(date(2026, month, 1), char) for month in range(1, 13)]
        return lambda v: months[v.month - 1]
    # 2024-01-01 was a Monday, weekday() 0
    days = [dateformat.format(date(2024, 1, 1 + day), char) for day in range(7)]
    return lambda v: days[v.weekday()]


@functools.lru_cache(maxsize=256)
def _date_writer(arg: str, language: str | None) -> Callable[[Any], str] | None:
    """A function writing a datetime as ``dateformat.format(value, arg)`` does, with
    the format split once (Django splits it, and looks up every name's translation,
    on every call); None for a format using a character it does not cover."""
    parts: list[str | Callable[[Any], str]] = []
    for i, piece in enumerate(dateformat.re_formatchars.split(arg)):
        if i % 2:
            if piece in _NUMERIC:
                parts.append(_NUMERIC[piece])
            elif piece in _MONTH_NAMES or piece in _WEEKDAY_NAMES:
                parts.append(_name_writer(piece))
            else:
                return None
        elif piece:
            parts.append(dateformat.re_escaped.sub(r"\1", piece))

    def write(value: Any) -> str:
        return "".join(part if type(part) is str else part(value) for part in parts)  # type: ignore[operator]

    return write


def _date(value: Any, arg: str | None = None) -> str:
    """Django's ``date`` filter; a plain date (not a datetime) is formatted once per
    date, format and language (a board repeats the same few due dates), a datetime
    through a writer made once per format and language."""
    if type(value) is date:
        return _date_filter(value, arg, get_language())
    # a Django template hands this filter a datetime in the current time zone
    local = template_localtime(value)
    if type(local) is datetime and arg:
        language = get_language()
        # a format's name ("SHORT_DATETIME_FORMAT") stands for the language's format
        fmt = formats.get_format(arg) if arg in formats.FORMAT_SETTINGS else arg
        write = _date_writer(fmt, language)
        if write is not None:
            return write(local)
    return defaultfilters.date(local, arg)


def _gettext(message: str) -> Markup:
    """A translation, escaped as ``{% translate %}`` escapes it; named values put in
    with ``%`` (``_("from %(m)s") % {"m": title}``) are escaped in turn."""
    return _safe(escape(gettext(message)))


def _ngettext(singular: str, plural: str, number: int) -> Markup:
    return _safe(escape(ngettext(singular, plural, number)))


def _pgettext(context: str, message: str) -> Markup:
    return _safe(escape(pgettext(context, message)))


def _url(view_name: str, *args: Any, **kwargs: Any) -> str:
    return reverse(view_name, args=args or None, kwargs=kwargs or None)


def environment(**options: Any) -> jinja2.Environment:
    options["undefined"] = jinja2.StrictUndefined
    options["autoescape"] = True
    env = jinja2.Environment(extensions=["jinja2.ext.i18n"], finalize=_finalize, **options)  # noqa: S701 - autoescape is set just above
    env.install_gettext_callables(_gettext, _ngettext, newstyle=False, pgettext=_pgettext)  # type: ignore[attr-defined]
    env.filters["date"] = _date
    # Django's, not Jinja2's namesakes: the same output as the templates they replace
    env.filters["linebreaksbr"] = defaultfilters.linebreaksbr
    env.filters["urlencode"] = defaultfilters.urlencode
    env.globals["url"] = _url
    return env
