"""Page-number pagination for the API with bounded inputs.

django-ninja's own class accepts any page number; a number past what a database
integer holds turned the OFFSET into a server error (found by the schema fuzzer).
Bounded here, it is a 422 with the reason, like any other invalid parameter.
"""

from __future__ import annotations

from ninja import Field, Schema
from ninja.pagination import PageNumberPagination as NinjaPageNumberPagination

MAX_PAGE = 1_000_000


class PageNumberPagination(NinjaPageNumberPagination):
    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1, le=1000)
