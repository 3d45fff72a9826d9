from __future__ import annotations

import datetime
import hashlib
import io
import shutil
import subprocess

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from commonground.agreements import advice, exports, selectors, services, texts
from commonground.agreements.models import Agreement, AgreementVersion, Ratification
from commonground.contributions.tests.factories import make_contribution
from commonground.core.testing import assert_queries_do_not_grow

from .factories import make_agreement

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 6, 1)


@pytest.fixture
def signer2(world):
    """An authorised signatory for the second organisation (the world's manager is not one)."""
    from commonground.accounts.tests.factories import UserFactory
    from commonground.partnerships.tests.factories import RoleFactory

    user = UserFactory(display_name="Siri Signer")
    RoleFactory(
        partnership=world.partnership,
        user=user,
        organisation=world.second_organisation,
        kind="representative",
        is_signatory=True,
        title="Mayor",
    )
    return user


def _edit(world, agreement, **changes):
    v = services.latest_version(agreement)
    data = {
        "title": v.title,
        "form": v.form,
        "parties": list(v.parties.all()),
        "start_on": v.start_on,
        "end_on": v.end_on,
        "trial_months": v.trial_months,
        "clauses": dict(v.clauses),
    }
    data.update(changes)
    return services.agreement_edit(actor=world.users["manager"], agreement=agreement, **data)


def _ratify_all(world, agreement, signer2):
    v = services.latest_version(agreement)
    services.ratify(actor=world.users["representative"], version=v, organisation=world.organisation)
    services.ratify(actor=signer2, version=v, organisation=world.second_organisation)
    v.refresh_from_db()
    return v


# --- formality advice ---------------------------------------------------------------


def test_nothing_changing_hands_means_a_handshake(world):
    a = make_agreement(world, form="handshake", template="blank")
    result = advice.recommend(a, [world.organisation.pk, world.second_organisation.pk])
    assert result.form == "handshake"
    assert result.reasons


def test_services_that_are_not_central_make_a_mutual_agreement(world):
    make_contribution(world, kind="in_kind", title="Advice", amount="10")
    a = make_agreement(world, template="blank")
    assert advice.recommend(a, [world.organisation.pk]).form == "mutual"


def test_assets_or_staff_in_the_ledger_call_for_a_memorandum(world):
    make_contribution(world, kind="asset", title="Hall", amount="10")
    a = make_agreement(world, template="blank")
    result = advice.recommend(a, [world.organisation.pk, world.second_organisation.pk])
    assert result.form == "mou"
    assert any("Assets" in r for r in result.reasons)
    make_contribution(world, kind="in_kind", title="Staff", amount="10", fte="0.5")
    assert advice.recommend(a, [world.organisation.pk]).signals.staff == 1


def test_funds_for_deliverables_or_third_party_contracts_need_a_contract(world):
    a = make_agreement(world, funds_for_deliverables=True)
    assert advice.recommend(a, [world.organisation.pk]).form == "contract"
    b = make_agreement(world, third_party_contracts=True)
    assert advice.recommend(b, [world.organisation.pk]).form == "contract"
    c = make_agreement(world, funds_for_deliverables=True, delivery_critical=True)
    assert advice.recommend(c, [world.organisation.pk]).form == "penalty_contract"
    assert advice.less_formal_than("mou", "contract")
    assert not advice.less_formal_than("contract", "mou")


# --- completeness ----------------------------------------------------------------------


def test_completeness_lists_missing_components_context_and_term(world):
    a = make_agreement(world, template="blank", start_on=None, end_on=None)
    v = services.latest_version(a)
    result = advice.completeness(a, v)
    assert "Deliverables" in result.missing_components
    assert "Public procurement rules" in result.missing_context
    assert result.missing_term and not result.complete


def test_prefilled_memorandum_is_complete_once_context_is_considered(world):
    make_contribution(
        world,
        title="Workshop tools",
        kind="asset",
        amount="10",
        risk_owner=world.organisation,
        contingency="The tools are lent from the library instead.",
    )
    a = make_agreement(world)
    v = services.latest_version(a)
    assert "Workshop tools" in v.clauses["deliverables"]
    assert world.organisation.name in v.clauses["parties"]
    assert "Rita Rep" in v.clauses["contacts"]
    assert advice.completeness(a, v).missing_components == []
    _edit(world, a, context_considered=[c for c, _ in advice.ContextItem.choices])
    a.refresh_from_db()
    assert advice.completeness(a, services.latest_version(a)).complete


def test_letter_template_is_shorter(world):
    a = make_agreement(world, template="letter", form="mutual")
    v = services.latest_version(a)
    assert "ip" not in v.clauses and "This letter confirms" in v.clauses["parties"]


# --- versions -------------------------------------------------------------------------------


