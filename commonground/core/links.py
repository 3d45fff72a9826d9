"""Links for long lists: reverse a URL once, then put each row's id into it.

``reverse`` walks the URL resolver on every call; a board of 60 cards with two links
each spent a tenth of its time there.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.urls import get_script_prefix, get_urlconf, reverse

# An id no row has, marking where a row's own id goes.
_SLOT = 2147483647


def link_maker(viewname: str, *args: Any) -> Callable[[int], str]:
    """A function from an object's id to its URL, for a view whose last URL argument is
    that id (an ``int`` converter); the URL is reversed once, whatever the number of rows."""
    head, _slot, tail = reverse(viewname, args=[*args, _SLOT]).rpartition(str(_SLOT))
    return lambda pk: f"{head}{int(pk)}{tail}"


# A slug no partnership has (slugs are lower case), marking where the slug goes.
_SLUG = "SLUG-SLOT"
_SLUG_URLS: dict[tuple[str, str | None, str], tuple[str, str]] = {}


def slug_link(viewname: str, slug: str) -> str:
    """``reverse(viewname, kwargs={"slug": slug})`` for a view whose only argument is a
    slug, from a split URL reversed once per view (the navigation links every page to
    twenty views of its partnership)."""
    key = (get_script_prefix(), get_urlconf(), viewname)
    parts = _SLUG_URLS.get(key)
    if parts is None:
        head, _slot, tail = reverse(viewname, kwargs={"slug": _SLUG}).partition(_SLUG)
        parts = _SLUG_URLS[key] = (head, tail)
    return f"{parts[0]}{slug}{parts[1]}"
