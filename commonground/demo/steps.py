"""The steps of the demo loader: one function per scenario file, in the order they run.

Each step reads its file's data (already checked by ``loader.read_scenario``) and creates the
objects through the app's services, or its models where the demo needs a past the services cannot
make (dates in the past, a history of versions).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.text import slugify

from commonground.demo import DemoContext
from commonground.demo.files import file_bytes
from commonground.demo.loader import at, dec, org_defaults

Data = dict[str, Any]


def pick(d: Data, *keys: str) -> Data:
    """The named keys that ``d`` has, to pass on as keyword arguments (a key left out takes the default)."""
    return {k: d[k] for k in keys if k in d}


def organisations(ctx: DemoContext, data: Data) -> None:
    from commonground.organisations.models import Organisation, Tag

    for slug, tag in data["tags"].items():
        ctx.tags[slug], _ = Tag.objects.get_or_create(slug=slug, defaults=tag)
    for key, spec in data["organisations"].items():
        defaults = org_defaults(spec)
        defaults["size"] = spec["size"]
        defaults["website"] = f"https://{slugify(spec['name'])[:30]}.example"
        org, _ = Organisation.objects.get_or_create(slug=slugify(spec["name"]), defaults=defaults)
        org.offers.set([ctx.tags[t] for t in spec["offers"]])
        org.needs.set([ctx.tags[t] for t in spec["needs"]])
        ctx.orgs[key] = org


def people(ctx: DemoContext, data: Data) -> None:
    from commonground.accounts.models import User

    password = data["password"]
    for key, spec in [*data["people"].items(), *data["accounts"].items()]:
        user = User.objects.filter(email=spec["email"]).first()
        if user is None and spec.get("superuser"):
            user = User.objects.create_superuser(spec["email"], password, display_name=spec["name"])
        elif user is None:
            org = ctx.orgs[spec["organisation"]]
            user = User(email=spec["email"], display_name=spec["name"], organisation=org)
            user.set_password(password)
            user.save()
        ctx.people[key] = user
    ctx.extra["people_spec"] = data["people"]


def partnership(ctx: DemoContext, data: Data) -> None:
    from commonground.partnerships.models import Membership, MembershipStatus, Partnership, Role

    spec = dict(data["partnership"])
    spec["created_by"] = ctx.people[spec["created_by"]]
    p = ctx.partnership = Partnership.objects.create(**spec)
    joined = data["members_joined_days_ago"]
    for key, days in joined.items():
        Membership.objects.create(
            partnership=p,
            organisation=ctx.orgs[key],
            status=MembershipStatus.ACTIVE,
            joined_on=ctx.days_ago(days),
        )
    for key, person in ctx.extra["people_spec"].items():
        Role.objects.create(
            partnership=p,
            user=ctx.people[key],
            organisation=ctx.orgs[person["organisation"]],
            kind=person["role"],
            representative_kind=person.get("representative_kind", ""),
            is_signatory=person.get("signatory", False),
            title=person["title"],
            started_on=ctx.days_ago(joined.get(person["organisation"], 100)),
        )
    for extra in data["extra_roles"]:
        Role.objects.create(
            partnership=p,
            user=ctx.people[extra["person"]],
            organisation=ctx.orgs[extra["organisation"]],
            kind=extra["role"],
            title=extra["title"],
            started_on=ctx.days_ago(joined.get(extra["organisation"], 100)),
        )
    other = dict(data["other_partnership"])
    member, convener = ctx.orgs[other.pop("member")], ctx.people[other.pop("convener")]
    other["created_by"] = ctx.people[other["created_by"]]
    o = ctx.other_partnership = Partnership.objects.create(**other)
    Membership.objects.create(partnership=o, organisation=member, status=MembershipStatus.ACTIVE)
    Role.objects.create(partnership=o, user=convener, organisation=member, kind="convener")


def _agreement(version: Data, agreed_by: str, agreed_on: datetime.date | None) -> Data:
    """A design element's text and status, with who agreed it and when if it is agreed."""
    agreed = version["status"] == "agreed"
    return {
        "text": version["text"],
        "status": version["status"],
        "agreed_by": agreed_by if agreed else "",
        "agreed_on": agreed_on if agreed else None,
    }


