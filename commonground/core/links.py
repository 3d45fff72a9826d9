"""Links without walking the URL patterns for each one.

Django's ``reverse`` walks the URL resolver on every call; a board of 60 cards with two
links each spent a tenth of its time there. ``reverse`` here gives the same result from
a copy reversed once per kind of link (the ``{% url %}`` tag and the models'
``get_absolute_url`` use it); ``link_maker`` does the same for Python code that builds
many rows' links at once.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any

from django.urls import NoReverseMatch, get_script_prefix, get_urlconf
from django.urls import reverse as django_reverse


def link_maker(viewname: str, *args: Any) -> Callable[[int], str]:
    """A function from an object's id to its URL, for a view whose last URL argument is
    that id (for Python code that builds many rows' links): the link is reversed once,
    with an id no row has, and each row's id put in its place."""
    marker = _ID_MARKERS[-1]
    sample = reverse(viewname, args=[*args, int(marker)])
    if sample.count(marker) != 1:  # the marker also in another argument: one by one
        return lambda pk: reverse(viewname, args=[*args, int(pk)])
    head, _marker, tail = sample.partition(marker)

    def link(pk: int) -> str:
        number = int(pk)
        if number < 0:  # no id converter takes it: let Django's reverse say so
            return reverse(viewname, args=[*args, number])
        return f"{head}{number}{tail}"

    return link


# --- reverse, once per kind of link ---------------------------------------------------

# Where a row's id or slug goes: ids and slugs no row has, one per argument of a link.
_ID_MARKERS = tuple(str(2147483647 - n) for n in range(8))
_SLUG_MARKERS = tuple(f"cg-slot-{n}-x" for n in range(8))
# Text every standard converter that takes a slug takes alike: slug characters, not
# all digits (those an int converter also takes), not shaped like a UUID.
_SLUG_TEXT = re.compile(r"[-a-zA-Z0-9_]*[-a-zA-Z_][-a-zA-Z0-9_]*")
_UUID = re.compile(
    r"[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}"
)
ID, SLUG = "#", "$"  # the shape of an argument; any other text is kept as it is ("=...")


def _shape(value: Any) -> str | None:
    if type(value) is int and value >= 0:
        return ID
    if isinstance(value, str):
        if _SLUG_TEXT.fullmatch(value) and not _UUID.fullmatch(value):
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
    url = django_reverse(
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


def reverse(
    viewname: Any,
    urlconf: Any = None,
    args: Any = None,
    kwargs: Any = None,
    current_app: str | None = None,
) -> str:
    """``django.urls.reverse`` (same arguments, same result) that walks the URL patterns
    once per kind of link: the layout's links on every page, or a list's link to each
    row (the same URL but for the row's id or slug), are cut from a remembered copy (a
    tenth of a list page went to reversing). Arguments other than ids and slugs (dates,
    lazy strings, text a converter might read differently from the marker) go to
    Django's reverse.

    Every standard path converter that accepts one id (a non-negative integer) accepts
    every other, and likewise for slugs that are not all digits, so a link reversed with
    a marker has the same pattern as with the row's own value."""
    if urlconf is None:
        url = _cut(viewname, list(args or ()), dict(kwargs or {}), current_app)
        if url:
            return url
    return django_reverse(viewname, urlconf, args=args, kwargs=kwargs, current_app=current_app)


def slug_link(viewname: str, slug: str) -> str:
    """The link to a view whose only argument is a partnership's slug."""
    return reverse(viewname, kwargs={"slug": slug})
