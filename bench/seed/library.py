"""Scale data for the library: 10,000 documents at F=1 (200 per partnership), metadata
only with one version record each and no file; five case studies and lessons and ten
milestones per partnership."""

from __future__ import annotations

import datetime
import hashlib

from django.urls import reverse

from bench.seed import ScaleContext
from commonground.library.models import (
    AccessLevel,
    CaseKind,
    CaseStudy,
    Confidentiality,
    Document,
    DocumentKind,
    DocumentVersion,
    Milestone,
)

BATCH = 2000
ACCESS = [
    AccessLevel.ALL_MEMBERS,
    AccessLevel.ALL_MEMBERS,
    AccessLevel.ALL_MEMBERS,
    AccessLevel.ORGANISATIONS,
    AccessLevel.MANAGERS,
]
KINDS = [DocumentKind.DOCUMENT, DocumentKind.DOCUMENT, DocumentKind.DATASET]
CONFIDENTIALITY = [c.value for c in Confidentiality]


def seed(ctx: ScaleContext) -> None:
    rng = ctx.rng
    pids = ctx.partnership_ids
    if not pids:
        return
    per = max(1, ctx.n(10_000) // len(pids))
    docs = []
    for pid in pids:
        orgs = ctx.orgs_by_partnership.get(pid) or []
        people = ctx.people_by_partnership.get(pid) or [ctx.bench_user_id]
        if not orgs:
            continue
        for k in range(per):
            docs.append(
                Document(
                    partnership_id=pid,
                    title=f"Scale document {k:05d}",
                    description="Synthetic document (metadata only).",
                    kind=KINDS[k % len(KINDS)],
                    tags="scale, benchmark",
                    access_level=ACCESS[rng.randrange(len(ACCESS))],
                    owner_organisation_id=orgs[k % len(orgs)],
                    purpose="Shared for the benchmark.",
                    confidentiality=CONFIDENTIALITY[rng.randrange(len(CONFIDENTIALITY))],
                    is_public=rng.random() < 0.2,
                    created_by_id=people[k % len(people)],
                )
            )
    Document.objects.bulk_create(docs, batch_size=BATCH)
    created = list(
        Document.objects.filter(partnership_id__in=pids)
        .order_by("-id")
        .values_list("id", "partnership_id", "access_level", "created_by_id")[: len(docs)]
    )
    versions, named = [], []
    Named = Document.organisations.through
    for did, pid, access, uid in created:
        versions.append(
            DocumentVersion(
                document_id=did,
                number=1,
                original_name=f"document-{did}.pdf",
                content_type="application/pdf",
                size=rng.randrange(10_000, 5_000_000),
                sha256=hashlib.sha256(str(did).encode()).hexdigest(),
                uploaded_by_id=uid,
            )
        )
        if access == AccessLevel.ORGANISATIONS:
            orgs = ctx.orgs_by_partnership.get(pid) or []
            for oid in rng.sample(orgs, min(len(orgs), 2)):
                named.append(Named(document_id=did, organisation_id=oid))
    DocumentVersion.objects.bulk_create(versions, batch_size=BATCH)
    Named.objects.bulk_create(named, batch_size=BATCH)

    CaseStudy.objects.bulk_create(
        [
            CaseStudy(
                partnership_id=pid,
                kind=CaseKind.CASE_STUDY if k % 2 == 0 else CaseKind.LESSON,
                title=f"Scale lesson {k + 1}",
                summary="What we learned from working together.",
                what_worked="Shared data.",
                what_did_not="Slow decisions.",
                tags="scale",
                shared=k == 0,
                is_public=k < 2,
            )
            for pid in pids
            for k in range(5)
        ],
        batch_size=BATCH,
    )
    Milestone.objects.bulk_create(
        [
            Milestone(
                partnership_id=pid,
                date=datetime.date(2024, 1, 15) + datetime.timedelta(days=60 * k),
                title=f"Scale milestone {k + 1}",
                is_public=k % 2 == 0,
            )
            for pid in pids
            for k in range(10)
        ],
        batch_size=BATCH,
    )


def bench_pages(ctx: ScaleContext) -> list[tuple[str, str]]:
    slug = ctx.bench_partnership_slug
    return [
        ("library: data room", reverse("library:documents", kwargs={"slug": slug})),
        # The PDF (library:report_pdf) is left out: every section is capped, so it is
        # the same four pages at any factor, but WeasyPrint layout alone takes about
        # 0.3-0.6 s per PDF on one core, and several seconds at p95 under the bench's
        # concurrent clients, which would only measure WeasyPrint.
        ("library: report", reverse("library:report", kwargs={"slug": slug})),
    ]
