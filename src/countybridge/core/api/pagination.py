"""Page-number pagination for every list: ?page=&page_size= (≤ 200), answer {items, count, page, page_size, pages}.

A page past the end is an error (422), not an empty list: a client that loops "until empty" over a
changing table would otherwise stop early or late without knowing it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from django.db.models import QuerySet
from ninja import Field, Schema

from .errors import ApiError, field_problem

MAX_PAGE_SIZE = 200
DEFAULT_PAGE_SIZE = 50

T = TypeVar("T")


class PageParams(Schema):
    page: int = Field(1, ge=1, description="1-based page number")
    page_size: int = Field(
        DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description=f"rows per page, ≤ {MAX_PAGE_SIZE}"
    )


class Page(Schema, Generic[T]):
    items: list[T]
    count: int
    page: int
    page_size: int
    pages: int


def paginate(
    rows: QuerySet | Sequence, paging: PageParams, *, transform: Callable[[list], list] | None = None
) -> dict[str, Any]:
    """Slice one page; `transform` may post-process the page's rows (e.g. attach related data in one query)."""
    count = rows.count() if isinstance(rows, QuerySet) else len(rows)
    pages = max(1, math.ceil(count / paging.page_size))
    if paging.page > pages:
        raise ApiError(
            422,
            "invalid_request",
            "请求参数无效",
            "Invalid request",
            [
                field_problem(
                    "page",
                    f"页码超出范围(共 {pages} 页)",
                    f"Page out of range (there are {pages} pages)",
                    "page_out_of_range",
                    "query",
                )
            ],
        )
    start = (paging.page - 1) * paging.page_size
    items = list(rows[start : start + paging.page_size])
    if transform is not None:
        items = transform(items)
    return {
        "items": items,
        "count": count,
        "page": paging.page,
        "page_size": paging.page_size,
        "pages": pages,
    }
