"""Scale data for agreements: 100 agreements at F=1 (at least 3 in the bench partnership),
each with 2–3 versions, the parties of each version, and ratifications of all but the newest."""

from __future__ import annotations

import hashlib

from django.urls import reverse
from django.utils import timezone

from bench.seed import ScaleContext
from commonground.agreements.models import (
    Agreement,
    AgreementVersion,
    Component,
    Form,
    Ratification,
)
from commonground.organisations.models import Organisation

BATCH = 2000
BIG_TITLE = "Scale agreement with three versions"


def _text(title: str, clauses: dict[str, str]) -> str:
    parts = [title, ""]
    for code, clause in clauses.items():
        parts += [str(Component(code).label), clause, ""]
    return "\n".join(parts)


def seed(ctx: ScaleContext) -> None:
    rng = ctx.rng
    start = Agreement.objects.filter(title__startswith="Scale agreement").count()
    n = max(3, ctx.n(100))
    agreements = []
    for i in range(n):
        pid = (
            ctx.bench_partnership_id if i < 3 else ctx.partnership_ids[i % len(ctx.partnership_ids)]
        )
        agreements.append(
            Agreement(
                partnership_id=pid,
                title=BIG_TITLE if i == 0 else f"Scale agreement {start + i:05d}",
                form=Form.MOU,
            )
        )
    Agreement.objects.bulk_create(agreements, batch_size=BATCH)

    versions, parties_of = [], []
    for i, agreement in enumerate(agreements):
        orgs = ctx.orgs_by_partnership.get(agreement.partnership_id) or ctx.organisation_ids[:3]
        parties = orgs[: min(len(orgs), 6)]
        clauses = {
            code: " ".join(
                f"The parties agree on point {k} of {code}, reviewed every {rng.randint(2, 12)} months."
                for k in range(rng.randint(3, 8))
            )
            for code in Component.values
        }
        for number in range(1, 4 if i == 0 else rng.randint(2, 3) + 1):
            if number > 1:
                code = Component.values[rng.randrange(len(Component.values))]
                clauses = {**clauses, code: clauses[code] + f" Amended in version {number}."}
            text = _text(agreement.title, clauses)
            versions.append(
                AgreementVersion(
                    agreement_id=agreement.pk,
                    number=number,
                    is_amendment=number > 1,
                    title=agreement.title,
                    form=agreement.form,
                    clauses=clauses,
                    text=text,
                    sha256=hashlib.sha256(text.encode()).hexdigest(),
                    note="" if number == 1 else "Amended clause.",
                )
            )
            parties_of.append(parties)
    AgreementVersion.objects.bulk_create(versions, batch_size=BATCH)

    through = AgreementVersion.parties.through
    links, ratifications = [], []
    now = timezone.now()
    newest: dict[int, int] = {}
    for v in versions:
        newest[v.agreement_id] = max(newest.get(v.agreement_id, 0), v.number)
    all_parties = {o for ps in parties_of for o in ps}
    names = dict(Organisation.objects.filter(pk__in=all_parties).values_list("id", "name"))
    for v, parties in zip(versions, parties_of, strict=True):
        links += [through(agreementversion_id=v.pk, organisation_id=o) for o in parties]
        if v.number < newest[v.agreement_id]:
            v.ratified_at = now
            ratifications += [
                Ratification(
                    version_id=v.pk,
                    organisation_id=o,
                    signer_name="Scale Signer",
                    organisation_name=names.get(o, ""),
                    text_sha256=v.sha256,
                )
                for o in parties
            ]
    through.objects.bulk_create(links, batch_size=BATCH)
    Ratification.objects.bulk_create(ratifications, batch_size=BATCH)
    AgreementVersion.objects.bulk_update(
        [v for v in versions if v.ratified_at], ["ratified_at"], batch_size=BATCH
    )
    ctx.extra["big_agreement_id"] = agreements[0].pk


def load(ctx: ScaleContext) -> None:
    ctx.extra["big_agreement_id"] = (
        Agreement.objects.filter(partnership_id=ctx.bench_partnership_id, title=BIG_TITLE)
        .order_by("-id")
        .values_list("id", flat=True)
        .first()
    )


def bench_pages(ctx: ScaleContext) -> list[tuple[str, str]]:
    slug = ctx.bench_partnership_slug
    pk = ctx.extra["big_agreement_id"]
    return [
        (
            "agreement diff",
            reverse("agreements:diff", kwargs={"slug": slug, "pk": pk}) + "?a=1&b=3",
        ),
        ("agreements", reverse("agreements:list", kwargs={"slug": slug})),
    ]
