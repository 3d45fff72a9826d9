from __future__ import annotations

import datetime
import functools
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from commonground.accounts.tests.factories import UserFactory
from commonground.core.models import AuditEvent
from commonground.core.testing import assert_queries_do_not_grow
from commonground.demo.files import png_bytes
from commonground.library import reports, rules, services, uploads
from commonground.library.management.commands.apply_retention import (
    Command as RetentionCommand,
)
from commonground.library.models import Document, DocumentVersion, DownloadLog, Milestone
from commonground.library.reports import ReportParams
from commonground.partnerships.models import WorkingGroup
from commonground.partnerships.tests.factories import RoleFactory

from .factories import make_case, make_document

ROLES = ["outsider", "observer", "representative", "manager", "admin"]


def _docs(world):
    group = WorkingGroup.objects.create(partnership=world.partnership, name="Data", slug="data")
    wg_user = UserFactory()
    RoleFactory(partnership=world.partnership, user=wg_user, kind="wg_member")
    group.members.add(wg_user)
    world.users["wg"] = wg_user
    p, org, org2 = world.partnership, world.organisation, world.second_organisation
    return {
        "all": make_document(p, org2, title="All"),
        "group": make_document(p, org2, title="Group", access_level="group", working_group=group),
        "orgs_mine": make_document(
            p, org2, title="Orgs mine", access_level="orgs", organisations=[org]
        ),
        "orgs_other": make_document(
            p, org2, title="Orgs other", access_level="orgs", organisations=[org2]
        ),
        "managers": make_document(p, org2, title="Managers", access_level="managers"),
    }


# Which documents each role may open (and download).
EXPECTED = {
    "outsider": set(),
    "observer": {"all"},
    "representative": {"all", "orgs_mine"},
    "wg": {"all", "group"},
    "manager": {"all", "group", "orgs_mine", "orgs_other", "managers"},
    "admin": {"all", "group", "orgs_mine", "orgs_other", "managers"},
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", [*ROLES, "wg"])
def test_access_levels_for_every_role_with_download_logging(world, role):
    from django.test import Client

    docs = _docs(world)
    client = Client()
    client.force_login(world.users[role])
    slug = world.partnership.slug
    for key, doc in docs.items():
        allowed = key in EXPECTED[role]
        detail = client.get(reverse("library:document", kwargs={"slug": slug, "pk": doc.pk}))
        url = reverse("library:download", kwargs={"slug": slug, "pk": doc.pk, "version": 1})
        before = DownloadLog.objects.count()
        response = client.get(url)
        if allowed:
            assert detail.status_code == 200, key
            assert response.status_code == 200, key
            assert response["Content-Disposition"].startswith("attachment")
            assert response["X-Content-Type-Options"] == "nosniff"
            assert b"".join(response.streaming_content) == b"a,b\n1,2\n"
            log = DownloadLog.objects.latest("id")
            assert log.user == world.users[role] and log.document == doc
        else:
            assert detail.status_code == 404, key
            assert response.status_code == 404, key
            assert DownloadLog.objects.count() == before
    listed = client.get(reverse("library:documents", kwargs={"slug": slug}))
    if role == "outsider":
        assert listed.status_code == 404
    else:
        titles = {d.title for d in listed.context["page"]}
        assert titles == {docs[k].title for k in EXPECTED[role]}


@pytest.mark.django_db
def test_anonymous_download_goes_to_sign_in(world, client):
    doc = make_document(world.partnership, world.organisation)
    url = reverse(
        "library:download", kwargs={"slug": world.partnership.slug, "pk": doc.pk, "version": 1}
    )
    response = client.get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- upload validation -----------------------------------------------------------------------


def _xlsx() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
    return buf.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "ext"),
    [
        ("report.pdf", b"%PDF-1.7\n...", "pdf"),
        ("pic.PNG", png_bytes(2, 2, (0, 0, 0), (1, 1, 1)), "png"),
        ("photo.jpeg", b"\xff\xd8\xff\xe0rest", "jpeg"),
        ("data.csv", "navn,by\nÅse,Tromsø\n".encode(), "csv"),
        ("notes.txt", b"hello", "txt"),
        ("sheet.xlsx", _xlsx(), "xlsx"),
    ],
)
def test_allowed_uploads(name, data, ext):
    checked = uploads.check_upload(SimpleUploadedFile(name, data))
    assert checked.ext == ext and len(checked.sha256) == 64


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("evil.html", b"<html>", "not accepted"),
        ("evil.exe", b"MZ", "not accepted"),
        ("noext", b"data", "not accepted"),
        ("fake.pdf", b"<html><script>alert(1)</script>", "does not match"),
        ("fake.png", b"GIF89a", "does not match"),
        ("page.txt", b"<!DOCTYPE html><html>", "does not match"),
        ("bin.csv", b"a,b\x00\x01", "does not match"),
        ("fake.xlsx", b"PK\x03\x04garbage", "does not match"),
        ("empty.txt", b"", "empty"),
    ],
)
def test_refused_uploads(name, data, message):
    with pytest.raises(ValidationError, match=message):
        uploads.check_upload(SimpleUploadedFile(name, data))


