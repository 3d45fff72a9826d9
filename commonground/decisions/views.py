from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import truncatewords
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from commonground.accounts.models import User
from commonground.core import policy
from commonground.core.http import AuthedRequest
from commonground.core.pagination import paginate, querystring_without_page
from commonground.core.policy import partnership_view
from commonground.core.views_helpers import flash_error, handle_form, post_action
from commonground.partnerships.models import WorkingGroup

from . import rules, selectors, services, tally
from .forms import (
    DelegatedDecisionForm,
    DomainForm,
    GovernanceForm,
    MemberAddForm,
    OutcomeForm,
    ProposalForm,
    TieSettleForm,
    WorkingGroupForm,
)
from .models import (
    PROPOSAL_METHODS,
    Decision,
    DecisionDomain,
    DecisionMethod,
    Participation,
    Proposal,
    ProposalStatus,
    Vote,
)


def position_labels() -> dict[str, str]:
    # Built per request so the labels follow the active language.
    return {
        "agree": _("Agree"),
        "abstain": _("Abstain"),
        "object": _("Object"),
        "disagree": _("Disagree"),
        "block": _("Block"),
        "yes": _("Yes"),
        "no": _("No"),
        "maybe": _("Maybe"),
    }


def _error_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def _add_displays(rows: list[dict[str, Any]], model: Any, *fields: str) -> list[dict[str, Any]]:
    """Give each row read with ``values()`` what ``get_<field>_display()`` would say, as
    ``<field>_display`` (a value that is not a choice is shown as it is)."""
    for name in fields:
        labels = {value: str(label) for value, label in model._meta.get_field(name).flatchoices}
        key = f"{name}_display"
        for row in rows:
            row[key] = labels.get(row[name], row[name])
    return rows


# --- working groups --------------------------------------------------------------------


@partnership_view(rules.VIEW)
def group_list(request: AuthedRequest, partnership: Any) -> HttpResponse:
    page = paginate(request, selectors.groups_for(partnership))
    return render(
        request,
        "decisions/group_list.html",
        {
            "page": page,
            "can_manage": policy.has_capability(request.user, partnership, rules.MANAGE),
        },
    )


@partnership_view(rules.MANAGE)
def group_create(request: AuthedRequest, partnership: Any) -> HttpResponse:
    form = WorkingGroupForm(request.POST or None, partnership=partnership)
    done = handle_form(
        request,
        form,
        lambda data: services.working_group_save(
            actor=request.user, partnership=partnership, **data
        ),
        success_message=_("Working group created. Now add its members."),
        redirect_to=lambda group: reverse(
            "decisions:group_detail", kwargs={"slug": partnership.slug, "group": group.slug}
        ),
    )
    if done:
        return done
    return render(request, "decisions/group_form.html", {"form": form, "group": None})


@partnership_view(rules.MANAGE)
def group_edit(request: AuthedRequest, partnership: Any, group: str) -> HttpResponse:
    obj = get_object_or_404(WorkingGroup, partnership=partnership, slug=group)
    form = WorkingGroupForm(request.POST or None, instance=obj, partnership=partnership)
    done = handle_form(
        request,
        form,
        lambda data: services.working_group_save(
            actor=request.user, partnership=partnership, group=obj, **data
        ),
        success_message=_("Saved."),
        redirect_to=lambda _result: reverse(
            "decisions:group_detail", kwargs={"slug": partnership.slug, "group": obj.slug}
        ),
    )
    if done:
        return done
    return render(request, "decisions/group_form.html", {"form": form, "group": obj})


@partnership_view(rules.VIEW)
def group_detail(request: AuthedRequest, partnership: Any, group: str) -> HttpResponse:
    obj = selectors.group_detail(partnership, group)
    if obj is None:
        raise Http404
    can_manage = policy.has_capability(request.user, partnership, rules.MANAGE)
    proposals = selectors.proposals_for(partnership, group=obj.slug)[:10]
    decisions = selectors.register_for(partnership, group=obj.slug)[:10]
    return render(
        request,
        "decisions/group_detail.html",
        {
            "group": obj,
            "proposals": proposals,
            "decisions": decisions,
            "can_manage": can_manage,
            "can_propose": rules.can_propose_in(request.user, partnership, obj),
            "member_form": MemberAddForm(partnership=partnership, group=obj)
            if can_manage
            else None,
        },
    )


