"""Pages for conversations: parse → check → service/selector → render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from commonground.core.http import AuthedRequest
from commonground.core.pagination import paginate, querystring_without_page
from commonground.core.policy import has_capability, partnership_view
from commonground.core.views_helpers import apply_service_errors, handle_form
from commonground.partnerships.models import WorkingGroup

from . import markup, rules, selectors, services
from .forms import EditForm, GroundRulesForm, PostForm, PromoteForm, ReasonForm, ThreadForm
from .models import Follow, LinkKind, Post, PostKind, ReactionKind, Thread

THREAD_PAGE_SIZE = 20


def _refuse(request: HttpRequest, exc: Exception) -> None:
    text = exc.messages[0] if isinstance(exc, ValidationError) else str(exc)
    messages.error(request, text or _("That is not allowed."))


def _thread(partnership: Any, pk: int) -> Thread:
    return get_object_or_404(
        Thread.objects.select_related("working_group", "partnership"),
        pk=pk,
        partnership=partnership,
    )


def _post(partnership: Any, pk: int) -> Post:
    return get_object_or_404(
        Post.objects.select_related("thread__partnership", "thread__working_group", "author"),
        pk=pk,
        thread__partnership=partnership,
    )


@partnership_view(rules.VIEW)
def thread_list(request: AuthedRequest, partnership: Any) -> HttpResponse:
    group = None
    if request.GET.get("group"):
        group = get_object_or_404(WorkingGroup, partnership=partnership, slug=request.GET["group"])
    page = paginate(request, selectors.threads_for(request.user, partnership, group))
    return render(
        request,
        "conversations/thread_list.html",
        {
            "partnership": partnership,
            "page": page,
            "group": group,
            "groups": partnership.working_groups.filter(is_active=True),
            "qs": querystring_without_page(request),
            "can_post": has_capability(request.user, partnership, rules.POST),
            "open_requests": selectors.open_requests(partnership).count(),
        },
    )


def _post_form(request: HttpRequest, partnership: Any, cls: Any = PostForm, **kw: Any) -> Any:
    return cls(
        request.POST or None,
        partnership=partnership,
        user=request.user,
        accepted=services.has_accepted(request.user, partnership),
        **kw,
    )


@partnership_view(rules.POST)
def thread_create(request: AuthedRequest, partnership: Any) -> HttpResponse:
    form = _post_form(request, partnership, ThreadForm)
    if request.GET.get("group") and not request.POST:
        form.initial["working_group"] = partnership.working_groups.filter(
            slug=request.GET["group"]
        ).first()
    done = handle_form(
        request,
        form,
        lambda data: services.thread_create(
            actor=request.user,
            partnership=partnership,
            title=data["title"],
            body=data["body"],
            working_group=data["working_group"],
            accept_rules=data.get("accept_rules", False),
            kind=data["kind"] or "",
            addressee=data["addressee"],
            attachments=data["attachments"],
        ),
        success_message=_("Thread started."),
        redirect_to=lambda thread: thread.get_absolute_url(),
    )
    if done:
        return done
    return render(
        request,
        "conversations/thread_form.html",
        {
            "partnership": partnership,
            "form": form,
            "ground_rules": services.ground_rules_text(partnership),
        },
    )


def _thread_context(
    request: HttpRequest, partnership: Any, thread: Thread, form: Any = None
) -> dict[str, Any]:
    user = request.user
    posts = selectors.posts_of(thread, user)
    state = thread.read_states.filter(user_id=int(user.pk or 0)).first()
    last_read = state.last_read_post_id if state else 0
    number: Any = request.GET.get("page")
    target = request.GET.get("post", "")
    if target.isdigit():
        number = posts.filter(pk__lt=int(target)).count() // THREAD_PAGE_SIZE + 1
    elif number is None and state:
        # Open where the reader left off.
        first_new = posts.filter(pk__gt=last_read).values_list("pk", flat=True).first()
        before = posts.filter(pk__lt=first_new).count() if first_new else posts.count() - 1
        number = max(before, 0) // THREAD_PAGE_SIZE + 1
    page = Paginator(posts, THREAD_PAGE_SIZE).get_page(number)
    items = list(page.object_list)
    visible = markup.visible_refs(user, partnership, markup.refs_in(p.body for p in items))
    moderator = rules.can_moderate(user, partnership)
    new_marked = False
    for p in items:
        p.html = markup.render(p.body, slug=partnership.slug, visible=visible)
        counts: dict[str, int] = {}
        mine: set[str] = set()
        for r in p.reactions.all():
            counts[r.kind] = counts.get(r.kind, 0) + 1
            if r.user_id == user.pk:
                mine.add(r.kind)
        p.reaction_list = [
            {"kind": k, "label": label, "count": counts.get(k, 0), "mine": k in mine}
            for k, label in ReactionKind.choices
        ]
        p.is_new = bool(state) and p.pk > last_read and not new_marked
        if p.is_new:
            new_marked = True
        p.can_edit = rules.can_edit_post(user, p) and not thread.is_closed and not p.is_hidden
        p.can_answer = (
            p.is_request and not p.answered_at and (p.addressee_id == user.pk or moderator)
        )
    if items:
        services.mark_read(user=user, thread=thread, up_to=max(p.pk for p in items))
    can_post = has_capability(user, partnership, rules.POST)
    if form is None and can_post and not thread.is_closed:
        form = _post_form(request, partnership)
        quote = request.GET.get("quote")
        if quote and quote.isdigit():
            form.initial["quote"] = int(quote)
    return {
        "partnership": partnership,
        "thread": thread,
        "page": page,
        "posts": items,
        "form": form,
        "can_post": can_post,
        "moderator": moderator,
        "follow": state.follow if state else "",
        "follow_choices": Follow.choices,
        "kinds": PostKind.choices,
        "ground_rules": services.ground_rules_text(partnership),
        "open_rules": can_post and not services.has_accepted(user, partnership),
        "participation": selectors.participation(thread) if moderator else None,
        "sectors": selectors.sector_participation(thread) if moderator else None,
        "groups": partnership.working_groups.filter(is_active=True) if moderator else [],
        "promote_kinds": LinkKind.choices,
    }


@partnership_view(rules.VIEW)
def thread_detail(request: AuthedRequest, partnership: Any, pk: int) -> HttpResponse:
    thread = _thread(partnership, pk)
    return render(
        request, "conversations/thread.html", _thread_context(request, partnership, thread)
    )


@partnership_view(rules.POST)
def reply(request: AuthedRequest, partnership: Any, pk: int) -> HttpResponse:
    thread = _thread(partnership, pk)
    if request.method != "POST":
        return redirect(thread.get_absolute_url())
    form = _post_form(request, partnership)
    if form.is_valid():
        quote = None
        if form.cleaned_data.get("quote"):
            quote = Post.objects.filter(thread=thread, pk=form.cleaned_data["quote"]).first()
        try:
            post = services.post_create(
                actor=request.user,
                thread=thread,
                body=form.cleaned_data["body"],
                quote=quote,
                kind=form.cleaned_data["kind"] or "",
                addressee=form.cleaned_data["addressee"],
                accept_rules=form.cleaned_data.get("accept_rules", False),
                attachments=form.cleaned_data["attachments"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            return redirect(post.get_absolute_url())
    # The reply keeps its text: the thread is shown again with the form and its errors.
    context = _thread_context(request, partnership, thread, form=form)
    return render(request, "conversations/thread.html", context, status=200)


@partnership_view(rules.POST)
def post_edit(request: AuthedRequest, partnership: Any, pk: int) -> HttpResponse:
    post = _post(partnership, pk)
    allowed = rules.can_edit_post(request.user, post)
    form = EditForm(request.POST or None, initial={"body": post.body})
    if allowed:
        done = handle_form(
            request,
            form,
            lambda data: services.post_edit(actor=request.user, post=post, body=data["body"]),
            success_message=_("Post updated; the earlier text is kept in its history."),
            redirect_to=lambda _result: post.get_absolute_url(),
        )
        if done:
            return done
    return render(
        request,
        "conversations/post_edit.html",
        {"partnership": partnership, "post": post, "form": form, "allowed": allowed},
    )


@partnership_view(rules.VIEW)
def post_history(request: AuthedRequest, partnership: Any, pk: int) -> HttpResponse:
    post = _post(partnership, pk)
    page = paginate(request, post.revisions.select_related("editor"))
    return render(
        request,
        "conversations/post_history.html",
        {"partnership": partnership, "post": post, "page": page, "hidden": post.is_hidden},
    )


def _back(post: Post) -> HttpResponse:
    return redirect(post.get_absolute_url())


@require_POST
@partnership_view(rules.VIEW)
def react(request: AuthedRequest, partnership: Any, pk: int) -> HttpResponse:
    post = _post(partnership, pk)
    try:
        services.reaction_toggle(actor=request.user, post=post, kind=request.POST.get("kind", ""))
    except ValidationError as exc:
        _refuse(request, exc)
    return _back(post)


@require_POST
@partnership_view(rules.POST)
def post_mark(request: AuthedRequest, partnership: Any, pk: int) -> HttpResponse:
    post = _post(partnership, pk)
    try:
        services.post_mark(actor=request.user, post=post, kind=request.POST.get("kind", ""))
    except (ValidationError, PermissionDenied) as exc:
        _refuse(request, exc)
    return _back(post)


@require_POST
@partnership_view(rules.MODERATE)
def fact_agree(request: AuthedRequest, partnership: Any, pk: int) -> HttpResponse:
    post = _post(partnership, pk)
    try:
        services.fact_agree(
            actor=request.user,
            post=post,
            source_url=request.build_absolute_uri(post.get_absolute_url()),
        )
    except (ValidationError, PermissionDenied) as exc:
        _refuse(request, exc)
    else:
        messages.success(request, _("Fact agreed and added to the fact base."))
    return _back(post)


@require_POST
@partnership_view(rules.POST)
def request_answer(request: AuthedRequest, partnership: Any, pk: int) -> HttpResponse:
    post = _post(partnership, pk)
    answer = None
    if request.POST.get("answer_post", "").isdigit():
        answer = Post.objects.filter(thread=post.thread, pk=request.POST["answer_post"]).first()
    try:
        services.request_answer(actor=request.user, post=post, answer_post=answer)
    except (ValidationError, PermissionDenied) as exc:
        _refuse(request, exc)
    else:
        messages.success(request, _("Request marked answered."))
    return _back(post)


@partnership_view(rules.VIEW)
def post_report(request: AuthedRequest, partnership: Any, pk: int) -> HttpResponse:
    post = _post(partnership, pk)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.post_report(actor=request.user, post=post, reason=form.cleaned_data["reason"])
        messages.success(request, _("Thank you. The facilitators have been told."))
        return _back(post)
    return render(
        request,
        "conversations/reason_form.html",
        {
            "partnership": partnership,
            "post": post,
            "form": form,
            "title": _("Report a post to the facilitators"),
            "button": _("Report"),
        },
    )


@partnership_view(rules.MODERATE)
def post_hide(request: AuthedRequest, partnership: Any, pk: int) -> HttpResponse:
    post = _post(partnership, pk)
    if request.method == "POST" and request.POST.get("unhide"):
        services.post_unhide(actor=request.user, post=post)
        return _back(post)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.post_hide(actor=request.user, post=post, reason=form.cleaned_data["reason"])
        messages.success(request, _("Post hidden; the reason is shown in its place."))
        return _back(post)
    return render(
        request,
        "conversations/reason_form.html",
        {
            "partnership": partnership,
            "post": post,
            "form": form,
            "title": _("Hide a post"),
            "button": _("Hide"),
        },
    )


@require_POST
@partnership_view(rules.MODERATE)
def thread_moderate(request: AuthedRequest, partnership: Any, pk: int) -> HttpResponse:
    thread = _thread(partnership, pk)
    action = request.POST.get("action", "")
    try:
        if action in ("pin", "unpin"):
            services.thread_set(actor=request.user, thread=thread, pinned=action == "pin")
        elif action in ("close", "reopen"):
            services.thread_set(actor=request.user, thread=thread, closed=action == "close")
        elif action == "move":
            group_id = request.POST.get("working_group", "")
            group = (
                get_object_or_404(WorkingGroup, pk=group_id, partnership=partnership)
                if group_id.isdigit()
                else None
            )
            services.thread_move(actor=request.user, thread=thread, working_group=group)
        else:
            messages.error(request, _("Unknown moderation step."))
    except ValidationError as exc:
        _refuse(request, exc)
    return redirect(thread.get_absolute_url())


@require_POST
@partnership_view(rules.VIEW)
def follow(request: AuthedRequest, partnership: Any, pk: int) -> HttpResponse:
    thread = _thread(partnership, pk)
    try:
        services.follow_set(
            actor=request.user, thread=thread, follow=request.POST.get("follow", "")
        )
    except ValidationError as exc:
        _refuse(request, exc)
    return redirect(thread.get_absolute_url())


@partnership_view(rules.POST)
def promote(request: AuthedRequest, partnership: Any, pk: int, kind: str) -> HttpResponse:
    post = _post(partnership, pk)
    if kind not in LinkKind.values:
        from django.http import Http404

        raise Http404
    form = PromoteForm(
        request.POST or None,
        partnership=partnership,
        kind=kind,
        initial={"title": post.thread.title},
    )
    if request.method == "POST" and form.is_valid():
        title = form.cleaned_data["title"]
        try:
            if kind == LinkKind.PROPOSAL:
                link = services.post_to_proposal(actor=request.user, post=post, title=title)
            elif kind == LinkKind.ACTION:
                link = services.post_to_action(actor=request.user, post=post, title=title)
            else:
                link = services.post_to_agenda(
                    actor=request.user, post=post, meeting=form.cleaned_data["meeting"], title=title
                )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc) or _("Your role does not allow this."))
        else:
            messages.success(
                request,
                _("The post became %(kind)s “%(title)s”.")
                % {"kind": link.get_kind_display(), "title": link.title},
            )
            return _back(post)
    return render(
        request,
        "conversations/promote.html",
        {
            "partnership": partnership,
            "post": post,
            "form": form,
            "kind_label": dict(LinkKind.choices)[kind],
        },
    )


@partnership_view(rules.GROUND_RULES)
def ground_rules(request: AuthedRequest, partnership: Any) -> HttpResponse:
    form = GroundRulesForm(
        request.POST or None, initial={"text": services.ground_rules_text(partnership)}
    )
    if request.method == "POST" and form.is_valid():
        services.ground_rules_save(
            actor=request.user, partnership=partnership, text=form.cleaned_data["text"]
        )
        messages.success(request, _("Ground rules saved."))
        return redirect("conversations:threads", slug=partnership.slug)
    return render(
        request, "conversations/ground_rules.html", {"partnership": partnership, "form": form}
    )


@partnership_view(rules.VIEW)
def open_requests(request: AuthedRequest, partnership: Any) -> HttpResponse:
    page = paginate(request, selectors.open_requests(partnership))
    return render(
        request, "conversations/requests.html", {"partnership": partnership, "page": page}
    )


@partnership_view(rules.VIEW)
def facts(request: AuthedRequest, partnership: Any) -> HttpResponse:
    agreed = request.GET.get("agreed") == "1"
    page = paginate(request, selectors.facts(partnership, agreed_only=agreed))
    return render(
        request,
        "conversations/facts.html",
        {
            "partnership": partnership,
            "page": page,
            "agreed": agreed,
            "qs": querystring_without_page(request),
        },
    )


@partnership_view(rules.VIEW)
def search(request: AuthedRequest, partnership: Any) -> HttpResponse:
    q = request.GET.get("q", "").strip()
    context: dict[str, Any] = {"partnership": partnership, "q": q}
    if len(q) >= 2:
        found = selectors.search(partnership, q)
        context["threads"] = found["threads"][:10]
        context["page"] = paginate(request, found["posts"])
        context["qs"] = querystring_without_page(request)
    return render(request, "conversations/search.html", context)
