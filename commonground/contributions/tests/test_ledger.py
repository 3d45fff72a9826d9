from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from commonground.contributions import exports, selectors, services
from commonground.contributions.models import Contribution, Status
from commonground.core.testing import assert_queries_do_not_grow

from .factories import make_contribution

pytestmark = pytest.mark.django_db


def _rate(world, code, rate):
    services.rate_set(
        actor=world.users["manager"], partnership=world.partnership, currency=code, rate=rate
    )


def test_totals_convert_with_decimal_rates_and_keep_money_and_in_kind_apart(world):
    _rate(world, "EUR", "11.62")
    _rate(world, "SEK", "1.0085")
    make_contribution(world, amount="1000.10", currency="NOK")
    make_contribution(world, amount="100.05", currency="EUR")  # 1162.581 → 1162.58
    make_contribution(
        world, kind="in_kind", title="Staff", amount="333.33", currency="SEK", hours="10"
    )  # 336.163305 → 336.16
    make_contribution(
        world, kind="asset", title="Hall", amount="500", contributor=world.second_organisation
    )
    gone = make_contribution(world, amount="99999", title="Gone")
    services.contribution_transition(actor=None, contribution=gone, to="withdrawn")
    t = selectors.totals(world.partnership)
    assert t.base == "NOK"
    assert t.money == Decimal("2162.68")
    assert t.in_kind == Decimal("836.16")
    assert t.total == Decimal("2998.84")
    first = t.partners[0]
    assert first.name == world.organisation.name
    assert first.money == Decimal("2162.68") and first.in_kind == Decimal("336.16")
    assert first.by_kind == {"funding": Decimal("2162.68"), "in_kind": Decimal("336.16")}
    assert first.share == Decimal("83.3")
    assert all(isinstance(v, Decimal) for v in (t.money, t.in_kind, first.share))
    assert t.missing_rates == []


def test_amounts_without_a_rate_are_left_out_and_named(world):
    make_contribution(world, amount="10", currency="USD")
    make_contribution(world, amount="5", currency="NOK")
    t = selectors.totals(world.partnership)
    assert t.money == Decimal("5.00")
    assert t.missing_rates == ["USD"]


def test_confirmed_only_leaves_out_pledges(world):
    c = make_contribution(world, amount="10")
    make_contribution(world, amount="7")
    services.contribution_transition(actor=None, contribution=c, to="committed")
    assert selectors.totals(world.partnership, include_pledged=False).money == Decimal("10.00")


def test_convert_rounds_half_up_to_the_cent():
    assert selectors.convert(Decimal("0.005"), "EUR", "NOK", {"EUR": Decimal("1")}) == Decimal(
        "0.01"
    )
    assert selectors.convert(Decimal("3"), "XXX", "NOK", {}) is None


def test_status_moves_forward_and_refuses_invalid_transitions(world):
    c = make_contribution(world)
    day = datetime.date(2026, 2, 1)
    services.contribution_transition(actor=None, contribution=c, to="committed", on=day)
    c.refresh_from_db()
    assert c.status == Status.COMMITTED and c.committed_on == day
    with pytest.raises(ValidationError, match="cannot become pledged"):
        services.contribution_transition(actor=None, contribution=c, to="pledged")
    services.contribution_transition(actor=None, contribution=c, to="delivered", on=day)
    for target in ("withdrawn", "committed", "delivered"):
        with pytest.raises(ValidationError):
            services.contribution_transition(actor=None, contribution=c, to=target)
    c.refresh_from_db()
    assert c.status == "delivered" and c.withdrawn_on is None


def test_pledge_cannot_jump_to_delivered_and_withdrawn_is_final(world):
    c = make_contribution(world)
    with pytest.raises(ValidationError):
        services.contribution_transition(actor=None, contribution=c, to="delivered")
    services.contribution_transition(actor=None, contribution=c, to="withdrawn")
    with pytest.raises(ValidationError):
        services.contribution_transition(actor=None, contribution=c, to="committed")
    with pytest.raises(ValidationError, match="before the pledge"):
        services.contribution_transition(
            actor=None,
            contribution=make_contribution(world),
            to="committed",
            on=datetime.date(2020, 1, 1),
        )


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"amount": "-5"}, "amount"),
        ({"amount": "lots"}, "amount"),
        ({"currency": "XYZ"}, "currency"),
        ({"start_on": datetime.date(2026, 5, 1), "end_on": datetime.date(2026, 4, 1)}, "end_on"),
        ({"kind": "funding", "amount": None}, "amount"),
        ({"recipient_kind": "member", "recipient_org": None}, "recipient_org"),
    ],
)
def test_bad_input_is_refused_and_nothing_saved(world, overrides, field):
    with pytest.raises(ValidationError) as info:
        make_contribution(world, **overrides)
    assert field in info.value.message_dict
    assert Contribution.objects.count() == 0