def test_every_edit_makes_a_new_version_and_keeps_the_old(world):
    a = make_agreement(world)
    v1 = services.latest_version(a)
    clauses = dict(v1.clauses, ip="All results are public domain.")
    v2 = _edit(world, a, clauses=clauses, note="IP changed")
    assert v2.number == 2 and v2.clauses["ip"] == "All results are public domain."
    v1.refresh_from_db()
    assert "public domain" not in v1.text
    assert v2.sha256 == hashlib.sha256(v2.text.encode()).hexdigest()
    assert _edit(world, a, clauses=clauses) is None  # nothing changed, no new version
    assert a.versions.count() == 2
    html = str(texts.diff_html(v1.text, v2.text))
    assert "<ins>" in html and "<del>" in html and "domain." in html and "unchanged lines" in html


def test_diff_escapes_html():
    html = str(texts.diff_html("a <b>", "a <script>x</script>"))
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_ratified_text_is_frozen_and_amendment_needs_ratifying_again(world, signer2):
    a = make_agreement(world)
    v1 = _ratify_all(world, a, signer2)
    assert v1.ratified_at is not None
    a = selectors.agreement_detail(world.partnership, a.pk)
    assert selectors.state(a, TODAY).code == "in_force"
    with pytest.raises(ValidationError, match="frozen"):
        _edit(world, a, title="Changed after signing")
    assert a.versions.count() == 1
    amendment = services.amendment_start(actor=world.users["manager"], agreement=a)
    assert amendment.number == 2 and amendment.is_amendment and amendment.ratified_at is None
    _edit(world, a, title="Amended title")
    a = selectors.agreement_detail(world.partnership, a.pk)
    st = selectors.state(a, TODAY)
    assert st.code == "amending" and st.in_force.pk == v1.pk and st.latest.number == 3
    _ratify_all(world, a, signer2)
    a = selectors.agreement_detail(world.partnership, a.pk)
    assert selectors.state(a, TODAY).in_force.number == 3


def test_amending_a_draft_is_refused(world):
    a = make_agreement(world)
    with pytest.raises(ValidationError, match="still a draft"):
        services.amendment_start(actor=None, agreement=a)


def test_bad_term_and_single_party_are_refused(world):
    with pytest.raises(ValidationError):
        make_agreement(world, start_on=datetime.date(2026, 5, 1), end_on=datetime.date(2026, 1, 1))
    with pytest.raises(ValidationError):
        make_agreement(world, parties=[world.organisation])
    assert Agreement.objects.count() == 0


# --- ratification ---------------------------------------------------------------------------


def test_ratification_records_identity_and_hash_and_needs_every_party(world, signer2):
    a = make_agreement(world)
    v = services.latest_version(a)
    r = services.ratify(
        actor=world.users["representative"],
        version=v,
        organisation=world.organisation,
        expected_sha256=v.sha256,
    )
    assert r.signer_name == "Rita Rep" and r.organisation_name == world.organisation.name
    assert r.text_sha256 == v.sha256 and r.ratified_at is not None
    v.refresh_from_db()
    assert v.ratified_at is None  # one of two parties
    a = selectors.agreement_detail(world.partnership, a.pk)
    assert selectors.state(a, TODAY).code == "ratifying"
    services.ratify(actor=signer2, version=v, organisation=world.second_organisation)
    v.refresh_from_db()
    assert v.ratified_at is not None


def test_ratifying_for_an_organisation_you_do_not_sign_for_is_refused(world):
    a = make_agreement(world)
    v = services.latest_version(a)
    with pytest.raises(ValidationError, match="not an authorised signatory"):
        services.ratify(
            actor=world.users["representative"], version=v, organisation=world.second_organisation
        )
    with pytest.raises(ValidationError, match="not an authorised signatory"):
        services.ratify(
            actor=world.users["manager"], version=v, organisation=world.second_organisation
        )
    assert Ratification.objects.count() == 0


def test_ratifying_a_superseded_version_is_refused(world):
    a = make_agreement(world)
    v1 = services.latest_version(a)
    _edit(world, a, title="Second draft")
    with pytest.raises(ValidationError, match="superseded"):
        services.ratify(
            actor=world.users["representative"], version=v1, organisation=world.organisation
        )


def test_ratifying_twice_or_a_changed_text_or_for_a_non_party_is_refused(world):
    from commonground.organisations.tests.factories import OrganisationFactory
    from commonground.partnerships.tests.factories import MembershipFactory, RoleFactory

    a = make_agreement(world)
    v = services.latest_version(a)
    with pytest.raises(ValidationError, match="changed while you were reading"):
        services.ratify(
            actor=world.users["representative"],
            version=v,
            organisation=world.organisation,
            expected_sha256="0" * 64,
        )
    services.ratify(actor=world.users["representative"], version=v, organisation=world.organisation)
    with pytest.raises(ValidationError, match="already ratified"):
        services.ratify(
            actor=world.users["representative"], version=v, organisation=world.organisation
        )
    third = OrganisationFactory()
    MembershipFactory(partnership=world.partnership, organisation=third)
    RoleFactory(
        partnership=world.partnership,
        user=world.users["representative"],
        organisation=third,
        kind="champion",
        is_signatory=True,
    )
    with pytest.raises(ValidationError, match="not a party"):
        services.ratify(actor=world.users["representative"], version=v, organisation=third)


