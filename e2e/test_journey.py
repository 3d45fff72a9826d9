"""The product's journey as people walk it, through the UI only."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from .conftest import axe_violations, screenshot, sign_in


def test_convener_starts_a_partnership_and_a_partner_joins_by_invitation(new_context, server):
    convener = new_context().new_page()
    sign_in(convener, "ingrid@fjordvik.example")
    expect(convener.get_by_role("heading", name=re.compile("Welcome"))).to_be_visible()

    # Phase 1, prepare: create the partnership with its trigger and objectives.
    convener.get_by_role("link", name="Start a partnership").first.click()
    convener.fill("#id_name", "Fjordvik Repair Week")
    convener.fill(
        "#id_purpose", "A city-wide week of repair cafés in libraries and neighbourhood centres."
    )
    convener.fill("#id_trigger", "Residual waste keeps growing and repair cafés are full.")
    convener.fill("#id_objectives", "Repair 1,000 items in one week.")
    convener.get_by_role("button", name="Save").click()
    expect(convener.get_by_role("heading", level=1, name="Fjordvik Repair Week")).to_be_visible()
    # Why we partner sits with the modules that are less central in the current phase.
    convener.get_by_text(re.compile("^Other modules")).click()
    expect(convener.get_by_text("Residual waste keeps growing")).to_be_visible()
    slug = convener.url.rstrip("/").rsplit("/", 1)[-1]

    # Invite a representative of a directory organisation.
    convener.get_by_role("link", name="Invite").first.click()
    convener.fill("#id_email", "new.partner@repair.example")
    convener.select_option("#id_kind", "representative")
    convener.fill("#id_organisation", "gjenbruksnettverket")
    convener.select_option("#id_representative_kind", "decision_maker")
    convener.get_by_role("button", name="Send invitation").click()
    expect(convener.get_by_text("Invitation sent to new.partner@repair.example")).to_be_visible()
    link = convener.locator("#invite-link").input_value()
    assert "/me/invitation/" in link

    # The partner opens the link in their own browser, creates an account and lands in the workspace.
    partner = new_context().new_page()
    partner.goto(link)
    expect(partner.get_by_role("heading", name="Join Fjordvik Repair Week")).to_be_visible()
    partner.fill("#id_display_name", "Nils Nyhus")
    partner.fill("#id_password1", "a-long-passphrase-2026")
    partner.fill("#id_password2", "a-long-passphrase-2026")
    partner.get_by_role("button", name="Create account and join").click()
    expect(partner.get_by_role("heading", level=1, name="Fjordvik Repair Week")).to_be_visible()
    expect(partner.locator(".role-groups").get_by_text("Nils Nyhus")).to_be_visible()

    # The link is used up.
    again = new_context().new_page()
    response = again.goto(link)
    assert response is not None and response.status == 410

    # An outsider sees nothing of it.
    outsider = new_context().new_page()
    sign_in(outsider, "outsider@elsewhere.example")
    response = outsider.goto(f"/p/{slug}/")
    assert response is not None and response.status == 404


P = "/p/fjordvik-circular"

MAIN_PAGES = [
    ("dashboard", "/"),
    ("partnership-home", "/p/fjordvik-circular/"),
    ("members", "/p/fjordvik-circular/members/"),
    ("invite", "/p/fjordvik-circular/invite/"),
    ("audit-log", "/p/fjordvik-circular/audit/"),
    ("directory", "/organisations/"),
    ("organisation", "/organisations/gjenbruksnettverket/"),
    ("partnerships", "/p/"),
    ("profile", "/me/profile/"),
    ("about", "/about/"),
    ("method-lifecycle", f"{P}/method/"),
    ("prospects-board", f"{P}/prospects/"),
    ("prospects-gaps", f"{P}/prospects/gaps/"),
    ("prospects-recommendations", f"{P}/prospects/recommendations/"),
    ("contributions-ledger", f"{P}/contributions/"),
    ("contributions-flow", f"{P}/contributions/flow/"),
    ("agreements-list", f"{P}/agreements/"),
    ("agreement", f"{P}/agreements/1/"),
    ("decisions-proposals", f"{P}/decisions/"),
    ("decisions-register", f"{P}/decisions/register/"),
    ("meetings-list", f"{P}/meetings/"),
    ("meeting", f"{P}/meetings/1/"),
    ("actionplan-list", f"{P}/actionplan/"),
    ("actionplan-board", f"{P}/actionplan/board/"),
    ("indicators", f"{P}/results/"),
    ("healthcheck-rounds", f"{P}/healthchecks/"),
    ("data-room", f"{P}/library/data-room/"),
    ("knowledge", f"{P}/library/knowledge/"),
    ("report", f"{P}/library/report/"),
    ("system-map", f"{P}/systemmap/"),
    ("preparation-tools", f"{P}/systemmap/prepare/"),
]

# Pages with serious/critical axe-core findings reported to the app's owners (see the e2e
# report): checked for status 200 and screenshots only, until fixed; then move them back.
PAGES_WITH_KNOWN_A11Y_ISSUES: list[tuple[str, str]] = []

# Pages whose document is wider than a 390px phone (horizontal scrolling of the whole page),
# reported to the app's owners; checked for everything else meanwhile.
PAGES_WIDER_THAN_A_PHONE: set[str] = set()


def charts_without_table(page, path: str) -> list[str]:
    """Every chart needs its data-table alternative (a ``<details class="data-table">``)."""
    charts = page.locator("main .chart").count()
    tables = page.locator("main details.data-table").count()
    return [f"{path}: {charts} chart(s) but {tables} data table(s)"] if charts > tables else []


def test_main_pages_screenshots_and_accessibility(new_context):
    problems = []
    for width, height, suffix in ((1280, 900, "desktop"), (390, 844, "phone")):
        page = new_context(width=width, height=height).new_page()
        sign_in(page, "tor@fjordvik.example")
        for name, path in MAIN_PAGES + PAGES_WITH_KNOWN_A11Y_ISSUES:
            response = page.goto(path)
            assert response is not None and response.status == 200, (
                f"{path}: {response and response.status}"
            )
            screenshot(page, f"{name}-{suffix}")
            problems += charts_without_table(page, path)
            if suffix == "phone" and name not in PAGES_WIDER_THAN_A_PHONE:
                width = page.evaluate("document.documentElement.scrollWidth")
                if width > 391:
                    problems.append(f"{path}: the page is {width}px wide on a 390px phone")
            if suffix == "desktop" and (name, path) not in PAGES_WITH_KNOWN_A11Y_ISSUES:
                problems += [
                    f"{path}: {v['id']} ({v['impact']}) {v['help']} {v['nodes']}"
                    for v in axe_violations(page)
                ]
    assert not problems, "\n".join(problems)


def test_sign_in_with_the_keyboard_only(new_context):
    page = new_context().new_page()
    page.goto("/accounts/login/")
    page.keyboard.press("Tab")  # skip link first
    expect(page.locator(".skip-link")).to_be_focused()
    page.focus("input[name=login]")
    page.keyboard.type("nora@fjordvik.example")
    page.keyboard.press("Tab")
    page.keyboard.type("fjordvik-demo-2026")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name=re.compile("Welcome"))).to_be_visible()


def test_pages_read_and_forms_submit_without_javascript(new_context):
    page = new_context(javascript=False).new_page()
    sign_in(page, "tor@fjordvik.example")
    for _name, path in MAIN_PAGES + PAGES_WITH_KNOWN_A11Y_ISSUES:
        response = page.goto(path)
        assert response is not None and response.status == 200
        assert "{%" not in page.content() and "{{" not in page.content()
    page.goto("/organisations/")
    page.fill("input[name=q]", "bibliotek")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("link", name="Fjordvik folkebibliotek")).to_be_visible()


def test_a_short_journey_in_norwegian(new_context):
    page = new_context(locale="nb-NO").new_page()
    page.goto("/accounts/login/")
    page.select_option("#lang-select", "nb")
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name="Logg inn")).to_be_visible()
    sign_in(page, "ingrid@fjordvik.example")
    page.goto("/p/fjordvik-circular/")
    expect(page.get_by_role("link", name="Personer og partnere")).to_be_visible()
    screenshot(page, "partnership-home-nb")


# The forms people fill in along the journey (checked with axe-core on desktop).
FORM_PAGES = [
    ("prospect-add", f"{P}/prospects/add/"),
    ("activity-new", f"{P}/atlas/activities/new/"),
    ("prospect-score", f"{P}/prospects/7/score/"),
    ("element-edit", f"{P}/method/elements/mutual_understanding/edit/"),
    ("contribution-new", f"{P}/contributions/new/"),
    ("agreement-new", f"{P}/agreements/new/"),
    ("proposal-new", f"{P}/decisions/new/"),
    ("meeting-new", f"{P}/meetings/new/"),
    ("meeting-attendance", f"{P}/meetings/1/attendance/"),
    ("review-new", f"{P}/results/reviews/new/"),
    ("indicator", f"{P}/results/indicators/1/"),
    ("healthcheck-round-new", f"{P}/healthchecks/rounds/new/"),
    ("overlaps", f"{P}/atlas/overlaps/"),
    ("document-upload", f"{P}/library/data-room/upload/"),
]
FORM_PAGES_WITH_KNOWN_A11Y_ISSUES: list[tuple[str, str]] = []


def test_journey_forms_accessibility(new_context):
    page = new_context().new_page()
    sign_in(page, "tor@fjordvik.example")
    problems = []
    for name, path in FORM_PAGES + FORM_PAGES_WITH_KNOWN_A11Y_ISSUES:
        response = page.goto(path)
        assert response is not None and response.status == 200, (
            f"{path}: {response and response.status}"
        )
        screenshot(page, f"{name}-desktop")
        problems += charts_without_table(page, path)
        if (name, path) not in FORM_PAGES_WITH_KNOWN_A11Y_ISSUES:
            problems += [
                f"{path}: {v['id']} ({v['impact']}) {v['help']} {v['nodes']}"
                for v in axe_violations(page)
            ]
    assert not problems, "\n".join(problems)