def test_size_limit(settings):
    settings.COMMONGROUND_UPLOAD_MAX_BYTES = 10
    with pytest.raises(ValidationError, match="limit"):
        uploads.check_upload(SimpleUploadedFile("a.txt", b"x" * 11))


def test_filename_sanitising():
    assert uploads.sanitise_filename("../../etc/passwd") == "passwd"
    assert uploads.sanitise_filename("C:\\Users\\x\\Rapport 2026.PDF") == "Rapport 2026.pdf"
    assert uploads.sanitise_filename("a\x00b<script>.txt") == "ab_script.txt"
    assert uploads.sanitise_filename("...") == "file"


@pytest.mark.django_db
def test_upload_view_refuses_clearly_and_stores_nothing(world, client_for, settings):
    settings.COMMONGROUND_UPLOAD_MAX_BYTES = 20
    url = reverse("library:document_upload", kwargs={"slug": world.partnership.slug})
    data = {
        "title": "Kept title",
        "kind": "document",
        "access_level": "all",
        "owner_organisation": world.organisation.pk,
        "purpose": "Test",
        "confidentiality": "internal",
        "end_rule": "archive",
    }
    client = client_for("representative")
    response = client.post(url, {**data, "file": SimpleUploadedFile("big.txt", b"x" * 21)})
    assert response.status_code == 400
    assert b"Kept title" in response.content and b"the limit is" in response.content
    response = client.post(url, {**data, "file": SimpleUploadedFile("x.html", b"<p>")})
    assert response.status_code == 400 and b"not accepted" in response.content
    assert not Document.objects.exists() and not DocumentVersion.objects.exists()
    assert not (settings.MEDIA_ROOT / "library").exists()

    response = client.post(url, {**data, "file": SimpleUploadedFile("../ok.txt", b"fine")})
    assert response.status_code == 302
    version = DocumentVersion.objects.get()
    assert version.original_name == "ok.txt"
    assert "ok" not in version.file.name and version.file.name.endswith(".txt")
    assert version.file.name.startswith(f"library/{world.partnership.pk}/")


@pytest.mark.django_db
def test_versions_and_who_may_add_them(world, client_for):
    doc = make_document(world.partnership, world.organisation, actor=world.users["representative"])
    url = reverse("library:version_add", kwargs={"slug": world.partnership.slug, "pk": doc.pk})
    response = client_for("representative").post(
        url, {"file": SimpleUploadedFile("v2.csv", b"a\n2\n"), "note": "fixed"}
    )
    assert response.status_code == 302
    assert list(doc.versions.values_list("number", flat=True)) == [2, 1]
    other = make_document(world.partnership, world.organisation)
    url = reverse("library:version_add", kwargs={"slug": world.partnership.slug, "pk": other.pk})
    response = client_for("representative").post(
        url, {"file": SimpleUploadedFile("v2.csv", b"a\n")}
    )
    assert response.status_code == 403