def method(ctx: DemoContext, data: Data) -> None:
    from commonground.method.content import method as method_content
    from commonground.method.models import (
        ChecklistTick,
        DesignElementRecord,
        DesignElementVersion,
        GlossaryTerm,
        MilestoneReview,
        PhaseMove,
        PhaseState,
        ProblemCycle,
        ProfileChoice,
        SpectrumRating,
        StepNote,
        TrustStageEntry,
    )

    p, pe, rng = ctx.partnership, ctx.people, ctx.rng
    content = method_content()

    def when(days: int, hour: int = 10) -> datetime.datetime:
        return at(ctx.days_ago(days), hour)

    for m in data["phase_moves"]:
        fields = pick(m, "kind", "from_phase", "to_phase", "reason")
        PhaseMove.objects.create(partnership=p, actor=pe[m["by"]], at=when(m["days_ago"]), **fields)
    for s in data["completed_phases"]:
        when_done, by = when(s["days_ago"]), pe[s["by"]]
        PhaseState.objects.create(
            partnership=p, phase=s["phase"], completed_at=when_done, completed_by=by
        )
    tickers = data["checklist"]["ticked_by_in_turn"]
    ticks = []
    for ph in data["checklist"]["phases"]:
        items = content.phase(ph["phase"]).items[: ph.get("first_items")]
        start, end, skip = ph["from_days_ago"], ph["to_days_ago"], set(ph.get("skip", []))
        for n, item in enumerate(items):
            if item.key not in skip:
                days = start - (start - end) * n // max(len(items) - 1, 1)
                by, at_ = pe[tickers[n % len(tickers)]], when(days, 9 + n % 8)
                ticks.append(
                    ChecklistTick(
                        partnership=p,
                        item_key=item.key,
                        phase=ph["phase"],
                        ticked_by=by,
                        ticked_at=at_,
                    )
                )
    ChecklistTick.objects.bulk_create(ticks)
    notes = data["step_notes"]
    by, at_ = pe[notes["by"]], when(notes["days_ago"])
    for key, text in notes["notes"].items():
        StepNote.objects.create(
            partnership=p, step_key=key, text=text, updated_by=by, updated_at=at_
        )
    for r in data["milestone_reviews"]:
        fields = pick(r, "phase", "need_still_there", "need_comment", "gaps", "changes")
        MilestoneReview.objects.create(
            partnership=p, reviewed_by=pe[r["by"]], reviewed_at=when(r["days_ago"]), **fields
        )
    for code, el in data["design_elements"].items():
        versions, agreed_by = el["versions"], el.get("agreed_by", "")
        agreed_on = ctx.days_ago(el["agreed_days_ago"]) if "agreed_days_ago" in el else None
        revisit_on = ctx.days_ahead(el["revisit_in_days"]) if "revisit_in_days" in el else None

        last = versions[-1]
        record = DesignElementRecord.objects.create(
            partnership=p,
            element=code,
            revisit_on=revisit_on,
            version=len(versions),
            updated_by=pe[last["author"]],
            **_agreement(last, agreed_by, agreed_on),
        )
        for n, v in enumerate(versions, start=1):
            DesignElementVersion.objects.create(
                record=record,
                number=n,
                revisit_on=revisit_on if n == len(versions) else None,
                change_note=v.get("change_note", ""),
                author=pe[v["author"]],
                created_at=when(v["days_ago"], 14),
                **_agreement(v, agreed_by, agreed_on),
            )
    prof = data["profile"]
    by, at_ = pe[prof["by"]], when(prof["days_ago"])
    for code, c in prof["choices"].items():
        ProfileChoice.objects.create(
            partnership=p,
            dimension=code,
            choice=c["choice"],
            note=c.get("note", ""),
            updated_by=by,
            updated_at=at_,
        )
    by = pe[data["trust_stages"]["by"]]
    for t in data["trust_stages"]["entries"]:
        on, at_ = ctx.days_ago(t["days_ago"]), when(t["days_ago"])
        TrustStageEntry.objects.create(
            partnership=p, stage=t["stage"], on=on, note=t["note"], recorded_by=by, recorded_at=at_
        )
    by = pe[data["problems"]["by"]]
    for c in data["problems"]["cycles"]:
        fields = pick(c, "title", "observation", "interpretation", "solution", "learning")
        ProblemCycle.objects.create(
            partnership=p, started_on=ctx.days_ago(c["days_ago"]), recorded_by=by, **fields
        )
    spectrum = data["spectrum"]
    ratings = []
    for who in spectrum["raters"]:
        for code, base in spectrum["base"].items():
            ratings.append(
                SpectrumRating(
                    partnership=p,
                    user=pe[who],
                    dimension=code,
                    now=min(5, max(1, base["now"] + rng.choice((-1, 0, 0, 1)))),
                    aim=min(5, max(1, base["aim"] + rng.choice((-1, 0, 0, 1)))),
                    rated_at=when(30 + rng.randint(0, 10)),
                )
            )
    SpectrumRating.objects.bulk_create(ratings)
    glossary = data["glossary"]
    GlossaryTerm.objects.bulk_create(
        [
            GlossaryTerm(
                partnership=p,
                preferred=d.preferred.en,
                avoid=d.avoid.en,
                definition=d.definition.en,
                updated_by=pe[glossary["defaults_by"]],
            )
            for d in content.glossary
        ]
        + [
            GlossaryTerm(
                partnership=p,
                preferred=t["preferred"],
                avoid=t["avoid"],
                definition=t["definition"],
                updated_by=pe[t["by"]],
            )
            for t in glossary["own_terms"]
        ]
    )


def prospects(ctx: DemoContext, data: Data) -> None:
    from commonground.organisations.models import Organisation, Tag
    from commonground.prospects import services

    p, manager = ctx.partnership, ctx.people[data["owner"]]
    for slug, tag in data["tags"].items():
        ctx.tags[slug], _ = Tag.objects.get_or_create(slug=slug, defaults=tag)
    for key, spec in data["organisations"].items():
        org, _ = Organisation.objects.get_or_create(
            slug=slugify(spec["name"]), defaults=org_defaults(spec)
        )
        org.offers.set([ctx.tags[t] for t in spec["offers"]])
        ctx.orgs[key] = org
    services.criteria_seed(actor=manager, partnership=p)
    criteria = list(p.prospect_criteria.order_by("position", "id"))
    for need in data["needs"]:
        services.need_set(actor=manager, partnership=p, **need)
    made = {}
    for key, spec in data["pipeline"].items():
        prospect = services.prospect_create(
            actor=manager,
            partnership=p,
            organisation=ctx.orgs[key],
            why_approach=spec["why_approach"],
            could_bring=spec["could_bring"],
            owner=manager,
        )
        if spec["stage"] != "identified":
            prospect = services.prospect_move(actor=manager, prospect=prospect, stage=spec["stage"])
        made[key] = prospect
    research = dict(data["research"])
    services.prospect_update(actor=manager, prospect=made[research.pop("prospect")], **research)
    for key, spec in data["pipeline"].items():
        for c in spec.get("contacts", []):
            services.contact_log(
                actor=manager,
                prospect=made[key],
                kind=c["kind"],
                happened_on=ctx.days_ago(c["days_ago"]),
                who=c["who"],
                outcome=c["outcome"],
                next_step=c.get("next_step", ""),
            )
    for key, spec in data["pipeline"].items():
        for person, s in spec.get("scores", {}).items():
            notes = s.get("notes", {})
            services.scores_save(
                actor=ctx.people[person],
                prospect=made[key],
                scores={
                    c.pk: (v, notes.get(f"criterion_{i + 1}", ""))
                    for i, (c, v) in enumerate(zip(criteria, s["values"], strict=False))
                },
            )
    for a in data["self_assessments"]:
        services.self_assessment_record(
            actor=ctx.people[a["by"]], partnership=p, kind=a["kind"], scores=a["scores"]
        )


