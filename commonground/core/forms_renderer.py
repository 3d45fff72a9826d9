"""The form renderer: Django's widget templates, with the plainest ones done in Python.

Every ``<input>``, checkbox or radio option and menu option is a template render of its
own (input -> attrs, option -> input -> attrs); a filter form of two dozen fields cost
a sixth of its page. This renderer produces the same markup directly for the widget
templates that are nothing but an input, an option or a labelled input (and for a
field's label), and leaves
every other template (selects, textareas, multiple inputs, an app's own override) to
Django's templates. ``core/tests/test_forms_renderer.py`` compares both for every
handled template.
"""

from __future__ import annotations

from typing import Any

from django.forms.renderers import DjangoTemplates
from django.template import Context
from django.template.base import render_value_in_context
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe

_W = "django/forms/widgets/"
INPUTS = {
    f"{_W}{name}.html"
    for name in (
        *("input", "checkbox", "color", "date", "datetime", "email", "file", "hidden"),
        *("number", "password", "search", "tel", "text", "time", "url"),
    )
}
OPTIONS = {f"{_W}{name}.html" for name in ("input_option", "checkbox_option", "radio_option")}
SELECT_OPTION = f"{_W}select_option.html"
MULTIPLE = {f"{_W}{name}.html" for name in ("multiple_input", "checkbox_select", "radio")}
SELECT = f"{_W}select.html"
LABEL = "django/forms/label.html"

_PLAIN = Context()  # autoescape on, localisation and time zone as the settings say


def _text(value: Any) -> str:
    """``{{ value|stringformat:'s' }}`` in an autoescaping template."""
    if isinstance(value, SafeData):
        return str(value)
    try:
        text = "%s" % (value,)  # noqa: UP031 (exactly what the stringformat filter does)
    except (ValueError, TypeError):
        text = ""
    return str(conditional_escape(text))


def _attrs(attrs: dict[str, Any]) -> str:
    return "".join(
        f" {conditional_escape(name)}"
        if value is True
        else f' {conditional_escape(name)}="{_text(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _input(widget: dict[str, Any]) -> str:
    value = widget["value"]
    shown = f' value="{_text(value)}"' if value is not None else ""
    return (
        f'<input type="{conditional_escape(widget["type"])}" name="{conditional_escape(widget["name"])}"'
        f"{shown}{_attrs(widget['attrs'])}>"
    )


def _shown(value: Any) -> str:
    """``{{ value }}``: localised and escaped."""
    return str(render_value_in_context(value, _PLAIN))


def _option(widget: dict[str, Any]) -> str | None:
    """An option's markup as an ``{% include %}`` of its template gives it (with the
    template file's final line break), or None for a template not handled here."""
    name = widget["template_name"]
    if name == SELECT_OPTION:
        return (
            f'<option value="{_text(widget["value"])}"{_attrs(widget["attrs"])}>'
            f"{_shown(widget['label'])}</option>\n"
        )
    if name in OPTIONS:
        html = _input(widget) + "\n"  # the included input template's own line break
        if widget.get("wrap_label"):
            target = widget["attrs"].get("id")
            label_for = f' for="{_shown(target)}"' if target else ""
            html = f"<label{label_for}>{html} {_shown(widget['label'])}</label>"
        html += "\n"  # input_option.html's own line break
        if name != f"{_W}input_option.html":
            html += "\n"  # checkbox_option.html and radio_option.html wrap it, adding theirs
        return html
    return None


def _options(optgroups: list[Any]) -> list[tuple[Any, list[str]]] | None:
    groups: list[tuple[Any, list[str]]] = []
    for group, options, _index in optgroups:
        rendered = [_option(option) for option in options]
        if any(html is None for html in rendered):
            return None
        groups.append((group, [html for html in rendered if html is not None]))
    return groups


def _grouped(groups: list[tuple[Any, list[str]]], opening: str, item: str, closing: str) -> str:
    """The options, each in ``item``, those of a named group between ``opening`` (which
    takes the group's name) and ``closing``, as multiple_input.html and select.html lay
    them out."""
    parts = []
    for group, options in groups:
        if group:
            parts.append(opening.format(_shown(group)))
        parts.extend(item.format(html) for html in options)
        if group:
            parts.append(closing)
    return "".join(parts)


def _multiple(widget: dict[str, Any]) -> str | None:
    groups = _options(widget["optgroups"])
    if groups is None:
        return None
    attrs = widget["attrs"]
    ident = f' id="{_shown(attrs["id"])}"' if attrs.get("id") else ""
    css = f' class="{_shown(attrs["class"])}"' if attrs.get("class") else ""
    inner = _grouped(groups, "\n  <div><label>{}</label>", "<div>\n    {}</div>", "\n  </div>")
    return f"<div{ident}{css}>{inner}\n</div>"


def _select(widget: dict[str, Any]) -> str | None:
    groups = _options(widget["optgroups"])
    if groups is None:
        return None
    inner = _grouped(groups, '\n  <optgroup label="{}">', "\n  {}", "\n  </optgroup>")
    return (
        f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>'
        f"{inner}\n</select>"
    )


def _label(context: dict[str, Any]) -> str:
    """label.html: the field's label in its tag (``<label for=…>``, or the tag the
    caller asks for), or the bare text when the field has no id."""
    label = _shown(context["label"])
    if not context["use_tag"]:
        return label
    tag = _shown(context["tag"])
    return f"<{tag}{_attrs(context['attrs'] or {})}>{label}</{tag}>"


class FormRenderer(DjangoTemplates):
    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        if template_name == LABEL and {"label", "use_tag", "tag", "attrs"} <= context.keys():
            return mark_safe(_label(context))
        widget = context.get("widget")
        html: str | None = None
        if widget is not None and widget.get("template_name") == template_name:
            if template_name in INPUTS:
                html = _input(widget)
            elif template_name in OPTIONS or template_name == SELECT_OPTION:
                html = _option(widget)
            elif template_name in MULTIPLE:
                html = _multiple(widget)
            elif template_name == SELECT:
                html = _select(widget)
        if html is None:
            return super().render(template_name, context, request)
        return mark_safe(html.strip())
