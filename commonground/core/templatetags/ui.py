"""Template helpers every app's templates may use without ``{% load %}``."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from typing import Any

from django import template
from django.template import defaulttags
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.simple_tag
def options(items: Iterable[Any], selected: Any = None) -> SafeString:
    """The ``<option>`` elements of a menu: ``items`` are ``(value, label)`` pairs or
    model instances (their id and text); the one whose value equals ``selected``,
    compared as text, is marked selected.

    A template loop over a long menu (every member of a partnership, say) cost a
    millisecond per ten options; this builds the same markup in one pass.
    """
    chosen = "" if selected is None else str(selected)
    parts = []
    for item in items:
        if isinstance(item, (tuple, list)):
            value, label = item
        else:
            value, label = item.pk, item
        value = "" if value is None else str(value)
        mark = " selected" if value == chosen else ""
        parts.append(
            f'<option value="{conditional_escape(value)}"{mark}>{conditional_escape(label)}</option>'
        )
    return mark_safe("".join(parts))


# Where a row's id or slug goes: ids and slugs no row has, one per argument of a link.
_ID_MARKERS = tuple(str(2147483647 - n) for n in range(8))
_SLUG_MARKERS = tuple(f"cg-slot-{n}-x" for n in range(8))
# Text every standard converter that takes a slug takes alike: slug characters, not
# all digits (those an int converter also takes), not shaped like a UUID.
_SLUG = re.compile(r"[-a-zA-Z0-9_]*[-a-zA-Z_][-a-zA-Z0-9_]*")
_UUID = re.compile(
    r"[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}"
)
ID, SLUG = "#", "$"  # the shape of an argument; any other text is kept as it is ("=...")


def _shape(value: Any) -> str | None:
    if type(value) is int and value >= 0:
        return ID
    if isinstance(value, str):
        if _SLUG.fullmatch(value) and not _UUID.fullmatch(value):
            return SLUG
        return "=" + value
    return None


@functools.lru_cache(maxsize=4096)
def _link_parts(
    prefix: str,
    urlconf: Any,
    view_name: str,
    args: tuple[str, ...],
    kwargs: tuple[tuple[str, str], ...],
    current_app: str | None,
) -> tuple[tuple[str, ...], tuple[int, ...]] | None:
    """A kind of link split around its ids and slugs (``args``/``kwargs`` give each
    argument's shape). Reversed once with markers, then cut at the markers; None (so
    the caller reverses as usual) when a marker is not found exactly once."""
    ids, slugs = iter(_ID_MARKERS), iter(_SLUG_MARKERS)
    slots: list[str] = []

    def fill(shape: str) -> str:
        if shape not in (ID, SLUG):
            return shape[1:]
        slots.append(next(ids) if shape == ID else next(slugs))
        return slots[-1]

    filled_args = [fill(shape) for shape in args]
    filled_kwargs = {name: fill(shape) for name, shape in kwargs}
    url = reverse(
        view_name, urlconf, args=filled_args, kwargs=filled_kwargs, current_app=current_app
    )
    if any(url.count(marker) != 1 for marker in slots):
        return None
    parts: list[str] = []
    order: list[int] = []
    rest = url
    for _position, marker in sorted((url.index(m), m) for m in slots):
        head, _marker, rest = rest.partition(marker)
        parts.append(head)
        order.append(slots.index(marker))
    parts.append(rest)
    return tuple(parts), tuple(order)


class RememberedURLNode(defaulttags.URLNode):
    """``{% url %}`` that reverses each kind of link once per process: the layout's links
    on every page, or a list's link to each row (the same URL but for the row's id or
    slug), are cut from a remembered copy instead of walking the URL patterns again
    (a tenth of a list page went there). Other arguments (dates, lazy strings, text
    a slug converter might treat differently from the marker) are reversed as Django
    does.

    Every standard path converter that accepts one id (a non-negative integer) accepts
    every other, and likewise for slugs that are not all digits, so a link reversed with
    a marker has the same pattern as with the row's own value."""

    def render(self, context: template.Context) -> str:
        args = [arg.resolve(context) for arg in self.args]
        kwargs = {k: v.resolve(context) for k, v in self.kwargs.items()}
        view_name = self.view_name.resolve(context)
        request = getattr(context, "request", None)
        current_app = getattr(request, "current_app", None)
        if current_app is None:
            current_app = getattr(getattr(request, "resolver_match", None), "namespace", None)
        url = ""
        try:
            url = self._cut(view_name, args, kwargs, current_app) or reverse(
                view_name, args=args, kwargs=kwargs, current_app=current_app
            )
        except NoReverseMatch:
            if self.asvar is None:
                raise
        if self.asvar:
            context[self.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url

    @staticmethod
    def _cut(view_name: Any, args: list[Any], kwargs: dict[str, Any], current_app: Any) -> str:
        if not isinstance(view_name, str):
            return ""
        named = sorted(kwargs.items())
        arg_shapes = tuple(_shape(v) for v in args)
        kwarg_shapes = tuple((k, _shape(v)) for k, v in named)
        shaped = [*zip(arg_shapes, args, strict=True)]
        shaped += [(shape, v) for (_k, shape), (_n, v) in zip(kwarg_shapes, named, strict=True)]
        if any(shape is None for shape, _v in shaped):
            return ""
        if sum(shape == ID for shape, _v in shaped) > len(_ID_MARKERS) or sum(
            shape == SLUG for shape, _v in shaped
        ) > len(_SLUG_MARKERS):
            return ""
        # the values for the markers, in the order they are handed out (positional, named)
        values = [str(v) for shape, v in shaped if shape in (ID, SLUG)]
        try:
            found = _link_parts(
                get_script_prefix(),
                get_urlconf(),
                view_name,
                arg_shapes,  # type: ignore[arg-type]
                kwarg_shapes,  # type: ignore[arg-type]
                current_app,
            )
        except NoReverseMatch:
            return ""  # let Django's reverse decide, and word the error, with the real values
        if found is None:
            return ""
        parts, order = found
        pieces = [parts[0]]
        for slot, part in zip(order, parts[1:], strict=True):
            pieces += [values[slot], part]
        return "".join(pieces)


@register.tag("url")
def url(parser: Any, token: Any) -> RememberedURLNode:
    """Django's ``{% url %}`` (same syntax and result), remembering text-only links."""
    node = defaulttags.url(parser, token)
    return RememberedURLNode(node.view_name, node.args, node.kwargs, node.asvar)
