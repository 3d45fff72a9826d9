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


class CountedPaginator(Paginator):
    """A paginator told how many rows there are (counted along with something cached)."""

    def __init__(self, object_list: Any, per_page: int, count: int) -> None:
        super().__init__(object_list, per_page)
        self.known_count = count

    @cached_property
    def count(self) -> int:
        return self.known_count


def paginate(
    request: HttpRequest,
    queryset: Any,
    per_page: int | None = None,
    cap: int | None = None,
    count: int | None = None,
) -> Page:
    """One page of ``queryset`` from ``?page=``; out-of-range pages give the last page.

    With ``cap``, at most ``cap`` matches are counted (see :class:`CappedPaginator`);
    with ``count``, none are: the caller knows how many there are.
    """
    size = per_page or settings.COMMONGROUND_PAGE_SIZE
    paginator: Paginator
    if count is not None:
        paginator = CountedPaginator(queryset, size, count)
    elif cap:
        paginator = CappedPaginator(queryset, size, cap)
    else:
        paginator = Paginator(queryset, size)
    return paginator.get_page(request.GET.get("page"))


def querystring_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
