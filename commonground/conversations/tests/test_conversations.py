from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from commonground.conversations import markup, selectors, services
from commonground.conversations.models import (
    Follow,
    GroundRulesAcceptance,
    Post,
    PostKind,
    Reaction,
    ReadState,
    Thread,
)
from commonground.core.testing import assert_queries_do_not_grow
from commonground.decisions.models import Notification
from commonground.library.tests.factories import make_document

pytestmark = pytest.mark.django_db


def _thread(world, who="manager", **kw):
    return services.thread_create(
        actor=world.user(who),
        partnership=world.partnership,
        title=kw.pop("title", "Where should the repair hub go?"),
        body=kw.pop("body", "Opening post"),
        accept_rules=True,
        **kw,
    )


def _url(name, world, **kw):
    return reverse(f"conversations:{name}", kwargs={"slug": world.partnership.slug, **kw})


# --- sanitising ----------------------------------------------------------------------

XSS = [
    "<script>alert(1)</script>hello",
    "[click](javascript:alert(1))",
    '<img src=x onerror="alert(1)">',
    "![x](javascript:alert(1))",
    '![x](https://evil.example/x.png "t" onerror=alert(1))',
    '<a href="javascript:alert(1)" onclick="alert(1)">x</a>',
    "<iframe src=https://evil.example></iframe>",
    "<svg onload=alert(1)>",
    '<p style="color:red">styled</p>',
    "[x](JaVaScRiPt:alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD4=)",
]


@pytest.mark.parametrize("text", XSS)
def test_stored_xss_is_inert(text):
    html = markup.render(text, slug="x", visible={}).lower()
    for bad in ("<script", "javascript:", "onerror", "onclick", "onload", "<img", "<iframe",
                "<svg", "style=", "data:text"):  # fmt: skip
        assert bad not in html, (text, html)


def test_links_get_rel_nofollow_noopener():
    html = markup.render("[site](https://example.org)", slug="x", visible={})
    assert 'href="https://example.org"' in html
    assert 'rel="nofollow noopener"' in html


def test_xss_through_the_thread_page_is_inert(world, client_for):
    thread = _thread(world, body="<script>alert('x')</script> **bold**")
    body = client_for("manager").get(thread.get_absolute_url()).content.decode()
    assert "<script>alert" not in body
    assert "<strong>bold</strong>" in body


# --- mentions and #links -------------------------------------------------------------


def test_mentioning_someone_in_the_partnership_notifies_them(world):
    _thread(world, body="What do you think, @[Rita Rep]?")
    assert Notification.objects.filter(
        user=world.user("representative"), kind="conversations.mention"
    ).exists()


def test_mentioning_an_outsider_is_refused_clearly(world):
    with pytest.raises(ValidationError) as exc:
        _thread(world, body="Ask @[Otto Outsider] please")
    assert "Otto Outsider" in str(exc.value)


def test_hash_links_render_only_when_the_reader_may_see_the_target(world):

    doc = make_document(
        world.partnership,
        world.second_organisation,
        actor=world.user("manager"),
        access_level="managers",
        title="Secret sheet",
    )
    for role, expect_link in (("manager", True), ("observer", False)):
        visible = markup.visible_refs(
            world.user(role), world.partnership, markup.refs_in([f"see #document-{doc.pk}"])
        )
        html = markup.render(f"see #document-{doc.pk}", slug="matrix", visible=visible)
        assert ("<a " in html) is expect_link
        assert f"#document-{doc.pk}" in html
    # Records of another partnership never become links.
    from commonground.partnerships.tests.factories import MembershipFactory

    MembershipFactory(
        partnership=world.other_partnership, organisation=world.organisation, status="active"
    )
    other = make_document(world.other_partnership, world.organisation, title="Elsewhere")
    visible = markup.visible_refs(
        world.user("admin"), world.partnership, markup.refs_in([f"#document-{other.pk}"])
    )
    assert visible == {}


# --- refusals ------------------------------------------------------------------------