@pytest.mark.django_db
def test_search_by_title_tag_owner(world, client_for):
    make_document(world.partnership, world.organisation, title="Budget", tags="finance")
    make_document(world.partnership, world.second_organisation, title="Waste", tags="data")
    url = reverse("library:documents", kwargs={"slug": world.partnership.slug})
    client = client_for("manager")

    def titles(q):
        return {d.title for d in client.get(url, {"q": q}).context["page"]}

    assert titles("budg") == {"Budget"}
    assert titles("data") == {"Waste"}
    assert titles("Fjordvik") == {"Waste"}  # the second organisation is Fjordvik Municipality


# --- retention --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_retention_rules_apply_only_when_ended_and_are_logged(world, settings):
    p, org, org2 = world.partnership, world.organisation, world.second_organisation
    keep = make_document(p, org, title="Archive me", end_rule="archive")
    gone = make_document(p, org2, title="Delete me", end_rule="delete")
    back = make_document(p, org, title="Return me", end_rule="return")
    path = gone.versions.get().file.path
    with pytest.raises(ValidationError):
        services.retention_apply(actor=None, partnership=p)

    p.status = "ended"
    p.save()
    out = io.StringIO()
    RetentionCommand(stdout=out).handle()
    keep.refresh_from_db()
    gone.refresh_from_db()
    back.refresh_from_db()
    assert (keep.status, gone.status, back.status) == ("archived", "deleted", "returned")
    import os

    assert not os.path.exists(path) and not gone.versions.get().file
    assert AuditEvent.objects.filter(verb="library.retention_apply").count() == 3
    # Running again changes nothing.
    RetentionCommand(stdout=io.StringIO()).handle()
    assert AuditEvent.objects.filter(verb="library.retention_apply").count() == 3

    # After the rule: the representative (owner of "Return me") still sees it; the observer
    # sees none; the manager sees all, but the deleted file cannot be downloaded.
    rep, obs, mgr = (world.users[k] for k in ("representative", "observer", "manager"))
    assert set(rules.visible_documents(rep, p).values_list("title", flat=True)) == {"Return me"}
    assert not rules.visible_documents(obs, p).exists()
    assert rules.visible_documents(mgr, p).count() == 3
    from django.test import Client

    c = Client()
    c.force_login(mgr)
    url = reverse("library:download", kwargs={"slug": p.slug, "pk": gone.pk, "version": 1})
    assert c.get(url).status_code == 404


# --- report ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_public_report_leaves_out_what_is_not_public(world, client_for):
    from commonground.atlas.tests.factories import make_activity
    from commonground.decisions.models import Decision

    p = world.partnership
    today = datetime.date.today()
    make_activity(p, [world.organisation], title="Public activity", is_public=True)
    make_activity(p, [world.organisation], title="Secret activity")
    make_case(p, title="Public lesson", is_public=True)
    make_case(p, title="Internal lesson")
    Milestone.objects.create(partnership=p, date=today, title="Public milestone", is_public=True)
    Milestone.objects.create(partnership=p, date=today, title="Internal milestone")
    Decision.objects.create(
        partnership=p, title="Internal decision", method="consent", decided_on=today
    )
    url = reverse("library:report", kwargs={"slug": p.slug})
    period = {"start": (today - datetime.timedelta(days=30)).isoformat(), "end": today.isoformat()}
    client = client_for("observer")
    public = client.get(url, {**period, "audience": "public"}).content.decode()
    internal = client.get(url, {**period, "audience": "partners"}).content.decode()
    for text in ("Public activity", "Public lesson", "Public milestone"):
        assert text in public and text in internal
    for text in ("Secret activity", "Internal lesson", "Internal milestone", "Internal decision"):
        assert text not in public and text in internal
    assert "Harbour Repair Collective" in public  # members and sector mix