@require_POST
@partnership_view(rules.MANAGE)
def group_member_add(request: AuthedRequest, partnership: Any, group: str) -> HttpResponse:
    obj = get_object_or_404(WorkingGroup, partnership=partnership, slug=group)
    form = MemberAddForm(request.POST, partnership=partnership, group=obj)
    return post_action(
        request,
        lambda: services.working_group_member_add(
            actor=request.user, group=obj, user=form.cleaned_data["user"]
        ),
        success_message=_("Member added."),
        redirect_to=lambda: reverse(
            "decisions:group_detail", kwargs={"slug": partnership.slug, "group": obj.slug}
        ),
        form=form,
        invalid_message=_("Choose a person with a role in this partnership."),
    )


@require_POST
@partnership_view(rules.MANAGE)
def group_member_remove(
    request: AuthedRequest, partnership: Any, group: str, user: int
) -> HttpResponse:
    obj = get_object_or_404(WorkingGroup, partnership=partnership, slug=group)
    person = get_object_or_404(User, pk=user)
    return post_action(
        request,
        lambda: services.working_group_member_remove(actor=request.user, group=obj, user=person),
        success_message=_("Member removed."),
        redirect_to=lambda: reverse(
            "decisions:group_detail", kwargs={"slug": partnership.slug, "group": obj.slug}
        ),
    )


# --- decision authority ------------------------------------------------------------------


@partnership_view(rules.VIEW)
def authority(request: AuthedRequest, partnership: Any) -> HttpResponse:
    can_manage = policy.has_capability(request.user, partnership, rules.MANAGE)
    return render(
        request,
        "decisions/authority.html",
        {
            "governance": selectors.governance_for(partnership),
            "page": paginate(request, selectors.domains_for(partnership), 50),
            "can_manage": can_manage,
        },
    )


@partnership_view(rules.MANAGE)
def governance_edit(request: AuthedRequest, partnership: Any) -> HttpResponse:
    form = GovernanceForm(request.POST or None, instance=selectors.governance_for(partnership))
    done = handle_form(
        request,
        form,
        lambda data: services.governance_update(
            actor=request.user, partnership=partnership, **data
        ),
        success_message=_("Governance settings saved."),
        redirect_to=reverse("decisions:authority", kwargs={"slug": partnership.slug}),
    )
    if done:
        return done
    return render(request, "decisions/governance_form.html", {"form": form})


def _domain_form(
    request: AuthedRequest, partnership: Any, domain: DecisionDomain | None
) -> HttpResponse:
    form = DomainForm(request.POST or None, instance=domain, partnership=partnership)
    done = handle_form(
        request,
        form,
        lambda data: services.domain_save(
            actor=request.user, partnership=partnership, domain=domain, **data
        ),
        success_message=_("Decision domain saved."),
        redirect_to=reverse("decisions:authority", kwargs={"slug": partnership.slug}),
    )
    if done:
        return done
    return render(request, "decisions/domain_form.html", {"form": form, "domain": domain})


@partnership_view(rules.MANAGE)
def domain_create(request: AuthedRequest, partnership: Any) -> HttpResponse:
    return _domain_form(request, partnership, None)


@partnership_view(rules.MANAGE)
def domain_edit(request: AuthedRequest, partnership: Any, pk: int) -> HttpResponse:
    domain = get_object_or_404(DecisionDomain, pk=pk, partnership=partnership)
    return _domain_form(request, partnership, domain)


@require_POST
@partnership_view(rules.MANAGE)
def domain_delete(request: AuthedRequest, partnership: Any, pk: int) -> HttpResponse:
    domain = get_object_or_404(DecisionDomain, pk=pk, partnership=partnership)
    services.domain_delete(actor=request.user, domain=domain)
    messages.success(request, _("Decision domain removed."))
    return redirect("decisions:authority", slug=partnership.slug)


# --- proposals -----------------------------------------------------------------------------


def _group_choices(partnership: Any) -> list[tuple[str, str]]:
    """The scope menu's working groups as (slug, name) pairs."""
    return list(
        WorkingGroup.objects.filter(partnership=partnership)
        .order_by("name")
        .values_list("slug", "name")
    )


@partnership_view(rules.VIEW)
def proposal_list(request: AuthedRequest, partnership: Any) -> HttpResponse:
    services.close_due_proposals(partnership=partnership)
    status = request.GET.get("status", "")
    group = request.GET.get("group", "")
    proposals = selectors.proposals_for(partnership, status=status, group=group).values(
        "title",
        "anonymous",
        "method",
        "n_voted",
        "outcome",
        "runoff_of_id",
        "working_group_id",
        working_group_name=F("working_group__name"),
        proposer_name=selectors.person_name("proposer"),
    )
    page = paginate(request, proposals)
    _add_displays(page.object_list, Proposal, "method", "status", "outcome")  # type: ignore[arg-type]
    return render(
        request,
        "decisions/proposal_list.html",
        {
            "page": page,
            "qs": querystring_without_page(request),
            "status": status,
            "group": group,
            "groups": _group_choices(partnership),
            "statuses": ProposalStatus.choices,
            "can_propose": policy.has_capability(request.user, partnership, rules.PROPOSE),
            "now": timezone.now(),
        },
    )


