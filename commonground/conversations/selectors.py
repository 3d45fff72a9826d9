"""Reads for conversations: lists with unread counts, thread pages, participation, search."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from .models import Attachment, Post, PostKind, Reaction, ReadState, Thread

if TYPE_CHECKING:
    from commonground.partnerships.models import Partnership


def threads_for(user: Any, partnership: Partnership, group: Any = None) -> QuerySet[Thread]:
    """Threads with post counts and the reader's unread count, computed in SQL."""
    # Nested inside the unread subquery: the thread is two levels out.
    last_read = ReadState.objects.filter(thread=OuterRef(OuterRef("pk")), user=user).values(
        "last_read_post_id"
    )[:1]
    follow = ReadState.objects.filter(thread=OuterRef("pk"), user=user).values("follow")[:1]
    unread = (
        Post.objects.filter(thread=OuterRef("pk"), is_hidden=False)
        .filter(pk__gt=Coalesce(Subquery(last_read, output_field=IntegerField()), Value(0)))
        .values("thread")
        .annotate(n=Count("pk"))
        .values("n")
    )
    qs = (
        Thread.objects.filter(partnership=partnership)
        .select_related("working_group", "created_by")
        .annotate(
            post_count=Count("posts"),
            unread=Coalesce(Subquery(unread, output_field=IntegerField()), Value(0)),
            my_follow=Subquery(follow),
        )
    )
    if group is not None:
        qs = qs.filter(working_group=group)
    return qs.order_by("-is_pinned", "-last_post_at", "-id")


def posts_of(thread: Thread, user: Any) -> QuerySet[Post]:
    """The thread's posts. Attachments are only those documents the reader may open:
    a post does not reveal the title of a restricted document to everyone in the thread."""
    from commonground.library.models import Document
    from commonground.library.rules import documents_visible_to

    visible = documents_visible_to(
        user, Document.objects.filter(partnership_id=thread.partnership_id), thread.partnership_id
    )
    attachments = Attachment.objects.filter(document__in=visible.values("pk")).select_related(
        "document"
    )
    return (
        Post.objects.filter(thread=thread)
        .select_related(
            "author__organisation", "quote__author", "addressee", "hidden_by", "answer_post"
        )
        .prefetch_related(
            "links",
            Prefetch("attachments", queryset=attachments),
            Prefetch("reactions", queryset=Reaction.objects.only("post_id", "user_id", "kind")),
        )
        .annotate(revision_count=Count("revisions", distinct=True))
        .order_by("created_at", "id")
    )


def participation(thread: Thread) -> list[dict[str, Any]]:
    """Posts per organisation and sector in one thread (for facilitators: who dominates?)."""
    return list(
        Post.objects.filter(thread=thread)
        .values("author__organisation__name", "author__organisation__sector")
        .annotate(posts=Count("pk"), people=Count("author", distinct=True))
        .order_by("-posts", "author__organisation__name")
    )


def sector_participation(thread: Thread) -> list[dict[str, Any]]:
    return list(
        Post.objects.filter(thread=thread)
        .values("author__organisation__sector")
        .annotate(posts=Count("pk"))
        .order_by("-posts")
    )


def open_requests(partnership: Partnership) -> QuerySet[Post]:
    return (
        Post.objects.filter(
            thread__partnership=partnership,
            addressee__isnull=False,
            answered_at__isnull=True,
            is_hidden=False,
        )
        .select_related("thread", "author", "addressee")
        .order_by("created_at", "id")
    )


def facts(partnership: Partnership, agreed_only: bool = False) -> QuerySet[Post]:
    qs = Post.objects.filter(thread__partnership=partnership, kind=PostKind.FACT, is_hidden=False)
    if agreed_only:
        qs = qs.filter(fact_agreed_at__isnull=False)
    return qs.select_related("thread", "author").order_by("-created_at", "-id")


def search(partnership: Partnership, q: str) -> dict[str, QuerySet]:
    q = q.strip()
    threads = Thread.objects.filter(partnership=partnership, title__icontains=q).select_related(
        "working_group"
    )
    posts = (
        Post.objects.filter(thread__partnership=partnership, is_hidden=False)
        .filter(Q(body__icontains=q))
        .select_related("thread", "author")
        .order_by("-created_at", "-id")
    )
    return {"threads": threads.order_by("-last_post_at", "-id"), "posts": posts}