def test_outside_organisation_cannot_contribute(world):
    from commonground.organisations.tests.factories import OrganisationFactory

    with pytest.raises(ValidationError, match="not a member"):
        make_contribution(world, contributor=OrganisationFactory())


def test_overdue_flags_open_contributions_past_due(world):
    today = datetime.date(2026, 6, 1)
    late = make_contribution(world, due_on=datetime.date(2026, 5, 1))
    make_contribution(world, due_on=datetime.date(2026, 7, 1))
    done = make_contribution(world, due_on=datetime.date(2026, 5, 1))
    services.contribution_transition(actor=None, contribution=done, to="committed")
    services.contribution_transition(actor=None, contribution=done, to="delivered")
    assert list(selectors.overdue(world.partnership, today)) == [late]
    done.refresh_from_db()
    assert late.is_overdue(today) and not done.is_overdue(today)


def test_flows_give_three_columns_and_a_table(world):
    make_contribution(
        world,
        amount="100",
        recipient_kind="member",
        recipient_org=world.second_organisation,
    )
    make_contribution(world, kind="data", title="Data", amount=None)
    data = selectors.flows(world.partnership)
    assert {r["kind"] for r in data["rows"]} == {"funding", "data"}
    names = {n["name"] for n in data["chart"]["nodes"]}
    assert f"r:{world.second_organisation.name}" in names
    assert f"g:{world.organisation.name}" in names
    counted = selectors.flows(world.partnership, measure="count")
    assert len(counted["chart"]["links"]) == 4
    assert selectors.flows(world.partnership, kind="asset")["rows"] == []


def test_flows_name_every_giver_and_receiver_and_sum_per_pair(world):
    from commonground.decisions.tests.factories import WorkingGroupFactory

    group = WorkingGroupFactory(partnership=world.partnership, name="Repair cafés")
    make_contribution(world, amount="100", recipient_kind="working_group", recipient_group=group)
    make_contribution(world, amount="50", recipient_kind="working_group", recipient_group=group)
    make_contribution(
        world,
        amount="30",
        contributor=world.second_organisation,
        recipient_kind="member",
        recipient_org=world.organisation,
    )
    make_contribution(world, amount="7", currency="EUR")  # no rate: counted, not valued
    rows = {(r["giver"], r["receiver"]): r for r in selectors.flows(world.partnership)["rows"]}
    assert rows[(world.organisation.name, "Working group: Repair cafés")]["value"] == Decimal(
        "150.00"
    )
    assert rows[(world.organisation.name, "Working group: Repair cafés")]["count"] == 2
    assert rows[(world.second_organisation.name, world.organisation.name)]["value"] == Decimal(
        "30.00"
    )
    shared = rows[(world.organisation.name, "The partnership (shared)")]
    assert (shared["value"], shared["count"]) == (Decimal("0"), 1)


def test_flow_and_totals_pages_do_not_grow_queries(world, client_for):
    make_contribution(world, amount="10")
    client = client_for("manager")

    def grow():
        for n in range(4):
            make_contribution(
                world,
                amount=str(10 + n),
                title=f"More {n}",
                contributor=world.second_organisation if n % 2 else world.organisation,
                currency="EUR" if n % 2 else "NOK",
            )

    slug = world.partnership.slug
    for name in ("contributions:flow", "contributions:totals", "contributions:ledger"):
        url = reverse(name, kwargs={"slug": slug})
        assert_queries_do_not_grow(lambda url=url: client.get(url), grow)


def test_balance_flags_partners_who_give_but_get_nothing(world):
    make_contribution(world, amount="1000")
    rows = {r["organisation"]: r for r in selectors.balance(world.partnership)}
    assert rows[world.organisation]["one_sided"] is True
    services.benefit_record(
        actor=None,
        partnership=world.partnership,
        organisation=world.organisation,
        direction="received",
        description="Training",
        value="600",
        currency="NOK",
    )
    rows = {r["organisation"]: r for r in selectors.balance(world.partnership)}
    assert rows[world.organisation]["one_sided"] is False
    assert rows[world.second_organisation]["one_sided"] is False


CSV_OK = (
    "kind,title,from,to_kind,to,pledged_on,amount,currency,status\n"
    "funding,Seed,Harbour Repair Collective,partnership,,2026-01-01,100.50,NOK,committed\n"
    "data,Counts,Fjordvik Municipality,member,Harbour Repair Collective,2026-01-02,,NOK,\n"
)