def test_first_post_needs_the_ground_rules_accepted(world):
    with pytest.raises(ValidationError):
        services.thread_create(
            actor=world.user("representative"), partnership=world.partnership, title="T", body="B"
        )
    _thread(world, who="representative")
    assert GroundRulesAcceptance.objects.filter(user=world.user("representative")).exists()


def test_posting_to_a_closed_thread_is_refused(world, client_for):
    thread = _thread(world)
    services.thread_set(actor=world.user("manager"), thread=thread, closed=True)
    with pytest.raises(ValidationError):
        services.post_create(actor=world.user("manager"), thread=thread, body="late")
    response = client_for("manager").post(
        _url("reply", world, pk=thread.pk), {"body": "my careful words"}
    )
    assert response.status_code == 200
    assert "This thread is closed" in response.content.decode()


def test_a_failed_reply_keeps_its_text(world, client_for):
    thread = _thread(world)
    response = client_for("representative").post(
        _url("reply", world, pk=thread.pk), {"body": "My long considered reply"}
    )  # ground rules not accepted yet
    body = response.content.decode()
    assert response.status_code == 200
    assert "My long considered reply" in body
    assert "accept the ground rules" in body
    assert thread.posts.count() == 1


def test_editing_someone_elses_post_is_refused(world, client_for):
    thread = _thread(world)
    post = thread.posts.get()
    with pytest.raises(PermissionDenied):
        services.post_edit(actor=world.user("representative"), post=post, body="changed")
    response = client_for("representative").post(
        _url("post_edit", world, pk=post.pk), {"body": "changed"}
    )
    assert "You can only edit your own posts" in response.content.decode()
    post.refresh_from_db()
    assert post.body == "Opening post"


def test_edit_history_is_kept(world, client_for):
    thread = _thread(world)
    post = thread.posts.get()
    services.post_edit(actor=world.user("manager"), post=post, body="Second text")
    services.post_edit(actor=world.user("manager"), post=post, body="Third text")
    assert list(post.revisions.values_list("body", flat=True)) == ["Second text", "Opening post"]
    body = client_for("observer").get(_url("post_history", world, pk=post.pk)).content.decode()
    assert "Opening post" in body and "Third text" in body


# --- reactions -----------------------------------------------------------------------


def test_one_reaction_of_each_kind_per_person(world):
    post = _thread(world).posts.get()
    user = world.user("observer")
    assert services.reaction_toggle(actor=user, post=post, kind="agree") is True
    assert services.reaction_toggle(actor=user, post=post, kind="thanks") is True
    assert services.reaction_toggle(actor=user, post=post, kind="agree") is False
    assert Reaction.objects.filter(post=post, user=user).count() == 1
    Reaction.objects.create(post=post, user=user, kind="question")
    with pytest.raises(IntegrityError), transaction.atomic():
        Reaction.objects.create(post=post, user=user, kind="question")


# --- moderation ----------------------------------------------------------------------


def test_hiding_needs_a_reason_and_shows_it_in_place(world, client_for):
    thread = _thread(world)
    post = services.post_create(
        actor=world.user("manager"), thread=thread, body="Rumour about the mayor"
    )
    with pytest.raises(ValidationError):
        services.post_hide(actor=world.user("manager"), post=post, reason="  ")
    with pytest.raises(PermissionDenied):
        services.post_hide(actor=world.user("representative"), post=post, reason="x")
    services.post_hide(actor=world.user("manager"), post=post, reason="Rumour, not fact")
    body = client_for("observer").get(thread.get_absolute_url()).content.decode()
    assert "Hidden by a facilitator: Rumour, not fact" in body
    assert "Rumour about the mayor" not in body
    with pytest.raises(ValidationError):
        services.post_edit(actor=world.user("manager"), post=post, body="sneaky rewrite")
    with pytest.raises(ValidationError):
        services.reaction_toggle(actor=world.user("observer"), post=post, kind="agree")