def contributions(ctx: DemoContext, data: Data) -> None:
    from commonground.contributions import services
    from commonground.contributions.models import BenefitDirection, Kind, Status
    from commonground.partnerships.models import WorkingGroup

    p, actor = ctx.partnership, ctx.people[data["recorded_by"]]
    C, DL, W = Status.COMMITTED, Status.DELIVERED, Status.WITHDRAWN
    groups = {}
    for slug, g in data["working_groups"].items():
        groups[slug], _created = WorkingGroup.objects.get_or_create(
            partnership=p, slug=slug, defaults=g
        )
    services.base_currency_set(actor=actor, partnership=p, currency=data["base_currency"])
    for code, rate in data["rates"]["per_currency"].items():
        services.rate_set(
            actor=actor,
            partnership=p,
            currency=code,
            rate=Decimal(rate),
            note=data["rates"]["note"],
        )
    details = (
        "source",
        "conditions",
        "scope",
        "hours",
        "fte",
        "experience",
        "valuation_method",
        "maintenance",
    )
    for e in data["entries"]:
        kind, status, ago, due, amount = (
            e["kind"],
            e["status"],
            e["pledged_days_ago"],
            e.get("due_in_days"),
            e.get("amount"),
        )
        fields: dict[str, Any] = {k: e[k] for k in details if k in e}
        if e.get("to_partnership"):
            fields["recipient_kind"] = "partnership"
        elif "to_working_group" in e:
            fields["recipient_kind"] = "working_group"
            fields["recipient_group"] = groups[e["to_working_group"]]
        else:
            fields["recipient_kind"] = "member"
            fields["recipient_org"] = ctx.orgs[e["to_member"]]
        if kind in (Kind.IN_KIND, Kind.OTHER) and ago > 100:
            fields.setdefault("start_on", ctx.days_ago(ago - 10))
            fields.setdefault("end_on", ctx.days_ahead(abs(due) + 200))
        c = services.contribution_create(
            actor=actor,
            partnership=p,
            kind=kind,
            title=e["title"],
            contributor=ctx.orgs[e["contributor"]],
            amount=amount,
            currency=e["currency"],
            pledged_on=ctx.days_ago(ago),
            due_on=ctx.days_ahead(due) if due is not None else None,
            **fields,
        )
        if status in (C, DL) or (status == W and ago > 180):
            services.contribution_transition(
                actor=actor, contribution=c, to=C, on=ctx.days_ago(max(ago - 20, 1))
            )
        if status == DL:
            services.contribution_transition(
                actor=actor,
                contribution=c,
                to=DL,
                on=ctx.days_ahead(min(due, 0)) if due < 0 else ctx.today,
            )
        if status == W:
            services.contribution_transition(actor=actor, contribution=c, to=W, on=ctx.days_ago(5))
        if kind == Kind.FUNDING and status in (C, DL) and amount:
            total, parts = Decimal(amount), 3
            for i in range(parts):
                paid = status == DL or (status == C and i == 0)
                services.schedule_add(
                    actor=actor,
                    contribution=c,
                    due_on=ctx.days_ago(ago - 30 - i * 90),
                    amount=(total / parts).quantize(Decimal("0.01")),
                    paid_on=ctx.days_ago(ago - 32 - i * 90) if paid else None,
                    note=f"Instalment {i + 1} of {parts}",
                )
        if "transfer" in e:
            t = e["transfer"]
            owner, custodian = ctx.orgs[e["contributor"]], ctx.orgs[t["to"]]
            services.transfer_add(
                actor=actor,
                contribution=c,
                from_org=owner,
                to_org=custodian,
                transfer_on=ctx.days_ahead(t["in_days"]),
                note=t["note"],
            )
            c.owner, c.custodian = owner, custodian
            c.save(update_fields=["owner", "custodian"])
    benefits = data["benefits"]
    for b in benefits["records"]:
        value = b.get("value")
        services.benefit_record(
            actor=actor,
            partnership=p,
            organisation=ctx.orgs[b["organisation"]],
            direction=BenefitDirection(b["direction"]),
            description=b["description"],
            value=value,
            currency=benefits["currency"] if value else "",
            recorded_on=ctx.days_ago(benefits["recorded_days_ago"]),
        )
    ctx.extra["working_groups"] = groups


def agreements(ctx: DemoContext, data: Data) -> None:
    from commonground.agreements import services
    from commonground.agreements.models import Component

    p, pe, orgs = ctx.partnership, ctx.people, ctx.orgs
    m = data["memorandum"]
    drafter = pe[m["drafted_by"]]
    parties = [orgs[k] for k in m["parties"]]
    start_on = datetime.date(ctx.today.year + m["from_year"], 1, 1)
    end_on = datetime.date(ctx.today.year + m["to_year"], 12, 31)
    terms = pick(m, "title", "form", "template", "trial_months", "assets_committed")
    mou = services.agreement_create(
        actor=drafter,
        partnership=p,
        parties=parties,
        start_on=start_on,
        end_on=end_on,
        **terms,
        **pick(m, "staff_provided", "services_central"),
    )
    v1 = services.latest_version(mou)
    clauses = dict(v1.clauses)
    clauses[Component.REPORTING] = m["revision"]["reporting"]
    kept = {"form": m["form"], "trial_months": m["trial_months"]}
    services.agreement_edit(
        actor=drafter,
        agreement=mou,
        title=v1.title,
        parties=parties,
        start_on=v1.start_on,
        end_on=v1.end_on,
        clauses=clauses,
        **kept,
        **pick(m["revision"], "note", "context_considered"),
    )
    v2 = services.latest_version(mou)
    for key, person in m["ratified_by"].items():
        services.ratify(actor=pe[person], version=v2, organisation=orgs[key])
    a = m["amendment"]
    services.amendment_start(actor=drafter, agreement=mou, note=a["reason"])
    v3 = services.latest_version(mou)
    amended = dict(v3.clauses)
    amended[Component.TERMINATION] = amended[Component.TERMINATION].replace(
        *a["termination_replace"]
    )
    amended[Component.PARTIES] += "\n" + a["parties_add"]
    amended[Component.DELIVERABLES] += "\n" + a["deliverables_add"]
    services.agreement_edit(
        actor=drafter,
        agreement=mou,
        title=v3.title,
        parties=[*parties, orgs[a["new_party"]]],
        start_on=v3.start_on,
        end_on=v3.end_on,
        clauses=amended,
        note=a["note"],
        **kept,
    )
    v4 = services.latest_version(mou)
    for key, person in a["ratified_by"].items():
        services.ratify(actor=pe[person], version=v4, organisation=orgs[key])
    letter = data["letter"]
    services.agreement_create(
        actor=pe[letter["drafted_by"]],
        partnership=p,
        parties=[orgs[k] for k in letter["parties"]],
        start_on=ctx.days_ahead(letter["starts_in_days"]),
        **pick(letter, "title", "form", "template", "assets_committed"),
    )
    c = data["compact"]
    principles = list(c["principles"].items())
    compact = services.compact_create(
        actor=pe[c["drafted_by"]],
        partnership=p,
        principles=principles,
        **pick(c, "title", "introduction"),
    )
    for key, person in c["signed_by"].items():
        services.compact_sign(actor=pe[person], compact=compact, organisation=orgs[key])
    principles = list(compact.principles.all())
    for s in c["self_assessments"]:
        base = s["base_score"]
        scores = {pr.pk: max(1, min(5, base + (i % 3) - 1)) for i, pr in enumerate(principles)}
        year, org = ctx.today.year - s["years_ago"], orgs[s["organisation"]]
        services.self_assess(
            actor=pe[s["by"]], compact=compact, organisation=org, year=year, scores=scores
        )