def test_csv_import_dry_run_saves_nothing(world):
    report = exports.import_csv(
        actor=None, partnership=world.partnership, content=CSV_OK, dry_run=True
    )
    assert report.clean and report.rows == 2 and report.saved == 0
    assert Contribution.objects.count() == 0


def test_csv_import_with_a_bad_row_saves_nothing_and_reports_lines(world):
    bad = CSV_OK + "funding,Bad,Nobody Inc,partnership,,01/02/2026,-4,ABC,\n"
    report = exports.import_csv(
        actor=None, partnership=world.partnership, content=bad.encode(), dry_run=False
    )
    assert not report.clean and report.saved == 0
    line, problems = report.errors[0]
    assert line == 4
    text = " ".join(problems)
    assert "Nobody Inc" in text and "not a date" in text
    assert Contribution.objects.count() == 0


def test_csv_import_saves_all_clean_rows(world):
    report = exports.import_csv(
        actor=None, partnership=world.partnership, content=CSV_OK.encode(), dry_run=False
    )
    assert report.saved == 2
    seed = Contribution.objects.get(title="Seed")
    assert seed.amount == Decimal("100.50") and seed.status == "committed"
    assert Contribution.objects.get(title="Counts").recipient_org == world.organisation


def test_import_view_dry_run_reports_errors(world, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = reverse("contributions:import", kwargs={"slug": world.partnership.slug})
    upload = SimpleUploadedFile("x.csv", b"kind,title\nfunding,X\n", content_type="text/csv")
    response = client_for("manager").post(url, {"file": upload, "dry_run": "on"})
    assert response.status_code == 400
    assert b"Missing columns" in response.content


def body(response) -> bytes:
    """The whole body, streaming or not (both exports stream)."""
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def test_exports_csv_and_xlsx_open(world, client_for):
    make_contribution(world, amount="12.34")
    client = client_for("observer")
    slug = {"slug": world.partnership.slug}
    csv_response = client.get(reverse("contributions:export_csv", kwargs=slug))
    assert csv_response.streaming
    content = body(csv_response)
    assert b"Seed money" in content and b"12.34" in content
    from openpyxl import load_workbook

    xlsx = client.get(reverse("contributions:export_xlsx", kwargs=slug))
    assert xlsx.streaming
    assert xlsx["Content-Disposition"] == 'attachment; filename="matrix-contributions.xlsx"'
    ws = load_workbook(io.BytesIO(body(xlsx))).active
    assert ws.cell(1, 3).value == "title" and ws.cell(1, 3).font.bold
    assert ws.cell(2, 3).value == "Seed money"
    amount = ws.cell(2, exports.COLUMNS.index("amount") + 1)
    assert amount.value == 12.34 and amount.number_format == "#,##0.00"


def test_exports_keep_formulas_inert_and_the_csv_imports_back(world, client_for):
    make_contribution(world, title='=HYPERLINK("http://x")', description="@SUM(A1)")
    make_contribution(world, title="Plain")
    slug = {"slug": world.partnership.slug}
    client = client_for("observer")
    content = body(client.get(reverse("contributions:export_csv", kwargs=slug))).decode()
    rows = list(csv.DictReader(io.StringIO(content)))
    assert {r["title"] for r in rows} == {'\'=HYPERLINK("http://x")', "Plain"}
    assert {r["description"] for r in rows} == {"'@SUM(A1)", ""}
    from openpyxl import load_workbook

    xlsx = client.get(reverse("contributions:export_xlsx", kwargs=slug))
    ws = load_workbook(io.BytesIO(body(xlsx))).active
    assert {ws.cell(r, 3).value for r in (2, 3)} == {'\'=HYPERLINK("http://x")', "Plain"}
    Contribution.objects.all().delete()
    report = exports.import_csv(
        actor=None, partnership=world.partnership, content=content, dry_run=False
    )
    assert report.saved == 2, report.errors
    assert set(Contribution.objects.values_list("title", "description")) == {
        ('=HYPERLINK("http://x")', "@SUM(A1)"),
        ("Plain", ""),
    }


def test_create_view_keeps_typed_values_on_error(world, client_for):
    url = reverse("contributions:create", kwargs={"slug": world.partnership.slug})
    response = client_for("representative").post(
        url,
        {
            "kind": "funding",
            "title": "Typed title",
            "contributor": world.organisation.pk,
            "recipient_kind": "partnership",
            "pledged_on": "2026-01-01",
            "amount": "-3",
            "currency": "NOK",
        },
    )
    assert response.status_code == 400
    assert b"Typed title" in response.content and b"cannot be negative" in response.content
    assert Contribution.objects.count() == 0


def test_transition_view_refuses_with_a_message(world, client_for):
    c = make_contribution(world)
    url = reverse("contributions:transition", kwargs={"slug": world.partnership.slug, "pk": c.pk})
    response = client_for("manager").post(url, {"to": "delivered"}, follow=True)
    assert "cannot become delivered" in response.content.decode()
    c.refresh_from_db()
    assert c.status == "pledged"


def test_api_create_refuses_bad_currency_with_400(world, client_for):
    url = reverse("api:contribution_create", kwargs={"slug": world.partnership.slug})
    payload = {
        "kind": "funding",
        "title": "X",
        "contributor": world.organisation.slug,
        "pledged_on": "2026-01-01",
        "currency": "ZZZ",
        "amount": "1",
    }
    response = client_for("manager").post(url, payload, content_type="application/json")
    assert response.status_code == 400
    assert "currency" in response.json()["errors"]


@pytest.mark.parametrize("name", ["ledger", "totals", "timeline", "flow", "balance", "export_csv"])
def test_pages_do_not_grow_queries_with_data(world, client_for, name):
    client = client_for("manager")
    url = reverse(f"contributions:{name}", kwargs={"slug": world.partnership.slug})
    make_contribution(world, due_on=datetime.date(2026, 2, 1))

    def grow():
        for i in range(5):
            c = make_contribution(
                world,
                title=f"More {i}",
                kind=["funding", "in_kind", "asset", "data", "other"][i],
                recipient_kind="member",
                recipient_org=world.second_organisation,
                due_on=datetime.date(2026, 2, 1),
            )
            services.schedule_add(
                actor=None, contribution=c, due_on=datetime.date(2026, 3, 1), amount="1"
            )

    def fetch():
        response = client.get(url)
        body(response)  # a streaming export runs its queries while it is read
        return response

    assert_queries_do_not_grow(fetch, grow)


def test_a_representative_records_only_for_their_own_organisation(world):
    with pytest.raises(ValidationError, match="only record for the organisation you represent"):
        services.contribution_create(
            actor=world.users["representative"],
            partnership=world.partnership,
            kind="data",
            title="Not mine",
            contributor=world.second_organisation,
            currency="NOK",
            pledged_on=datetime.date(2026, 1, 1),
        )
    mine = services.contribution_create(
        actor=world.users["representative"],
        partnership=world.partnership,
        kind="data",
        title="Mine",
        contributor=world.organisation,
        currency="NOK",
        pledged_on=datetime.date(2026, 1, 1),
    )
    assert mine.created_by == world.users["representative"]


def test_contribution_of_another_partnership_is_404(world, client_for):
    from commonground.partnerships.models import Membership

    Membership.objects.create(partnership=world.other_partnership, organisation=world.organisation)
    other = services.contribution_create(
        actor=None,
        partnership=world.other_partnership,
        kind="data",
        title="Elsewhere",
        contributor=world.organisation,
        currency="NOK",
        pledged_on=datetime.date(2026, 1, 1),
    )
    url = reverse("contributions:detail", kwargs={"slug": world.partnership.slug, "pk": other.pk})
    assert client_for("manager").get(url).status_code == 404
    api = reverse(
        "api:contribution_detail", kwargs={"slug": world.partnership.slug, "pk": other.pk}
    )
    assert client_for("manager").get(api).status_code == 404


def test_flow_page_filters_by_kind_and_period(world, client_for):
    make_contribution(world, title="Early money", pledged_on=datetime.date(2025, 1, 1))
    make_contribution(world, title="Late asset", kind="asset", pledged_on=datetime.date(2026, 3, 1))
    url = reverse("contributions:flow", kwargs={"slug": world.partnership.slug})
    client = client_for("observer")
    page = client.get(url, {"date_from": "2026-01-01"}).content.decode()
    assert "Assets and facilities" in page and 'id="flow-data"' in page
    only_funding = client.get(url, {"kind": "funding", "date_to": "2025-12-31"}).content.decode()
    assert "Assets and facilities</td>" not in only_funding and "Funding</td>" in only_funding


def test_detail_offers_editing_only_to_those_who_speak_for_the_giver(world, client_for):
    c = make_contribution(world, contributor=world.second_organisation)
    url = reverse("contributions:detail", kwargs={"slug": world.partnership.slug, "pk": c.pk})
    assert client_for("representative").get(url).context["can_record"] is False
    assert client_for("manager").get(url).context["can_record"] is True
