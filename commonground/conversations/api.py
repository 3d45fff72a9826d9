"""API: threads, posts (list, create) and facts."""

from __future__ import annotations

import datetime

from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.pagination import paginate

from commonground.core import policy
from commonground.core.api_pagination import PageNumberPagination
from commonground.core.http import AuthedRequest
from commonground.partnerships.models import WorkingGroup

from . import markup, rules, selectors, services
from .models import Post, Thread

router = Router(tags=["conversations"])


class ThreadOut(Schema):
    id: int
    title: str
    working_group: str | None
    is_pinned: bool
    is_closed: bool
    last_post_at: datetime.datetime | None
    post_count: int = 0
    unread: int = 0

    @staticmethod
    def resolve_working_group(obj) -> str | None:  # type: ignore[no-untyped-def]
        return obj.working_group.slug if obj.working_group_id else None


class PostOut(Schema):
    id: int
    thread: int
    author: str | None
    body: str | None
    html: str | None
    kind: str
    fact_agreed: bool
    hidden_reason: str | None
    request_to: str | None
    answered: bool
    created_at: datetime.datetime
    edited_at: datetime.datetime | None

    @staticmethod
    def resolve_thread(obj) -> int:  # type: ignore[no-untyped-def]
        return obj.thread_id

    @staticmethod
    def resolve_author(obj) -> str | None:  # type: ignore[no-untyped-def]
        return str(obj.author) if obj.author_id else None

    @staticmethod
    def resolve_body(obj) -> str | None:  # type: ignore[no-untyped-def]
        return None if obj.is_hidden else obj.body

    @staticmethod
    def resolve_html(obj) -> str | None:  # type: ignore[no-untyped-def]
        return None if obj.is_hidden else getattr(obj, "html", None)

    @staticmethod
    def resolve_fact_agreed(obj) -> bool:  # type: ignore[no-untyped-def]
        return obj.fact_agreed_at is not None

    @staticmethod
    def resolve_hidden_reason(obj) -> str | None:  # type: ignore[no-untyped-def]
        return obj.hidden_reason if obj.is_hidden else None

    @staticmethod
    def resolve_request_to(obj) -> str | None:  # type: ignore[no-untyped-def]
        return str(obj.addressee) if obj.addressee_id else None

    @staticmethod
    def resolve_answered(obj) -> bool:  # type: ignore[no-untyped-def]
        return obj.answered_at is not None


class ThreadIn(Schema):
    title: str
    body: str
    working_group: str | None = None
    accept_rules: bool = False


class PostIn(Schema):
    body: str
    kind: str = ""
    quote: int | None = None
    accept_rules: bool = False


@router.get("/{slug}/threads", response=list[ThreadOut], url_name="conversations_threads")
@paginate(PageNumberPagination, page_size=50)
def thread_list(request: AuthedRequest, slug: str):  # type: ignore[no-untyped-def]
    partnership = policy.partnership_or_404(request.user, slug, rules.VIEW)
    return selectors.threads_for(request.user, partnership)


@router.post("/{slug}/threads", response={201: ThreadOut}, url_name="conversations_thread_create")
def thread_create(request: AuthedRequest, slug: str, payload: ThreadIn):  # type: ignore[no-untyped-def]
    partnership = policy.partnership_or_404(request.user, slug, rules.POST)
    group = (
        get_object_or_404(WorkingGroup, partnership=partnership, slug=payload.working_group)
        if payload.working_group
        else None
    )
    thread = services.thread_create(
        actor=request.user,
        partnership=partnership,
        title=payload.title,
        body=payload.body,
        working_group=group,
        accept_rules=payload.accept_rules,
    )
    return 201, thread


@router.get("/{slug}/threads/{pk}/posts", response=list[PostOut], url_name="conversations_posts")
@paginate(PageNumberPagination, page_size=50)
def post_list(request: AuthedRequest, slug: str, pk: int):  # type: ignore[no-untyped-def]
    partnership = policy.partnership_or_404(request.user, slug, rules.VIEW)
    thread = get_object_or_404(Thread, pk=pk, partnership=partnership)
    return _Rendered(selectors.posts_of(thread, request.user), request.user, partnership)


class _Rendered:
    """A sliceable list of posts whose page is rendered with the reader's link visibility."""

    def __init__(self, qs, user, partnership) -> None:  # type: ignore[no-untyped-def]
        self.qs, self.user, self.partnership = qs, user, partnership

    def count(self) -> int:
        return self.qs.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, s):  # type: ignore[no-untyped-def]
        items = list(self.qs[s])
        visible = markup.visible_refs(
            self.user, self.partnership, markup.refs_in(p.body for p in items)
        )
        for p in items:
            p.html = markup.render(p.body, slug=self.partnership.slug, visible=visible)
        return items


@router.post(
    "/{slug}/threads/{pk}/posts", response={201: PostOut}, url_name="conversations_post_create"
)
def post_create(request: AuthedRequest, slug: str, pk: int, payload: PostIn):  # type: ignore[no-untyped-def]
    partnership = policy.partnership_or_404(request.user, slug, rules.POST)
    thread = get_object_or_404(Thread, pk=pk, partnership=partnership)
    quote = Post.objects.filter(thread=thread, pk=payload.quote).first() if payload.quote else None
    post = services.post_create(
        actor=request.user,
        thread=thread,
        body=payload.body,
        kind=payload.kind,
        quote=quote,
        accept_rules=payload.accept_rules,
    )
    return 201, post


@router.get("/{slug}/facts", response=list[PostOut], url_name="conversations_facts")
@paginate(PageNumberPagination, page_size=50)
def fact_list(request: AuthedRequest, slug: str, agreed: bool = False):  # type: ignore[no-untyped-def]
    partnership = policy.partnership_or_404(request.user, slug, rules.VIEW)
    return selectors.facts(partnership, agreed_only=agreed)