def decisions(ctx: DemoContext, data: Data) -> None:
    from commonground.decisions import services
    from commonground.decisions.models import Decision, Proposal

    p, pe = ctx.partnership, ctx.people
    g = dict(data["governance"])
    by = pe[g.pop("by")]
    g["major_spending_threshold"] = Decimal(g["major_spending_threshold"])
    services.governance_update(actor=by, partnership=p, **g)
    groups = {}
    for key, spec in data["working_groups"].items():
        group = services.working_group_save(
            actor=by,
            partnership=p,
            name=spec["name"],
            remit=spec["remit"],
            lead=pe[spec["lead"]],
            is_active=True,
        )
        for member in spec["members"]:
            if member != spec["lead"]:
                services.working_group_member_add(actor=by, group=group, user=pe[member])
        groups[key] = group
    ctx.extra["working_groups"] = {group.name: group for group in groups.values()}
    domains = {}
    for kind, d in data["domains"].items():
        domains[kind] = services.domain_save(
            actor=by,
            partnership=p,
            name=d["name"],
            kind=kind,
            description=d["description"],
            working_group=groups[d["working_group"]] if "working_group" in d else None,
            person=pe[d["person"]] if "person" in d else None,
            spending_limit=dec(d.get("spending_limit")),
        )
    plain = (
        "title",
        "details",
        "method",
        "is_policy",
        "quorum_percent",
        "options",
        "max_score",
        "dots",
        "anonymous",
        "results_hidden",
    )
    for spec in data["proposals"]:
        kwargs: dict[str, Any] = {k: spec[k] for k in plain if k in spec}
        if "working_group" in spec:
            kwargs["working_group"] = groups[spec["working_group"]]
        if "domain" in spec:
            kwargs["domain"] = domains[spec["domain"]]
        if "spending_amount" in spec:
            kwargs["spending_amount"] = Decimal(spec["spending_amount"])
        if "closes_in_hours" in spec:
            kwargs["closes_at"] = timezone.now() + datetime.timedelta(hours=spec["closes_in_hours"])
        else:
            kwargs["closes_at"] = timezone.now() + datetime.timedelta(
                days=spec.get("closes_in_days", 5)
            )
        proposal = services.proposal_create(actor=pe[spec["by"]], partnership=p, **kwargs)
        options = {o.label: o.pk for o in proposal.options.all()}
        for b in spec["ballots"]:
            choices: Any = None
            if "ranking" in b:
                choices = [options[text] for text in b["ranking"]]
            for key in ("scores", "answers", "dots"):
                if key in b:
                    choices = {str(options[text]): v for text, v in b[key].items()}
            services.vote_cast(
                actor=pe[b["by"]],
                proposal=proposal,
                position=b.get("position", ""),
                choices=choices,
                reason=b.get("reason", ""),
            )
        if "closed" in spec:
            closed = spec["closed"]
            when = timezone.now() - datetime.timedelta(days=closed["days_ago"])
            Proposal.objects.filter(pk=proposal.pk).update(closes_at=when)
            proposal.refresh_from_db()
            done = services.proposal_close(actor=None, proposal=proposal)
            Proposal.objects.filter(pk=done.pk).update(
                closed_at=when, created_at=when - datetime.timedelta(days=7)
            )
            Decision.objects.filter(proposal=done).update(decided_on=timezone.localdate(when))
            done.refresh_from_db()
            services.proposal_record_outcome(
                actor=pe[closed["by"]], proposal=done, statement=closed["outcome"]
            )
    for d in data["delegated_decisions"]:
        extra = {"spending_amount": Decimal(d["spending_amount"])} if "spending_amount" in d else {}
        services.delegated_decision_record(
            actor=pe[d["by"]],
            domain=domains[d["domain"]],
            title=d["title"],
            decided_on=ctx.days_ago(d["days_ago"]),
            statement=d["statement"],
            **extra,
        )


def meetings(ctx: DemoContext, data: Data) -> None:
    from commonground.meetings import series, services
    from commonground.meetings.models import AttendanceStatus, MeetingMode

    p, pe = ctx.partnership, ctx.people
    chair, clerk, organiser = pe[data["chair"]], pe[data["clerk"]], pe[data["organiser"]]
    start, end = data["hours"]["start"], data["hours"]["end"]
    services.settings_set(
        actor=organiser, partnership=p, quorum_fraction=Decimal(data["quorum_fraction"])
    )
    made = []
    for spec in data["past"]:
        day = ctx.days_ago(spec["days_ago"])
        meeting = services.meeting_create(
            actor=organiser,
            partnership=p,
            title=spec["title"],
            mode=spec["mode"],
            starts_at=at(day, start),
            ends_at=at(day, end),
            place=spec.get("place", ""),
            online_url=spec.get("online_url", data["default_online_url"])
            if spec["mode"] != MeetingMode.IN_PERSON
            else "",
            chair=chair,
        )
        items = [
            (
                services.item_add(
                    actor=organiser, meeting=meeting, title=i["title"], item_type=i["type"]
                ),
                i,
            )
            for i in spec["items"]
        ]
        marks = {pe[k]: AttendanceStatus.PRESENT for k in spec["present"]}
        marks.update({pe[k]: AttendanceStatus.PLANNED_ABSENCE for k in spec["planned_absence"]})
        marks.update(
            {pe[k]: AttendanceStatus.UNPLANNED_ABSENCE for k in spec.get("unplanned_absence", [])}
        )
        services.attendance_set(actor=clerk, meeting=meeting, marks=marks)
        for item, i in items:
            services.item_notes_set(actor=clerk, item=item, notes=i["notes"])
            for m in i.get("motions", []):
                by = {"proposed_by": pe[m["proposed_by"]], "seconded_by": pe[m["seconded_by"]]}
                counts = pick(m, "text", "result", "votes_for", "votes_against", "abstentions")
                services.motion_record(actor=clerk, item=item, **by, **counts)
            for t in i["tasks"]:
                owner, due_on = pe[t["owner"]], ctx.days_ahead(t["due_in_days"])
                services.task_record(
                    actor=clerk, item=item, title=t["title"], owner=owner, due_on=due_on
                )
        for a in data["assessments"]:
            if marks.get(pe[a["by"]]) == AttendanceStatus.PRESENT:
                scores = pick(a, "usefulness", "run", "comment")
                services.assessment_submit(actor=pe[a["by"]], meeting=meeting, **scores)
        made.append(meeting)
    for i, meeting in enumerate(made):
        services.minutes_circulate(actor=clerk, meeting=meeting)
        if i + 1 < len(made):
            services.minutes_approve(actor=clerk, meeting=meeting, at_meeting=made[i + 1])
    up = data["upcoming"]
    day = ctx.days_ahead(up["in_days"])
    upcoming = services.meeting_create(
        actor=organiser,
        partnership=p,
        starts_at=at(day, start),
        ends_at=at(day, end),
        chair=chair,
        **pick(up, "title", "mode", "place", "online_url"),
    )
    item, prop = up["item"], up["proposed_item"]
    services.item_add(
        actor=organiser,
        meeting=upcoming,
        item_type=item["type"],
        **pick(item, "title", "description"),
    )
    services.item_propose(
        actor=pe[prop["by"]],
        meeting=upcoming,
        item_type=prop["type"],
        **pick(prop, "title", "description"),
    )
    for spec in data["series"]:
        day = ctx.days_ahead(spec["in_days"])
        first = at(day, spec["hours"]["start"])
        recurring = series.series_create(
            actor=organiser,
            partnership=p,
            working_group=p.working_groups.get(slug=spec["working_group"]),
            starts_at=first,
            duration=at(day, spec["hours"]["end"]) - first,
            chair=pe[spec["chair"]],
            **pick(spec, "title", "frequency", "interval", "mode", "place", "online_url"),
        )
        planned = list(recurring.meetings.order_by("starts_at"))
        if "moved" in spec:
            moved = planned[spec["moved"]["number"] - 1]
            day = timezone.localdate(moved.starts_at)
            services.meeting_update(
                actor=organiser,
                meeting=moved,
                starts_at=at(day, spec["moved"]["hours"]["start"]),
                ends_at=at(day, spec["moved"]["hours"]["end"]),
            )
        if "cancelled" in spec:
            series.occurrence_cancel(actor=organiser, meeting=planned[spec["cancelled"] - 1])
    ctx.extra["meetings"] = made