def test_pin_close_move(world, client_for):
    from commonground.partnerships.models import WorkingGroup

    thread = _thread(world)
    group = WorkingGroup.objects.create(partnership=world.partnership, name="Hubs", slug="hubs")
    foreign = WorkingGroup.objects.create(partnership=world.other_partnership, name="X", slug="x")
    c = client_for("manager")
    c.post(_url("thread_moderate", world, pk=thread.pk), {"action": "pin"})
    c.post(_url("thread_moderate", world, pk=thread.pk), {"action": "close"})
    c.post(
        _url("thread_moderate", world, pk=thread.pk),
        {"action": "move", "working_group": group.pk},
    )
    thread.refresh_from_db()
    assert thread.is_pinned and thread.is_closed and thread.working_group == group
    response = c.post(
        _url("thread_moderate", world, pk=thread.pk),
        {"action": "move", "working_group": foreign.pk},
    )
    assert response.status_code == 404


def test_report_notifies_facilitators(world):
    post = _thread(world).posts.get()
    services.post_report(actor=world.user("observer"), post=post, reason="Off topic")
    assert Notification.objects.filter(
        user=world.user("manager"), kind="conversations.report"
    ).exists()
    assert not Notification.objects.filter(
        user=world.user("representative"), kind="conversations.report"
    ).exists()


def test_participation_by_organisation_and_sector(world, client_for):
    thread = _thread(world)  # manager: second organisation (public)
    services.post_create(
        actor=world.user("representative"), thread=thread, body="a", accept_rules=True
    )
    services.post_create(actor=world.user("representative"), thread=thread, body="b")
    rows = {r["author__organisation__name"]: r["posts"] for r in selectors.participation(thread)}
    assert rows == {"Harbour Repair Collective": 2, "Fjordvik Municipality": 1}
    assert "Equal voice" in client_for("manager").get(thread.get_absolute_url()).content.decode()
    assert "Equal voice" not in (
        client_for("representative").get(thread.get_absolute_url()).content.decode()
    )


# --- facts and requests ----------------------------------------------------------------


def test_agreed_fact_goes_into_the_fact_base(world):
    from commonground.method.models import DesignElementRecord

    thread = _thread(world)
    post = services.post_create(
        actor=world.user("manager"),
        thread=thread,
        body="The municipality collected 412 tonnes of bulky waste in 2025.",
        kind=PostKind.FACT,
    )
    with pytest.raises(PermissionDenied):
        services.fact_agree(actor=world.user("representative"), post=post)
    services.fact_agree(actor=world.user("manager"), post=post)
    record = DesignElementRecord.objects.get(partnership=world.partnership, element="fact_base")
    assert "412 tonnes" in record.text
    assert post.get_absolute_url() in record.text
    assert record.version == 1
    second = services.post_create(
        actor=world.user("manager"), thread=thread, body="Second fact.", kind=PostKind.FACT
    )
    services.fact_agree(actor=world.user("manager"), post=second)
    record.refresh_from_db()
    assert record.version == 2 and "412 tonnes" in record.text and "Second fact." in record.text
    interpretation = services.post_create(
        actor=world.user("manager"), thread=thread, body="So it is a lot.", kind="interpretation"
    )
    with pytest.raises(ValidationError):
        services.fact_agree(actor=world.user("manager"), post=interpretation)


def test_request_is_tracked_until_answered(world, client_for):
    thread = _thread(world)
    rita = world.user("representative")
    request = services.post_create(
        actor=world.user("manager"), thread=thread, body="Can you share the figures?",
        addressee=rita,
    )  # fmt: skip
    assert Notification.objects.filter(user=rita, kind="conversations.request").exists()
    assert list(selectors.open_requests(world.partnership)) == [request]
    assert (
        "share the figures" in client_for("observer").get(_url("requests", world)).content.decode()
    )
    with pytest.raises(PermissionDenied):
        services.request_answer(actor=world.user("observer"), post=request)
    answer = services.post_create(actor=rita, thread=thread, body="Here.", accept_rules=True)
    services.request_answer(actor=rita, post=request, answer_post=answer)
    assert list(selectors.open_requests(world.partnership)) == []
    with pytest.raises(ValidationError):
        _thread(world, body="x", addressee=world.user("outsider"))


