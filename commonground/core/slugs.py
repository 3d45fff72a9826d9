"""A slug not yet taken, for the models whose slugs are made from a name."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.text import slugify


def unique_slug(
    taken: QuerySet[Any],
    name: str,
    *,
    max_length: int,
    fallback: str,
    exclude_pk: int | None = None,
    reserved: frozenset[str] | set[str] = frozenset(),
) -> str:
    """``name`` slugified (at most ``max_length`` characters, ``fallback`` when nothing
    is left), followed by ``-2``, ``-3``… until no row of ``taken`` but ``exclude_pk``
    (the row being renamed) has that slug. A ``reserved`` slug gets ``-<fallback>``."""
    root = slugify(name)[:max_length] or fallback
    if root in reserved:
        root = f"{root}-{fallback}"
    if exclude_pk:
        taken = taken.exclude(pk=exclude_pk)
    slug, n = root, 2
    while taken.filter(slug=slug).exists():
        slug = f"{root}-{n}"
        n += 1
    return slug