def test_termination_notice_by_a_party_freezes_everything(world, signer2):
    a = make_agreement(world)
    with pytest.raises(ValidationError, match="in force"):
        services.termination_notice_give(
            actor=signer2, agreement=a, organisation=world.second_organisation, effective_on=TODAY
        )
    _ratify_all(world, a, signer2)
    future = datetime.date.today() + datetime.timedelta(days=60)
    services.termination_notice_give(
        actor=signer2, agreement=a, organisation=world.second_organisation, effective_on=future
    )
    a = selectors.agreement_detail(world.partnership, a.pk)
    assert selectors.state(a, datetime.date.today()).code == "ending"
    assert selectors.state(a, future).code == "ended"
    with pytest.raises(ValidationError, match="termination"):
        services.amendment_start(actor=None, agreement=a)


# --- exports ---------------------------------------------------------------------------------


def test_docx_opens_and_contains_parties_and_signatures(world, signer2):
    from docx import Document

    a = make_agreement(world)
    v = _ratify_all(world, a, signer2)
    doc = Document(io.BytesIO(exports.version_docx(v)))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert world.organisation.name in text and world.second_organisation.name in text
    assert v.sha256 in text
    cells = [c.text for row in doc.tables[0].rows for c in row.cells]
    assert "Rita Rep" in cells and "Siri Signer" in cells and "Mayor" in cells


def test_pdf_is_a_pdf_with_the_parties(world, signer2, tmp_path):
    a = make_agreement(world)
    v = _ratify_all(world, a, signer2)
    data = exports.version_pdf(v)
    assert data.startswith(b"%PDF")
    if shutil.which("pdftotext"):
        path = tmp_path / "a.pdf"
        path.write_bytes(data)
        text = subprocess.run(
            ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert world.organisation.name in text and world.second_organisation.name in text
        assert "Rita Rep" in text


def test_export_views_answer_with_files(world, client_for):
    a = make_agreement(world)
    kwargs = {"slug": world.partnership.slug, "pk": a.pk, "number": 1}
    client = client_for("observer")
    assert client.get(reverse("agreements:version_pdf", kwargs=kwargs)).content.startswith(b"%PDF")
    assert client.get(reverse("agreements:version_docx", kwargs=kwargs)).content.startswith(b"PK")


# --- views and API ----------------------------------------------------------------------------


def test_ratify_view_refuses_non_signatory_with_message(world, client_for):
    a = make_agreement(world)
    url = reverse(
        "agreements:ratify", kwargs={"slug": world.partnership.slug, "pk": a.pk, "number": 1}
    )
    response = client_for("manager").post(
        url, {"organisation": world.second_organisation.pk, "confirm": "on"}, follow=True
    )
    assert "not an authorised signatory" in response.content.decode()
    assert Ratification.objects.count() == 0


def test_edit_view_makes_a_version_and_refuses_frozen_text(world, client_for, signer2):
    a = make_agreement(world)
    url = reverse("agreements:edit", kwargs={"slug": world.partnership.slug, "pk": a.pk})
    client = client_for("manager")
    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v not in (None, False)}
    data["parties"] = [p.pk for p in data["parties"]]
    data["clause_ip"] = "Shared openly."
    assert client.post(url, data).status_code == 302
    assert AgreementVersion.objects.filter(agreement=a).count() == 2
    _ratify_all(world, a, signer2)
    response = client.post(url, data, follow=True)
    assert "frozen" in response.content.decode()
    assert AgreementVersion.objects.filter(agreement=a).count() == 2


def test_api_ratify_refuses_superseded_with_400(world, client_for):
    a = make_agreement(world)
    _edit(world, a, title="v2")
    url = reverse(
        "api:agreement_ratify", kwargs={"slug": world.partnership.slug, "pk": a.pk, "number": 1}
    )
    response = client_for("representative").post(
        url, {"organisation": world.organisation.slug}, content_type="application/json"
    )
    assert response.status_code == 400
    versions = client_for("observer").get(
        reverse("api:agreement_versions", kwargs={"slug": world.partnership.slug, "pk": a.pk})
    )
    assert [v["number"] for v in versions.json()] == [2, 1]


