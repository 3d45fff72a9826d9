"""Permission matrix rows for the library (data room, knowledge, story)."""

from __future__ import annotations

from commonground.core.testing import Row, World
from commonground.library import rules

from .factories import make_case, make_document

# The document and the case are the world's representative's; managers change anything.
UPLOADER_AND_MANAGERS = frozenset({"convener", "manager", "representative"})


def rows(world: World) -> list[Row]:
    slug = {"slug": world.partnership.slug}
    rep = world.users["representative"]
    doc = make_document(world.partnership, world.organisation, actor=rep)
    case = make_case(world.partnership, actor=rep, shared=True)
    d = {**slug, "pk": doc.pk}
    return [
        Row("library:documents", slug, rules.VIEW),
        Row("library:document_upload", slug, rules.UPLOAD),
        Row("library:document", d, rules.VIEW),
        # The uploader (the world's representative) and managers may change it.
        Row("library:document_edit", d, rules.UPLOAD, only=UPLOADER_AND_MANAGERS),
        Row("library:version_add", d, rules.UPLOAD, method="post", only=UPLOADER_AND_MANAGERS),
        Row("library:download", {**d, "version": 1}, rules.VIEW),
        Row("library:cases", slug, rules.VIEW),
        Row("library:case_create", slug, rules.WRITE),
        Row("library:case", {**slug, "pk": case.pk}, rules.VIEW),
        Row("library:case_edit", {**slug, "pk": case.pk}, rules.WRITE, only=UPLOADER_AND_MANAGERS),
        Row("library:timeline", slug, rules.VIEW),
        Row(
            "library:milestone_create",
            slug,
            rules.MILESTONES,
            method="post",
            data={"date": "2026-01-01", "title": "Launch"},
        ),
        Row("library:report", slug, rules.REPORT),
        Row("library:report_pdf", slug, rules.REPORT),
        Row("library_global:cases", {}, "signed_in"),
        Row("api:library_documents", slug, rules.VIEW, api=True),
        Row("library_global:case", {"pk": case.pk}, "signed_in"),
    ]