@pytest.mark.django_db
def test_report_registry_adds_sections_and_pdf_renders(world, client_for):
    seen = []

    def ctx(params: ReportParams):
        seen.append(params.audience)
        return None if params.public else {"hello": "Registered section"}

    reports.register_report_section(55, "library/report/_test_section.html", ctx)
    try:
        p = world.partnership
        url = reverse("library:report", kwargs={"slug": p.slug})
        response = client_for("manager").get(url)
        assert response.status_code == 200 and b"Registered section" in response.content
        today = datetime.date.today().isoformat()
        response = client_for("manager").get(
            url, {"start": today, "end": today, "audience": "public"}
        )
        assert b"Registered section" not in response.content
        bad = client_for("manager").get(
            url, {"start": today, "end": "2000-01-01", "audience": "public"}
        )
        assert bad.status_code == 400
        pdf = client_for("manager").get(reverse("library:report_pdf", kwargs={"slug": p.slug}))
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
        assert pdf["Content-Disposition"].startswith("attachment")
    finally:
        reports._SECTIONS.pop("library/report/_test_section.html", None)
    assert seen[:2] == ["partners", "public"]


@pytest.mark.django_db
def test_timeline_and_milestones(world, client_for):
    url = reverse("library:milestone_create", kwargs={"slug": world.partnership.slug})
    response = client_for("manager").post(url, {"date": "2026-03-01", "title": "Hub opened"})
    assert response.status_code == 302
    page = client_for("observer").get(
        reverse("library:timeline", kwargs={"slug": world.partnership.slug})
    )
    assert b"Hub opened" in page.content
    assert client_for("observer").post(url, {"date": "2026-03-01", "title": "x"}).status_code == 403


# --- knowledge library --------------------------------------------------------------------------


@pytest.mark.django_db
def test_shared_cases_cross_partnerships_private_ones_do_not(world, client_for):
    make_case(world.partnership, title="Shared one", shared=True)
    make_case(world.partnership, title="Private one")
    outsider = client_for("outsider")
    listed = outsider.get(reverse("library_global:cases"))
    titles = {c.title for c in listed.context["page"]}
    assert titles == {"Shared one"}
    private = world.partnership.case_studies.get(title="Private one")
    assert (
        outsider.get(reverse("library_global:case", kwargs={"pk": private.pk})).status_code == 404
    )
    # Inside another partnership's workspace the shared case is readable too.
    other_slug = world.other_partnership.slug
    response = outsider.get(reverse("library:cases", kwargs={"slug": other_slug}), {"q": "one"})
    assert {c.title for c in response.context["page"]} == {"Shared one"}


@pytest.mark.django_db
def test_list_pages_do_not_grow_queries(world, client_for):
    client = client_for("manager")
    slug = world.partnership.slug
    n = iter(range(1000))

    def grow():
        for _ in range(3):
            make_document(world.partnership, world.organisation, title=f"D{next(n)}", tags="x,y")
            make_case(world.partnership, title=f"C{next(n)}")
            Milestone.objects.create(
                partnership=world.partnership, date=datetime.date.today(), title="M"
            )

    grow()
    for url in (
        reverse("library:documents", kwargs={"slug": slug}),
        reverse("library:cases", kwargs={"slug": slug}),
        reverse("library:timeline", kwargs={"slug": slug}),
        reverse("library:report", kwargs={"slug": slug}),
        reverse("library_global:cases"),
    ):
        assert_queries_do_not_grow(functools.partial(client.get, url), grow)


@pytest.mark.django_db
def test_api_lists_only_documents_the_caller_may_open(world, client_for):
    _docs(world)
    url = reverse("api:library_documents", kwargs={"slug": world.partnership.slug})
    items = client_for("representative").get(url).json()["items"]
    assert {i["title"] for i in items} == {"All", "Orgs mine"}
    assert client_for("outsider").get(url).status_code == 404
