from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.functional import cached_property


class CappedPaginator(Paginator):
    """A paginator that counts at most ``cap`` rows (plus one, to know there are more).

    For searches over tables that grow without bound (the directory): counting every
    match costs as much as reading them, so the page says "1000+" and offers the pages
    up to the cap; narrowing the search finds the rest.
    """

    def __init__(self, object_list: Any, per_page: int, cap: int = 1000) -> None:
        super().__init__(object_list, per_page)
        self.cap = cap

    @cached_property
    def _seen(self) -> int:
        # COUNT over a subquery limited to cap + 1 rows: stops reading at the cap.
        queryset: QuerySet[Any] = self.object_list  # type: ignore[assignment]
        return queryset.order_by()[: self.cap + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self._seen, self.cap)

    @cached_property
    def is_capped(self) -> bool:
        return self._seen > self.cap


def paginate(
    request: HttpRequest, queryset: Any, per_page: int | None = None, cap: int | None = None
) -> Page:
    """One page of ``queryset`` from ``?page=``; out-of-range pages give the last page.

    With ``cap``, at most ``cap`` matches are counted (see :class:`CappedPaginator`).
    """
    size = per_page or settings.COMMONGROUND_PAGE_SIZE
    paginator = CappedPaginator(queryset, size, cap) if cap else Paginator(queryset, size)
    return paginator.get_page(request.GET.get("page"))


def querystring_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