def actionplan(ctx: DemoContext, data: Data) -> None:
    from commonground.actionplan import services
    from commonground.actionplan.models import Action

    p, pe = ctx.partnership, ctx.people
    groups = list(p.working_groups.all())
    decided = list(p.decisions.order_by("decided_on"))
    for i, a in enumerate(data["actions"]):
        services.action_create(
            actor=pe[data["created_by"]],
            partnership=p,
            title=a["title"],
            owner=pe[a["owner"]],
            priority=a["priority"],
            start_on=ctx.today + datetime.timedelta(days=a["start_in_days"]),
            due_on=ctx.today + datetime.timedelta(days=a["due_in_days"]),
            status=a["status"],
            enablers=a.get("enablers", ""),
            working_group=groups[i % len(groups)] if groups and i % 3 == 0 else None,
            decision=decided[i % len(decided)] if decided and i % 5 == 0 else None,
            agreement_deliverable=data["agreement_deliverable"] if i % 7 == 0 else "",
        )
    tasks = list(Action.objects.filter(partnership=p, meeting__isnull=False).order_by("id"))
    for action, status in zip(tasks, data["meeting_task_statuses"], strict=False):
        services.action_set_status(
            actor=action.owner or pe[data["created_by"]], action=action, status=status
        )


def results(ctx: DemoContext, data: Data) -> None:
    from commonground.partnerships.models import WorkingGroup
    from commonground.results.models import Indicator, Measurement
    from commonground.results.progress import add_months
    from commonground.results.services import review_record

    p, pe = ctx.partnership, ctx.people
    g = data["reuse_hubs_group"]
    wg, _created = WorkingGroup.objects.get_or_create(
        partnership=p,
        slug="reuse-hubs",
        defaults={"name": g["name"], "remit": g["remit"], "lead": pe[g["lead"]]},
    )
    wg.members.add(*[pe[k] for k in g["members"]])
    ctx.extra["wg_reuse_hubs"] = wg
    start = add_months(ctx.today, -12).replace(day=1)
    end = add_months(start, 24)
    creator = pe[data["created_by"]]
    created = {}
    for spec in data["indicators"]:
        band, owner = spec.get("band"), pe[spec["owner"]]
        values = (
            {"band_low": dec(band[0]), "band_high": dec(band[1])}
            if band
            else {"baseline_value": dec(spec["baseline"]), "target_value": dec(spec["target"])}
        )
        ind = created[spec["name"]] = Indicator.objects.create(
            partnership=p,
            working_group=wg if spec.get("working_group") else None,
            is_financial=spec.get("financial", False),
            data_source=spec["source"],
            owner=owner,
            baseline_date=start,
            target_date=end,
            created_by=creator,
            **values,
            **pick(spec, "name", "description", "kind", "unit", "direction", "cadence"),
            **{f"meets_{c}": True for c in spec["criteria"]},
        )
        Measurement.objects.bulk_create(
            Measurement(
                indicator=ind,
                value=dec(v),
                recorded_by=owner,
                note="",
                measured_on=min(add_months(start, i + 1) - datetime.timedelta(days=1), ctx.today),
            )
            for i, v in enumerate(spec["monthly_values"])
        )
    q = data["qualitative"]
    qual = Indicator.objects.create(
        partnership=p,
        working_group=wg,
        kind="qualitative",
        unit="",
        direction="increase",
        baseline_date=start,
        target_date=end,
        data_source=q["source"],
        owner=pe[q["owner"]],
        created_by=creator,
        **pick(q, "name", "description", "cadence"),
        **{f"meets_{c}": True for c in q["criteria"]},
    )
    for i, o in enumerate(q["observations"]):
        on = add_months(start, 2 * i + 2) - datetime.timedelta(days=1)
        Measurement.objects.create(
            indicator=qual,
            measured_on=on,
            observation=o["text"],
            rating=o["rating"],
            recorded_by=pe[q["owner"]],
        )
    held: datetime.date | None = None
    for r in data["reviews"]:
        if "held_in_period" in r:
            held = start + datetime.timedelta(days=int((end - start).days * r["held_in_period"]))
        else:
            assert held is not None
            held = add_months(held, r["held_months_after_previous"])
        indicators = (
            [*created.values(), qual]
            if r["indicators"] == "all"
            else [created[name] for name in r["indicators"]]
        )
        extra = pick(
            r, "title", "what_worked", "what_did_not", "causes", "changes_decided", "early_win_note"
        )
        if "early_win_note" in r:
            extra["early_win"] = True
        if "revisions" in r:
            extra["revisions"] = [
                {
                    "indicator": created[v["indicator"]],
                    "new_target_value": Decimal(v["new_target"]),
                    "reason": v["reason"],
                }
                for v in r["revisions"]
            ]
        review_record(
            actor=pe[r["by"]], partnership=p, held_on=held, indicators=indicators, **extra
        )