# --- from talk to action -------------------------------------------------------------


def test_post_becomes_an_action_and_a_proposal(world, client_for):
    from commonground.actionplan.models import Action
    from commonground.decisions.models import Proposal

    post = _thread(world).posts.get()
    c = client_for("manager")
    c.post(_url("promote", world, pk=post.pk, kind="action"), {"title": "Map the sites"})
    c.post(_url("promote", world, pk=post.pk, kind="proposal"), {"title": "Choose the site"})
    action = Action.objects.get(title="Map the sites")
    proposal = Proposal.objects.get(title="Choose the site")
    assert post.get_absolute_url() in action.description
    assert post.get_absolute_url() in proposal.details
    body = c.get(post.get_absolute_url()).content.decode()
    assert f"Became action #{action.pk}" in body and f"Became proposal #{proposal.pk}" in body


def test_post_becomes_an_agenda_item(world):
    import datetime

    from django.utils import timezone

    from commonground.meetings import services as meetings

    meeting = meetings.meeting_create(
        actor=world.user("manager"),
        partnership=world.partnership,
        title="Network meeting",
        place="Town hall",
        starts_at=timezone.now() + datetime.timedelta(days=3),
        ends_at=timezone.now() + datetime.timedelta(days=3, hours=2),
    )
    post = _thread(world).posts.get()
    link = services.post_to_agenda(
        actor=world.user("manager"), post=post, meeting=meeting, title="Site choice"
    )
    assert meeting.items.filter(title="Site choice", pk=link.object_id).exists()


# --- reading state -------------------------------------------------------------------


def test_unread_counts_and_new_marker(world, client_for):
    thread = _thread(world)
    rita = world.user("representative")
    c = client_for("representative")
    c.get(thread.get_absolute_url())  # reads the opening post
    for i in range(3):
        services.post_create(actor=world.user("manager"), thread=thread, body=f"reply {i}")
    row = selectors.threads_for(rita, world.partnership).get(pk=thread.pk)
    assert row.unread == 3 and row.post_count == 4
    body = c.get(thread.get_absolute_url()).content.decode()
    assert body.count("New since your last visit") == 1
    assert selectors.threads_for(rita, world.partnership).get(pk=thread.pk).unread == 0
    assert "New since your last visit" not in c.get(thread.get_absolute_url()).content.decode()


def test_followers_get_replies_and_muted_do_not(world):
    thread = _thread(world)
    rita, olga = world.user("representative"), world.user("observer")
    services.follow_set(actor=rita, thread=thread, follow=Follow.FOLLOW)
    services.follow_set(actor=olga, thread=thread, follow=Follow.MUTE)
    services.post_create(actor=world.user("manager"), thread=thread, body="news")
    assert Notification.objects.filter(user=rita, kind="conversations.reply").count() == 1
    assert not Notification.objects.filter(user=olga).exists()
    assert ReadState.objects.get(thread=thread, user=world.user("manager")).follow == "follow"


# --- search and API ------------------------------------------------------------------


def test_search_finds_threads_and_posts_but_not_hidden_ones(world, client_for):
    thread = _thread(world, title="Compost at the harbour", body="Compost needs space")
    hidden = services.post_create(actor=world.user("manager"), thread=thread, body="compost gossip")
    services.post_hide(actor=world.user("manager"), post=hidden, reason="rumour")
    _thread(world, title="Elsewhere", body="x")  # another thread, no match
    body = client_for("observer").get(_url("search", world), {"q": "compost"}).content.decode()
    assert "Compost at the harbour" in body and "Compost needs space" in body
    assert "gossip" not in body