@partnership_view(rules.PROPOSE)
def proposal_create(request: AuthedRequest, partnership: Any) -> HttpResponse:
    initial = {}
    group_slug = request.GET.get("group")
    if group_slug:
        initial["working_group"] = WorkingGroup.objects.filter(
            partnership=partnership, slug=group_slug
        ).first()
    form = ProposalForm(request.POST or None, partnership=partnership, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        options = data.pop("options_text", [])
        try:
            proposal = services.proposal_create(
                actor=request.user, partnership=partnership, options=options, **data
            )
        except ValidationError as exc:
            form.add_error(None, exc if not hasattr(exc, "error_dict") else _error_text(exc))
        except PermissionDenied as exc:
            form.add_error("working_group", str(exc))
        else:
            messages.success(request, _("Proposal opened. Everyone eligible has been told."))
            return redirect(proposal)
    return render(
        request,
        "decisions/proposal_form.html",
        {"form": form, "methods": PROPOSAL_METHODS},
    )


def _ballot_from_post(proposal: Proposal, post: Any) -> tuple[str, Any]:
    method = proposal.method
    if method in tally.POSITIONS:
        return post.get("position", ""), None
    options = list(proposal.options.all())
    if method == DecisionMethod.RANKED:
        ranking = [post.get(f"rank_{i}", "") for i in range(1, len(options) + 1)]
        return "", [r for r in ranking if r]
    prefix = {"score": "score_", "dot": "dots_", "time_poll": "time_"}[method]
    choices = {}
    for option in options:
        value = post.get(f"{prefix}{option.pk}", "")
        if value != "":
            choices[str(option.pk)] = value
    return "", choices


class KnownCount:
    """A queryset for the paginator whose length is already known (no COUNT query)."""

    def __init__(self, queryset: Any, count: int) -> None:
        self.queryset, self.n = queryset, count

    def count(self) -> int:
        return self.n

    def __len__(self) -> int:
        return self.n

    def __getitem__(self, key: Any) -> Any:
        return self.queryset[key]


def _detail_context(request: HttpRequest, proposal: Proposal) -> dict[str, Any]:
    people = selectors.electorate(proposal)
    elector = selectors.elector_for(request.user, proposal, people)
    my_vote = None
    my_participation = False
    if elector:
        if proposal.anonymous:
            my_participation = Participation.objects.filter(
                proposal=proposal, elector=elector
            ).exists()
        else:
            my_vote = (
                Vote.objects.filter(proposal=proposal, elector=elector)
                .select_related("voter")
                .first()
            )
    options = list(proposal.options.all()) if proposal.uses_options else []
    show_results = proposal.results_visible
    result = proposal.tally if proposal.status == ProposalStatus.CLOSED else None
    if result is None and show_results:
        result = selectors.live_tally(proposal, eligible=len(people))
        if result is None:
            result = services.compute_tally(proposal)
    # One page of voters: a proposal put to a whole region can have thousands. The
    # proposal's running count stands in for counting them.
    if proposal.anonymous:
        voter_page = paginate(
            request, KnownCount(selectors.participant_names(proposal), proposal.n_voted), 100
        )
        votes, participants = [], list(voter_page.object_list)
    else:
        voter_page = paginate(
            request, KnownCount(selectors.votes_of(proposal), proposal.n_voted), 100
        )
        votes, participants = list(voter_page.object_list), []
    labels = position_labels()
    option_labels = {str(o.pk): o.label for o in options}
    uses_options = proposal.uses_options  # else no choices to sum up (votes_of reads none)
    for v in votes:
        v["position_label"] = labels.get(v["position"], "")
        v["summary"] = (
            _summarise(proposal, v["choices"], option_labels, labels) if uses_options else ""
        )
    ranked_current = []
    if my_vote and proposal.method == DecisionMethod.RANKED:
        ranked_current = [str(x) for x in my_vote.choices]
    rank_slots = []
    for i in range(1, len(options) + 1):
        rank_slots.append(
            {
                "n": i,
                "selected": ranked_current[i - 1] if i <= len(ranked_current) else "",
            }
        )
    option_rows = []
    current = my_vote.choices if (my_vote and isinstance(my_vote.choices, dict)) else {}
    for o in options:
        option_rows.append({"option": o, "current": current.get(str(o.pk), "")})
    settlement = _settlement(proposal)
    can_settle = bool(
        settlement
        and settlement["rule"] == "chair"
        and not settlement.get("chosen")
        and policy.has_capability(request.user, proposal.partnership, rules.MANAGE)
    )
    return {
        "proposal": proposal,
        "options": options,
        "option_rows": option_rows,
        "rank_slots": rank_slots,
        "score_range": range(proposal.max_score + 1),
        "positions": [(p, labels[p]) for p in tally.POSITIONS.get(proposal.method, ())],
        "time_answers": [(a, labels[a]) for a in tally.TIME_POLL_ANSWERS],
        "elector": elector,
        "eligible_count": len(people),
        "my_vote": my_vote,
        "my_participation": my_participation,
        "can_vote": bool(elector)
        and proposal.is_open
        and policy.has_capability(request.user, proposal.partnership, rules.VOTE)
        and not my_participation,
        "can_close": rules.can_close(request.user, proposal),
        "show_results": show_results,
        "result": result,
        "votes": votes,
        "participants": participants,
        "n_voted": voter_page.paginator.count,
        "voter_page": voter_page,
        "voter_qs": querystring_without_page(request),
        "labels": labels,
        "outcome_form": OutcomeForm(initial={"statement": proposal.outcome_statement}),
        "tied_text": get_text_list((result or {}).get("tied_labels") or [], _("and")),
        "settlement": settlement,
        "settle_form": TieSettleForm(among=settlement["among"])
        if settlement and can_settle
        else None,
    }


def _settlement(proposal: Proposal) -> dict[str, Any] | None:
    """How a closed proposal's tie goes on (``tally["settlement"]``), ready to show."""
    if proposal.status != ProposalStatus.CLOSED:
        return None
    return settlement_display((proposal.tally or {}).get("settlement"))


def settlement_display(settlement: dict[str, Any] | None) -> dict[str, Any] | None:
    """A stored tie settlement with its time read and the tied options in words
    ("A, B and C" in the reader's language)."""
    if not settlement:
        return None
    return {
        **settlement,
        "at": parse_datetime(settlement["at"]) if settlement.get("at") else None,
        "among_text": get_text_list([o["label"] for o in settlement.get("among", [])], _("and")),
    }


def _summarise(
    proposal: Proposal, choices: Any, option_labels: dict[str, str], labels: dict[str, str]
) -> str:
    if proposal.method == DecisionMethod.RANKED:
        return " › ".join(option_labels.get(str(x), "?") for x in choices or [])
    if proposal.method == DecisionMethod.TIME_POLL:
        return "; ".join(
            f"{option_labels.get(k, '?')}: {labels.get(v, v)}" for k, v in (choices or {}).items()
        )
    if isinstance(choices, dict) and choices:
        return "; ".join(f"{option_labels.get(k, '?')}: {v}" for k, v in choices.items())
    return ""


@partnership_view(rules.VIEW)
def proposal_detail(request: AuthedRequest, partnership: Any, pk: int) -> HttpResponse:
    proposal = selectors.proposal_detail(partnership, pk)
    if proposal is None:
        raise Http404
    if proposal.is_due:
        services.close_if_due(proposal)
        proposal = selectors.proposal_detail(partnership, pk)
        assert proposal is not None
    return render(request, "decisions/proposal_detail.html", _detail_context(request, proposal))


@require_POST
@partnership_view(rules.VOTE)
def vote(request: AuthedRequest, partnership: Any, pk: int) -> HttpResponse:
    proposal = get_object_or_404(
        Proposal.objects.select_related("partnership", "working_group"),
        pk=pk,
        partnership=partnership,
    )
    services.close_if_due(proposal)
    position, choices = _ballot_from_post(proposal, request.POST)
    try:
        services.vote_cast(
            actor=request.user,
            proposal=proposal,
            position=position,
            choices=choices,
            reason=request.POST.get("reason", ""),
        )
    except ValidationError as exc:
        flash_error(request, exc)
        context = _detail_context(request, selectors.proposal_detail(partnership, pk))  # type: ignore[arg-type]
        context["posted"] = request.POST
        return render(request, "decisions/proposal_detail.html", context, status=400)
    messages.success(request, _("Your vote is recorded."))
    return redirect(proposal)


@require_POST
@partnership_view(rules.VIEW)
def proposal_close(request: AuthedRequest, partnership: Any, pk: int) -> HttpResponse:
    proposal = get_object_or_404(Proposal, pk=pk, partnership=partnership)
    if not rules.can_close(request.user, proposal):
        raise PermissionDenied(_("Only the proposer or a manager can close a proposal early."))
    return post_action(
        request,
        lambda: services.proposal_close(actor=request.user, proposal=proposal, early=True),
        success_message=_("The proposal is closed and its result is in the register."),
        redirect_to=proposal,
    )


@require_POST
@partnership_view(rules.MANAGE)
def proposal_settle(request: AuthedRequest, partnership: Any, pk: int) -> HttpResponse:
    """The chair's choice among options tied for first place (tie rule "the chair decides")."""
    proposal = get_object_or_404(
        Proposal.objects.select_related("partnership"), pk=pk, partnership=partnership
    )
    settlement = (proposal.tally or {}).get("settlement") or {}
    form = TieSettleForm(request.POST, among=settlement.get("among", []))
    return post_action(
        request,
        lambda: services.proposal_tie_settle(
            actor=request.user,
            proposal=proposal,
            option=form.cleaned_data["option"],
            reason=form.cleaned_data["reason"],
        ),
        success_message=_("The tie is settled; the register shows your choice and reason."),
        redirect_to=proposal,
        form=form,
        invalid_message=_("Choose one of the tied options and give your reason."),
    )


@require_POST
@partnership_view(rules.VIEW)
def proposal_outcome(request: AuthedRequest, partnership: Any, pk: int) -> HttpResponse:
    proposal = get_object_or_404(
        Proposal.objects.select_related("partnership"), pk=pk, partnership=partnership
    )
    if not rules.can_close(request.user, proposal):
        raise PermissionDenied(_("Only the proposer or a manager records the outcome."))
    form = OutcomeForm(request.POST)
    return post_action(
        request,
        lambda: services.proposal_record_outcome(
            actor=request.user, proposal=proposal, statement=form.cleaned_data["statement"]
        ),
        success_message=_("Outcome statement saved in the register."),
        redirect_to=proposal,
        form=form,
        invalid_message=_("Write the outcome statement."),
    )


# --- the register ----------------------------------------------------------------------


@partnership_view(rules.VIEW)
def register(request: AuthedRequest, partnership: Any) -> HttpResponse:
    services.close_due_proposals(partnership=partnership)
    filters = {
        "method": request.GET.get("method", ""),
        "group": request.GET.get("group", ""),
        "adopted": request.GET.get("adopted", ""),
        "q": request.GET.get("q", "").strip(),
    }
    matches = selectors.register_for(partnership, **filters)
    decisions = matches.values(
        "pk",
        "decided_on",
        "title",
        "statement",
        "method",
        "tally",
        "adopted",
        "outcome",
        "source_label",
        "source_url",
        "working_group_id",
        working_group_name=F("working_group__name"),
    )
    # Counted on the decisions alone: the rows' join to the working group, kept in a
    # count of the values() query, made it grow with every group's decisions.
    page = paginate(request, decisions, count=matches.count())
    rows = _add_displays(list(page.object_list), Decision, "method", "outcome")
    labels = position_labels()
    for row in rows:
        row["statement_short"] = truncatewords(row["statement"], 40)
        counts = (row["tally"] or {}).get("counts")
        row["tally_counts"] = [(labels.get(k, ""), n) for k, n in counts.items()] if counts else []
        row["settlement"] = settlement_display((row["tally"] or {}).get("settlement"))
    page.object_list = rows
    return render(
        request,
        "decisions/register.html",
        {
            "page": page,
            "qs": querystring_without_page(request),
            "filters": filters,
            "methods": DecisionMethod.choices,
            "groups": _group_choices(partnership),
            "can_record": policy.has_capability(request.user, partnership, rules.PROPOSE),
        },
    )


@partnership_view(rules.PROPOSE)
def delegated_create(request: AuthedRequest, partnership: Any) -> HttpResponse:
    """Record a decision taken under delegated authority (domain holders only)."""
    domains = rules.domains_decidable_by(
        request.user, DecisionDomain.objects.filter(partnership=partnership)
    ).order_by("name")
    form = DelegatedDecisionForm(request.POST or None, domains=domains)
    if request.method == "POST" and form.is_valid():
        try:
            services.delegated_decision_record(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc if not hasattr(exc, "error_dict") else _error_text(exc))
        except PermissionDenied as exc:
            form.add_error("domain", str(exc))
        else:
            messages.success(request, _("The decision is in the register."))
            return redirect("decisions:register", slug=partnership.slug)
    return render(
        request,
        "decisions/delegated_form.html",
        {"form": form, "has_domains": domains.exists()},
    )