def healthchecks(ctx: DemoContext, data: Data) -> None:
    from commonground.healthchecks.models import ItemKind, RoundItem
    from commonground.healthchecks.services import (
        items_ensure_default,
        note_add,
        round_open,
        round_publish,
        seal,
    )
    from commonground.partnerships.models import WorkingGroup

    p, tor, rng = ctx.partnership, ctx.people[data["opened_by"]], ctx.rng
    comments = data["comments"]
    items_ensure_default(actor=tor, partnership=p)
    for spec in data["rounds"]:
        opens = ctx.days_ago(spec["opens_days_ago"])
        if "open_days" in spec:
            closes = opens + datetime.timedelta(days=spec["open_days"])
        elif "closes_in_days" in spec:
            closes = ctx.days_ahead(spec["closes_in_days"])  # still open: answers stay sealed
        else:
            closes = ctx.days_ago(spec["closes_days_ago"])
        wg = None
        if "working_group" in spec:
            wg = WorkingGroup.objects.filter(partnership=p, slug=spec["working_group"]).first()
            if wg is None:
                continue
        rnd, _tokens = round_open(
            actor=tor,
            partnership=p,
            title=spec["title"],
            period=spec["period"],
            opens_on=opens,
            closes_on=closes,
            notify=False,
            **({"working_group": wg} if wg else {}),
        )
        means = data["means"][spec["means"]]
        # Mark some invitations used and seal that many anonymous answer sets (publishing
        # writes them to the results in a random order).
        invitations = list(rnd.invitations.select_related("user__organisation").order_by("id"))
        rng.shuffle(invitations)
        waiting = {ctx.people[k].pk for k in spec.get("unanswered", [])}
        invitations = [inv for inv in invitations if inv.user_id not in waiting]
        items = list(RoundItem.objects.filter(round=rnd))
        for inv in invitations[: spec["respondents"]]:
            inv.answered = True
            inv.save(update_fields=["answered"])
            org = inv.user.organisation
            rows: list[tuple[str, int | None, str]] = []
            for ri in items:
                if ri.kind == ItemKind.TEXT:
                    pool = comments.get(ri.key, [])
                    if pool and rng.random() < 0.25:
                        rows.append((ri.key, None, rng.choice(pool)))
                    continue
                if rng.random() < 0.05:
                    continue  # "don't know"
                mean = means.get(ri.key, (means["trust"] + means["platform"]) / 2)
                rows.append((ri.key, max(1, min(5, round(rng.gauss(mean, 0.8)))), ""))
            seal(rnd, org.sector if org else "", rows)
        if closes >= ctx.today:
            continue
        rnd = round_publish(actor=tor, round=rnd)
        for note in spec.get("follow_up", []):
            note_add(
                actor=ctx.people[note["by"]],
                round=rnd,
                text=note["text"],
                held_on=ctx.days_ago(note["held_days_ago"]),
            )


def atlas(ctx: DemoContext, data: Data) -> None:
    from commonground.atlas import services
    from commonground.atlas.models import AllianceTarget, Theme

    p, rng = ctx.partnership, ctx.rng
    actor = ctx.people[data["created_by"]]
    themes = {t.slug: t for t in Theme.objects.filter(partnership__isnull=True)}
    made: dict[str, Any] = {}

    def add(spec: Data, **kw: Any) -> None:
        spec = {**spec, **kw}
        fields = {
            k: spec[k]
            for k in (
                "latitude",
                "longitude",
                "description",
                "is_public",
                "area",
                "place_name",
                "custom_themes",
                "status",
                "facilitated_by_secretariat",
            )
            if k in spec
        }
        for key in ("starts_on", "ends_on"):
            if key in spec:
                fields[key] = spec[key]
        if "starts_days_ago" in spec:
            fields["starts_on"] = ctx.days_ago(spec["starts_days_ago"])
        if "ends_in_days" in spec:
            fields["ends_on"] = ctx.days_ahead(spec["ends_in_days"])
        made[spec["title"]] = services.activity_create(
            actor=actor,
            partnership=spec.get("partnership", p),
            title=spec["title"],
            kind=spec["kind"],
            organisations=[ctx.orgs[k] for k in spec["organisations"]],
            themes=[themes[s] for s in spec["themes"]],
            tier={"additional": "strategic"}.get(spec["tier"], spec["tier"]),
            **fields,
        )

    def jitter(value: str, spread: float) -> Decimal:
        offset = Decimal(str(round(rng.uniform(-spread, spread), 6)))
        return (Decimal(value) + offset).quantize(Decimal("0.000001"))

    for spec in data["placed"]:
        add(spec, status="active", starts_on=ctx.days_ago(200), ends_on=ctx.days_ahead(300))
    for spec in data["areas"]:
        add(spec)
    places = data["places"]
    for g in data["gatherings"]["list"]:
        place = rng.choice(places)
        add(
            g,
            latitude=jitter(place["latitude"], 0.004),
            longitude=jitter(place["longitude"], 0.006),
            place_name=place["name"],
            status="completed",
            starts_on=ctx.days_ago(rng.randint(5, 150)),
            ends_on=None,
            description=data["gatherings"]["description"],
            is_public=True,
        )
    gen = data["generated"]
    n = 0
    while len(made) < gen["until"]:
        stem = gen["stems"][n % len(gen["stems"])]
        place = places[(n * 5) % len(places)]
        n += 1
        start = ctx.days_ago(rng.randint(30, 700))
        status = rng.choice(gen["statuses"])
        add(
            stem,
            title=f"{stem['stem']} {place['name']}",
            latitude=jitter(place["latitude"], 0.012),
            longitude=jitter(place["longitude"], 0.02),
            place_name=place["name"],
            status=status,
            starts_on=start,
            ends_on=ctx.days_ago(rng.randint(1, 20)) if status == "completed" else None,
            description=f"{stem['stem']} run by partners in {place['name']}.",
            is_public=rng.random() < 0.5,
        )
    if ctx.other_partnership is not None:
        add(data["other_partnership_activity"], partnership=ctx.other_partnership)
    for s in data["suggested_conversations"]:
        services.conversation_suggest(
            actor=ctx.people[s["by"]],
            partnership=p,
            first=made[s["first"]],
            second=made[s["second"]],
            note=s["note"],
        )
    AllianceTarget.objects.update_or_create(year=ctx.today.year, defaults=data["alliance_target"])
    ctx.extra["atlas_activities"] = made