def test_api_threads_posts_and_facts(world, client_for):
    import json

    c = client_for("manager")
    base = f"/api/conversations/{world.partnership.slug}"
    r = c.post(
        f"{base}/threads",
        json.dumps({"title": "API", "body": "first", "accept_rules": True}),
        content_type="application/json",
    )
    assert r.status_code == 201
    tid = r.json()["id"]
    r = c.post(
        f"{base}/threads/{tid}/posts",
        json.dumps({"body": "a fact", "kind": "fact"}),
        content_type="application/json",
    )
    assert r.status_code == 201
    r = c.post(
        f"{base}/threads/{tid}/posts",
        json.dumps({"body": "hi @[Otto Outsider]"}),
        content_type="application/json",
    )
    assert r.status_code == 400
    posts = c.get(f"{base}/threads/{tid}/posts").json()["items"]
    assert [p["body"] for p in posts] == ["first", "a fact"]
    assert posts[0]["html"] == "<p>first</p>"
    assert c.get(f"{base}/facts").json()["count"] == 1
    assert client_for("outsider").get(f"{base}/threads").status_code == 404


# --- query counts --------------------------------------------------------------------


def test_thread_page_queries_do_not_grow_with_posts(world, client_for):
    from commonground.library.tests.factories import make_document

    thread = _thread(world)
    c = client_for("manager")
    doc = make_document(world.partnership, world.organisation, title="Sheet")
    n = [0]

    def grow():
        for _i in range(30):
            n[0] += 1
            p = services.post_create(
                actor=world.user("manager"),
                thread=thread,
                body=f"see #document-{doc.pk} and @[Rita Rep] {n[0]}",
                kind="fact",
                attachments=[doc],
            )
            services.reaction_toggle(actor=world.user("observer"), post=p, kind="agree")
            services.post_edit(actor=world.user("manager"), post=p, body=f"edited {n[0]}")

    grow()
    url = thread.get_absolute_url() + "?page=1"
    assert_queries_do_not_grow(lambda: c.get(url), grow)


def test_thread_list_queries_do_not_grow(world, client_for):
    c = client_for("manager")

    def grow():
        for _i in range(5):
            t = _thread(world)
            services.post_create(actor=world.user("manager"), thread=t, body="more")

    grow()
    assert_queries_do_not_grow(lambda: c.get(_url("threads", world)), grow)


def test_thread_list_shows_pinned_first(world, client_for):
    first = _thread(world, title="Old but pinned")
    _thread(world, title="Newer")
    services.thread_set(actor=world.user("manager"), thread=first, pinned=True)
    assert [t.title for t in selectors.threads_for(world.user("manager"), world.partnership)] == [
        "Old but pinned",
        "Newer",
    ]
    assert Thread.objects.count() == 2 and Post.objects.count() == 2


def test_home_panel_lists_unread_threads_and_requests(world, client_for):
    from commonground.core.testing import home_with_panels

    thread = _thread(world, title="Panel thread")
    services.post_create(
        actor=world.user("manager"),
        thread=thread,
        body="Q?",
        addressee=world.user("representative"),
    )
    body = home_with_panels(client_for("representative"), world.partnership)
    assert "Panel thread" in body and "1 open request to you" in body


def test_an_attachment_readers_may_not_open_is_not_shown_to_them(world, client_for):
    """A manager attaches a managers-only document: other readers of the thread see
    neither its title nor a link to it; the manager does."""
    from commonground.library.tests.factories import make_document

    thread = _thread(world)
    secret = make_document(
        world.partnership,
        world.organisation,
        actor=world.user("manager"),
        access_level="managers",
        title="Budget negotiation position",
    )
    open_doc = make_document(world.partnership, world.organisation, title="Shared sheet")
    services.post_create(
        actor=world.user("manager"),
        thread=thread,
        body="Both files",
        kind="fact",
        attachments=[secret, open_doc],
    )
    for role in ("representative", "observer"):
        page = client_for(role).get(thread.get_absolute_url()).content.decode()
        assert "Shared sheet" in page
        assert "Budget negotiation position" not in page
        assert f"/documents/{secret.pk}/" not in page
    manager_page = client_for("manager").get(thread.get_absolute_url()).content.decode()
    assert "Budget negotiation position" in manager_page
