"""Permission matrix rows for conversations."""

from __future__ import annotations

from commonground.conversations import rules as c
from commonground.conversations.models import Post, Thread
from commonground.core.testing import Row, World


def rows(world: World) -> list[Row]:
    p = world.partnership
    manager = world.users["manager"]
    thread = Thread.objects.create(partnership=p, title="Matrix thread", created_by=manager)
    post = Post.objects.create(thread=thread, author=manager, body="A fact", kind="fact")
    request = Post.objects.create(
        thread=thread, author=manager, body="Could you?", addressee=world.users["representative"]
    )
    slug = {"slug": p.slug}
    t = {**slug, "pk": thread.pk}
    po = {**slug, "pk": post.pk}
    body = {"body": "Agreed, let us do it.", "accept_rules": "on"}
    return [
        Row("conversations:threads", slug, c.VIEW),
        Row("conversations:thread_create", slug, c.POST),
        Row("conversations:requests", slug, c.VIEW),
        Row("conversations:facts", slug, c.VIEW),
        Row("conversations:search", {**slug}, c.VIEW),
        Row("conversations:ground_rules", slug, c.GROUND_RULES),
        Row("conversations:thread", t, c.VIEW),
        Row("conversations:reply", t, c.POST, method="post", data=body),
        Row("conversations:thread_moderate", t, c.MODERATE, method="post", data={"action": "pin"}),
        Row("conversations:follow", t, c.VIEW, method="post", data={"follow": "follow"}),
        Row("conversations:post_edit", po, c.POST),
        Row("conversations:post_history", po, c.VIEW),
        Row("conversations:react", po, c.VIEW, method="post", data={"kind": "agree"}),
        Row("conversations:post_mark", po, c.POST, method="post", data={"kind": "fact"}),
        Row("conversations:fact_agree", po, c.MODERATE, method="post"),
        Row(
            "conversations:request_answer",
            {**slug, "pk": request.pk},
            c.POST,
            method="post",
        ),
        Row("conversations:post_report", po, c.VIEW),
        Row("conversations:post_hide", po, c.MODERATE),
        Row("conversations:promote", {**po, "kind": "action"}, c.POST),
        Row("api:conversations_threads", slug, c.VIEW, api=True),
        Row(
            "api:conversations_thread_create",
            slug,
            c.POST,
            api=True,
            method="post",
            data={"title": "From the API", "body": "Hello", "accept_rules": True},
        ),
        Row("api:conversations_posts", t, c.VIEW, api=True),
        Row(
            "api:conversations_post_create",
            t,
            c.POST,
            api=True,
            method="post",
            data={"body": "Reply via the API", "accept_rules": True},
        ),
        Row("api:conversations_facts", slug, c.VIEW, api=True),
    ]