def library(ctx: DemoContext, data: Data) -> None:
    from commonground.library import services
    from commonground.library.uploads import bytes_upload
    from commonground.partnerships.models import WorkingGroup

    p, o, pe = ctx.partnership, ctx.orgs, ctx.people
    group = WorkingGroup.objects.filter(partnership=p).order_by("id").first()
    if group is None:
        g = data["fallback_group"]
        group = WorkingGroup.objects.create(
            partnership=p, name=g["name"], slug=g["slug"], remit=g["remit"], lead=pe[g["lead"]]
        )
        group.members.set([pe[k] for k in g["members"]])
    metadata = (
        "tags",
        "kind",
        "purpose",
        "confidentiality",
        "permitted_uses",
        "retention",
        "end_rule",
        "is_public",
    )
    for d in data["documents"]:
        access = d.get("access", "all")
        document = services.document_upload(
            actor=pe[d["uploaded_by"]],
            partnership=p,
            upload=bytes_upload(d["file"], file_bytes(d)),
            title=d["title"],
            owner_organisation=o[d["owner"]],
            access_level=access,
            working_group=group if access == "group" else None,
            organisations=[o[k] for k in d.get("named", [])],
            **{k: d[k] for k in metadata if k in d},
        )
        if "new_version" in d:
            v = d["new_version"]
            services.document_add_version(
                actor=pe[v["by"]],
                document=document,
                upload=bytes_upload(v["file"], file_bytes(v)),
                note=v["note"],
            )
        first = document.versions.first()
        if first is not None:
            for key in d.get("downloaded_by", []):
                services.download_record(actor=pe[key], version=first)
    for case in data["cases"]:
        case = dict(case)
        services.case_create(actor=pe[case.pop("by")], partnership=p, **case)
    milestones = data["milestones"]
    for m in milestones["list"]:
        services.milestone_create(
            actor=pe[milestones["by"]],
            partnership=p,
            date=ctx.days_ago(m["days_ago"]),
            title=m["title"],
            description=m["description"],
            is_public=m["is_public"],
        )


def systemmap(ctx: DemoContext, data: Data) -> None:
    from commonground.organisations.models import Organisation
    from commonground.organisations.services import organisation_save
    from commonground.partnerships.models import WorkingGroup
    from commonground.systemmap import services
    from commonground.systemmap.models import PrepToolVersion

    p, pe = ctx.partnership, ctx.people
    actor = pe[data["recorded_by"]]
    for key, spec in data["organisations"].items():
        existing = Organisation.objects.filter(slug=slugify(spec["name"])).first()
        ctx.orgs[key] = existing or organisation_save(
            actor=actor, organisation=Organisation(**org_defaults(spec))
        )
    for r in data["relationships"]:
        ended = r.get("ended_days_ago")
        services.relationship_create(
            actor=actor,
            partnership=p,
            source=ctx.orgs[r["source"]],
            target=ctx.orgs[r["target"]],
            kind=r["kind"],
            started_on=ctx.days_ago(r["started_days_ago"]),
            ended_on=ctx.days_ago(ended) if ended is not None else None,
            confidence=r["confidence"],
            evidence=r["evidence"],
        )
    g = data["mapping_group"]
    wg, _created = WorkingGroup.objects.get_or_create(
        partnership=p, slug=g["slug"], defaults={"name": g["name"], "remit": g["remit"]}
    )
    wg.members.add(*[pe[k] for k in g["members"] if k in pe])

    s = data["survey"]
    survey = services.survey_create(
        actor=actor,
        partnership=p,
        title=s["title"],
        area=s["area"],
        introduction=s["introduction"],
    )
    common = s["common_answers"]
    for key, a in s["answers"].items():
        org = ctx.orgs[key]
        _inv, raw = services.survey_invite(
            actor=actor, survey=survey, organisation=org, contact_name=a["respondent"]
        )
        services.survey_submit(
            raw_token=raw,
            answers=services.SurveyAnswers(
                respondent_name=a["respondent"],
                services=org.mission,
                target_groups=common["target_groups"],
                funded_role=a["funded_role"],
                actual_role=a["actual_role"],
                referral_rules=common["referral_rules"],
                eligibility_rules=common["eligibility_rules"],
                data_collected=common["data_collected"],
                coordination=a["coordination"],
                coordination_notes=common["coordination_notes"]
                if a["coordination"] != "none"
                else "",
                programmes=[
                    (x["name"], x["service_type"], x.get("capacity"), x["participants_per_year"])
                    for x in a["programmes"]
                ],
                funders=[(x["name"], x["sector"], x["expects"]) for x in a["funders"]],
                referrals=[(x["name"], x["sector"]) for x in a["referrals"]],
            ),
        )
    for u in s["unanswered"]:
        u = dict(u)
        if "organisation" in u:
            u["organisation"] = ctx.orgs[u["organisation"]]
        services.survey_invite(actor=actor, survey=survey, **u)

    for t in data["prep_tools"]:
        content = dict(t["content"])
        if "next_step_by_days_ago" in content:
            content = {
                ("next_step_by" if k == "next_step_by_days_ago" else k): (
                    ctx.days_ago(v).isoformat() if k == "next_step_by_days_ago" else v
                )
                for k, v in content.items()
            }
        version = services.prep_tool_save(
            actor=pe[t["by"]],
            partnership=p,
            tool=t["tool"],
            content=content,
            note=t.get("note", ""),
        )
        PrepToolVersion.objects.filter(pk=version.pk).update(
            created_at=at(ctx.days_ago(t["days_ago"]))
        )