def test_agreement_list_query_count_does_not_grow(world, client_for, signer2):
    client = client_for("observer")
    url = reverse("agreements:list", kwargs={"slug": world.partnership.slug})
    make_agreement(world)

    def grow():
        for _ in range(3):
            _ratify_all(world, make_agreement(world), signer2)

    assert_queries_do_not_grow(lambda: client.get(url), grow)


# --- members' compact ----------------------------------------------------------------------------


def test_compact_is_signed_voluntarily_and_assessed_yearly(world, signer2):
    compact = services.compact_create(
        actor=world.users["manager"],
        partnership=world.partnership,
        title="Compact",
        introduction="",
        principles=[("Transparency", "Share early"), ("Equity", "")],
    )
    p1, p2 = compact.principles.all()
    with pytest.raises(ValidationError, match="Only a representative"):
        services.compact_sign(
            actor=world.users["observer"], compact=compact, organisation=world.organisation
        )
    with pytest.raises(ValidationError, match="not signed"):
        services.self_assess(
            actor=signer2,
            compact=compact,
            organisation=world.second_organisation,
            year=2026,
            scores={p1.pk: 3},
        )
    services.compact_sign(actor=signer2, compact=compact, organisation=world.second_organisation)
    with pytest.raises(ValidationError, match="already signed"):
        services.compact_sign(
            actor=signer2, compact=compact, organisation=world.second_organisation
        )
    year = datetime.date.today().year
    with pytest.raises(ValidationError, match="1"):
        services.self_assess(
            actor=signer2,
            compact=compact,
            organisation=world.second_organisation,
            year=year,
            scores={p1.pk: 6},
        )
    services.self_assess(
        actor=signer2,
        compact=compact,
        organisation=world.second_organisation,
        year=year,
        scores={p1.pk: 4, p2.pk: 2},
    )
    services.self_assess(
        actor=signer2,
        compact=compact,
        organisation=world.second_organisation,
        year=year,
        scores={p1.pk: 5},
    )
    scores = selectors.compact_scores(compact)
    assert scores["by_principle"][p1.pk] == [{"year": year, "avg": 5.0}]
    assert len(scores["detail"]) == 2


def test_create_view_builds_a_prefilled_draft(world, client_for):
    url = reverse("agreements:create", kwargs={"slug": world.partnership.slug})
    response = client_for("representative").post(
        url,
        {
            "title": "Letter on tools",
            "template": "letter",
            "form": "mutual",
            "parties": [world.organisation.pk, world.second_organisation.pk],
            "start_on": "2026-02-01",
        },
    )
    assert response.status_code == 302
    a = Agreement.objects.get(title="Letter on tools")
    assert "This letter confirms" in services.latest_version(a).text
    bad = client_for("representative").post(
        url,
        {"title": "Lonely", "template": "blank", "form": "mou", "parties": [world.organisation.pk]},
    )
    assert bad.status_code == 400 and b"at least two parties" in bad.content
    assert b"Lonely" in bad.content


def test_compact_sign_and_assess_views(world, client_for):
    compact = services.compact_create(
        actor=world.users["manager"],
        partnership=world.partnership,
        title="Compact",
        introduction="",
        principles=[("Transparency", "")],
    )
    slug = world.partnership.slug
    client = client_for("representative")
    client.post(
        reverse("agreements:compact_sign", kwargs={"slug": slug, "pk": compact.pk}),
        {"organisation": world.organisation.pk},
    )
    assert compact.signatures.filter(organisation=world.organisation).exists()
    principle = compact.principles.get()
    url = reverse("agreements:compact_assess", kwargs={"slug": slug, "pk": compact.pk})
    year = datetime.date.today().year
    bad = client.post(
        url, {"organisation": world.organisation.pk, "year": year + 5, f"score_{principle.pk}": 4}
    )
    assert bad.status_code == 400 and b"current year" in bad.content
    ok = client.post(
        url, {"organisation": world.organisation.pk, "year": year, f"score_{principle.pk}": 4}
    )
    assert ok.status_code == 302
    assert principle.assessments.get().score == 4


def test_objects_of_another_partnership_are_404(world, client_for):
    from commonground.partnerships.models import Membership

    for org in (world.organisation, world.second_organisation):
        Membership.objects.create(partnership=world.other_partnership, organisation=org)
    other = services.agreement_create(
        actor=None,
        partnership=world.other_partnership,
        title="Elsewhere",
        form="mou",
        parties=[world.organisation, world.second_organisation],
    )
    url = reverse("agreements:detail", kwargs={"slug": world.partnership.slug, "pk": other.pk})
    assert client_for("manager").get(url).status_code == 404
    pdf = reverse(
        "agreements:version_pdf",
        kwargs={"slug": world.partnership.slug, "pk": other.pk, "number": 1},
    )
    assert client_for("manager").get(pdf).status_code == 404