def conversations(ctx: DemoContext, data: Data) -> None:
    from commonground.conversations import services
    from commonground.conversations.models import Post, PostKind, Thread
    from commonground.library.models import Document
    from commonground.meetings.models import Meeting
    from commonground.partnerships.models import WorkingGroup
    from commonground.results.models import Indicator

    p, pe, rng = ctx.partnership, ctx.people, ctx.rng
    services.ground_rules_save(
        actor=pe[data["ground_rules_by"]], partnership=p, text=services.ground_rules_text(p)
    )
    # Real record numbers for the #links in the texts (plain words if none exist).
    found = {
        "#meeting-1": Meeting.objects.filter(partnership=p).order_by("starts_at").first(),
        "#indicator-1": Indicator.objects.filter(partnership=p).order_by("pk").first(),
        "#document-1": Document.objects.filter(partnership=p, access_level="all")
        .order_by("pk")
        .first(),
    }
    refs = {key: f"#{key[1:].split('-')[0]}-{obj.pk}" if obj else "" for key, obj in found.items()}

    def linked(text: str) -> str:
        for key, value in refs.items():
            text = text.replace(key, value or "the records")
        return text

    def post(by: str, thread: Any, text: str, **kw: Any) -> Any:
        return services.post_create(actor=pe[by], thread=thread, body=text, accept_rules=True, **kw)

    participants, fillers = data["participants"], data["fillers"]
    now = timezone.now()
    threads: dict[str, Thread] = {}
    for i, spec in enumerate(data["threads"]):
        part = spec.get("working_group")
        thread = services.thread_create(
            actor=pe[spec["by"]],
            partnership=p,
            title=spec["title"],
            body=linked(spec["opening"]),
            working_group=WorkingGroup.objects.filter(partnership=p, name__icontains=part).first()
            if part
            else None,
            accept_rules=True,
        )
        posts = list(thread.posts.all())
        for r in spec["replies"]:
            posts.append(post(r["by"], thread, linked(r["text"])))
        for _n in range(rng.randint(4, 7)):
            who = rng.choice(participants)
            quote = rng.choice(posts) if rng.random() < 0.3 else None
            posts.append(post(who, thread, rng.choice(fillers), quote=quote))
        # Spread the posts over the past weeks (the newest thread most recently).
        start = now - datetime.timedelta(days=40 - 3 * i)
        for n, item in enumerate(posts):
            Post.objects.filter(pk=item.pk).update(
                created_at=start + datetime.timedelta(hours=7 * n + rng.randint(0, 5))
            )
        last = Post.objects.filter(thread=thread).order_by("-created_at").first()
        Thread.objects.filter(pk=thread.pk).update(
            last_post_at=last.created_at if last else None, created_at=start
        )
        threads[spec["title"]] = thread

    kinds = data["reaction_kinds"]
    for item in Post.objects.filter(thread__partnership=p).order_by("pk")[::3]:
        for who in rng.sample(participants, rng.randint(0, 3)):
            services.reaction_toggle(actor=pe[who], post=item, kind=rng.choice(kinds))

    moderator = pe[data["moderator"]]
    services.thread_set(actor=moderator, thread=threads[data["pinned"]], pinned=True)
    facts = data["facts"]
    for f in facts["list"]:
        fact = post(f["by"], threads[facts["thread"]], f["text"], kind=PostKind.FACT)
        if f["agreed"]:
            services.fact_agree(actor=moderator, post=fact)
    i = data["interpretation"]
    post(i["by"], threads[i["thread"]], i["text"], kind=PostKind.INTERPRETATION)
    h = data["hidden"]
    services.post_hide(
        actor=moderator, post=post(h["by"], threads[h["thread"]], h["text"]), reason=h["reason"]
    )
    r = data["open_request"]
    post(r["by"], threads[r["thread"]], r["text"], addressee=pe[r["to"]])
    r = data["answered_request"]
    question = post(r["by"], threads[r["thread"]], r["text"], addressee=pe[r["to"]])
    answer = post(r["to"], threads[r["thread"]], r["answer"])
    services.request_answer(actor=pe[r["to"]], post=question, answer_post=answer)
    t = data["to_proposal"]
    services.post_to_proposal(
        actor=pe[t["by"]], post=post(t["by"], threads[t["thread"]], t["text"]), title=t["title"]
    )
    a = data["to_action"]
    source = next(x for x in threads[a["thread"]].posts.all() if a["post_containing"] in x.body)
    services.post_to_action(actor=pe[a["by"]], post=source, title=a["title"], owner=pe[a["owner"]])


# (file, step) in the order they run: later steps use what earlier ones made.
def ending(ctx: DemoContext, data: Data) -> None:
    """A second partnership that ended well: each step of the ending path, then the end
    itself (read-only; the data room's end rules run), dated back as the scenario says."""
    from commonground.core.models import AuditEvent
    from commonground.library import services as library_services
    from commonground.library.models import Document
    from commonground.library.uploads import bytes_upload
    from commonground.partnerships import services
    from commonground.partnerships.models import (
        Ending,
        Membership,
        MembershipStatus,
        Partnership,
        Role,
    )

    pe, o = ctx.people, ctx.orgs
    spec = dict(data["partnership"])
    spec["created_by"] = pe[spec["created_by"]]
    p = Partnership.objects.create(**spec)
    for key in data["members"]:
        Membership.objects.create(
            partnership=p,
            organisation=o[key],
            status=MembershipStatus.ACTIVE,
            joined_on=ctx.days_ago(400),
        )
    for key, kind in data["roles"].items():
        person = ctx.extra["people_spec"][key]
        Role.objects.create(
            partnership=p,
            user=pe[key],
            organisation=o[person["organisation"]],
            kind=kind,
            started_on=ctx.days_ago(400),
        )
    for d in data["documents"]:
        library_services.document_upload(
            actor=pe[d["uploaded_by"]],
            partnership=p,
            upload=bytes_upload(d["file"], file_bytes(d)),
            title=d["title"],
            owner_organisation=o[d["owner"]],
            purpose=d["purpose"],
            confidentiality=d["confidentiality"],
            end_rule=d["end_rule"],
        )
    st = data["steps"]
    by = pe[st["by"]]
    fields = {
        "dissatisfaction": {"dissatisfaction_note": st["dissatisfaction"]["note"]},
        "agreement": {"agreement_ids": [], "agreement_note": st["agreement"]["note"]},
        "mediator": {
            "mediator_needed": st["mediator"]["needed"],
            "mediator_note": st["mediator"]["note"],
        },
        "lessons": {
            f"lesson_{k}": st["lessons"][k]
            for k in ("achievements", "contributions", "adaptation", "communication")
        },
        "announcement": {
            "announcement": st["announcement"]["text"],
            "announce_on": ctx.days_ago(st["announcement"]["announce_days_ago"]),
        },
    }
    for step, values in fields.items():
        services.ending_step_save(actor=by, partnership=p, step=step, **values)
    services.partnership_end(actor=by, partnership=p)
    # Dated back as the scenario says.
    Ending.objects.filter(partnership=p).update(
        **{f"{step}_at": at(ctx.days_ago(st[step]["days_ago"])) for step in fields}
    )
    ended = at(ctx.days_ago(st["ended_days_ago"]))
    Partnership.objects.filter(pk=p.pk).update(ended_on=ended.date())
    Document.objects.filter(partnership=p).update(end_rule_applied_at=ended)
    last = ("partnership.end", "library.retention_apply")
    AuditEvent.objects.filter(partnership=p, verb__in=last).update(created_at=ended)
    AuditEvent.objects.filter(partnership=p).exclude(verb__in=last).update(
        created_at=at(ctx.days_ago(st["dissatisfaction"]["days_ago"]))
    )
    ctx.extra["ended_partnership"] = p


STEPS: list[tuple[str, Callable[[DemoContext, Data], None]]] = [
    ("organisations", organisations),
    ("people", people),
    ("partnership", partnership),
    ("method", method),
    ("prospects", prospects),
    ("contributions", contributions),
    ("agreements", agreements),
    ("decisions", decisions),
    ("meetings", meetings),
    ("actionplan", actionplan),
    ("results", results),
    ("healthchecks", healthchecks),
    ("atlas", atlas),
    ("library", library),
    ("systemmap", systemmap),
    ("conversations", conversations),
    ("ending", ending),
]
