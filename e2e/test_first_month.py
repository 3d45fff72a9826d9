"""A new convener's first month, the parts beside the walk (test_first_month_walk.py): choose
an organisation without JavaScript, use the workspace on a phone, put an activity on (or not
on) the map, and settle a ranked-choice tie as chair."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from .conftest import screenshot, sign_in

P = "/p/fjordvik-circular"


def test_choosing_an_organisation_without_javascript(new_context):
    page = new_context(javascript=False).new_page()
    sign_in(page, "tor@fjordvik.example")
    page.goto(f"{P}/invite/")
    page.fill("#id_email", "kurs@seniornett.example")
    page.select_option("#id_kind", "representative")
    page.select_option("#id_representative_kind", "doer")
    # Without JavaScript there is no live list: a link opens the search-and-choose page.
    page.get_by_role("link", name="Search the directory and choose").click()
    expect(page.get_by_role("heading", level=1, name="Choose an organisation")).to_be_visible()
    page.fill("#pick-q", "seniornett")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name=re.compile("Seniornett Bjerke")).click()
    # Back on the invitation form, the choice is in the box.
    expect(page.get_by_role("heading", level=1, name="Invite people")).to_be_visible()
    expect(page.locator("#id_organisation")).to_have_value("Seniornett Bjerke")
    page.fill("#id_email", "kurs@seniornett.example")
    page.select_option("#id_kind", "representative")
    page.select_option("#id_representative_kind", "doer")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text("Invitation sent to kurs@seniornett.example")).to_be_visible()
    expect(page.locator("li", has_text="kurs@seniornett.example")).to_contain_text(
        "Seniornett Bjerke"
    )


def test_the_workspace_fits_a_phone_and_every_tab_can_be_reached(new_context):
    page = new_context(width=390, height=844).new_page()
    sign_in(page, "tor@fjordvik.example")
    page.goto(f"{P}/")
    # The header folds behind "Menu" and a section button: the page starts near the top.
    top = page.evaluate("document.querySelector('main').getBoundingClientRect().top")
    assert top < 160, f"the header takes {top}px on a 390px phone"
    screenshot(page, "first-month-workspace-phone")
    menu = page.locator(".menu-toggle")
    expect(menu).to_be_visible()
    expect(page.locator(".topnav").get_by_role("link", name="Partnerships")).to_be_hidden()
    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(page.locator(".topnav").get_by_role("link", name="Partnerships")).to_be_visible()
    screenshot(page, "first-month-menu-open-phone")
    menu.click()

    toggle = page.locator(".sections-toggle")
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    sections = page.locator("nav.sections a")
    labels = [sections.nth(i).inner_text().strip() for i in range(sections.count())]
    assert labels == [
        "Overview",
        "People and partners",
        "Method",
        "Agreements and contributions",
        "Decisions and meetings",
        "Results and story",
    ], labels
    screenshot(page, "first-month-sections-open-phone")

    unreachable = []
    seen_tabs = 0
    for label in labels:
        toggle = page.locator(".sections-toggle")
        if toggle.get_attribute("aria-expanded") != "true":
            toggle.click()
        link = page.locator("nav.sections").get_by_role("link", name=label, exact=True)
        expect(link).to_be_visible()
        with page.expect_navigation():
            link.click()
        expect(page.locator(".sections-toggle")).to_contain_text(label)
        # A section whose tabs need a second row may take that row (every tab stays on the
        # screen), but the header stays far from the 225 px it took before it was folded.
        top = page.evaluate("document.querySelector('main').getBoundingClientRect().top")
        rows = page.evaluate(
            "new Set([...document.querySelectorAll('nav.subnav a')]"
            ".map(a => Math.round(a.getBoundingClientRect().top))).size"
        )
        if top >= 160 + 30 * max(0, rows - 1) or top >= 200:
            unreachable.append(f"{label}: the header takes {top}px ({rows} rows of tabs)")
        tabs = page.locator("nav.subnav a")
        for i in range(tabs.count()):
            tab = tabs.nth(i)
            seen_tabs += 1
            tab.scroll_into_view_if_needed()
            box = tab.bounding_box()
            if not tab.is_visible() or box is None or box["x"] < 0 or box["x"] + box["width"] > 391:
                unreachable.append(f"{label} › {tab.inner_text()}: not on the screen")
        if page.evaluate("document.documentElement.scrollWidth") > 391:
            unreachable.append(f"{label}: the page is wider than the phone")
    assert seen_tabs >= 12
    assert not unreachable, "\n".join(unreachable)

    # Every tab opens: follow each one of a section that has several.
    page.goto(f"{P}/decisions/")
    names = [
        page.locator("nav.subnav a").nth(i).inner_text().strip()
        for i in range(page.locator("nav.subnav a").count())
    ]
    for name in names:
        tab = page.locator("nav.subnav").get_by_role("link", name=name, exact=True)
        tab.scroll_into_view_if_needed()
        with page.expect_navigation():
            tab.click()
        expect(page.locator("nav.subnav [aria-current=page]")).to_have_text(name)
    screenshot(page, "first-month-subnav-phone")


def test_the_map_does_not_claim_an_activity_without_a_place(new_context):
    page = new_context().new_page()
    sign_in(page, "tor@fjordvik.example")
    page.goto(f"{P}/atlas/")
    heading = page.locator("#not-on-map-h")
    before = 0
    if heading.count():
        before = int(re.search(r"\((\d+)\)", heading.inner_text()).group(1))

    page.goto(f"{P}/atlas/activities/new/")
    # The form offers the partners' addresses as places.
    options = page.locator("#id_at_organisation option")
    expect(options.filter(has_text="At a partner’s address: Gjenbruksnettverket")).to_have_count(1)
    page.fill("#id_title", "Repair advice by telephone")
    page.select_option("#id_kind", "service")
    page.get_by_label("Gjenbruksnettverket").check()
    page.get_by_label("Sharing and repair").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1, name="Repair advice by telephone")).to_be_visible()
    main = page.locator("main")
    expect(main).to_contain_text("Saved, but not on the map")
    expect(main).not_to_contain_text(re.compile("is on the map", re.I))
    expect(main).to_contain_text("Not on the map: no place given.")
    screenshot(page, "first-month-activity-without-place-desktop")

    page.goto(f"{P}/atlas/")
    expect(page.locator("#not-on-map-h")).to_have_text(f"Not on the map yet ({before + 1})")
    expect(page.locator("#not-on-map")).to_contain_text("Repair advice by telephone")

    # A partner's address puts it on the map.
    page.locator("#not-on-map li", has_text="Repair advice by telephone").get_by_role(
        "link", name=re.compile("^Add a place")
    ).click()
    address = options.filter(has_text="Gjenbruksnettverket").first.inner_text()
    page.select_option("#id_at_organisation", label=address)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1, name="Repair advice by telephone")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("Not on the map")
    expect(page.locator("main")).to_contain_text("Grünerløkka")  # Gjenbruksnettverket's place
    page.goto(f"{P}/atlas/")
    expect(page.locator("#not-on-map li", has_text="Repair advice by telephone")).to_have_count(0)


def test_a_ranked_choice_tie_is_reported_as_a_tie_and_settled_by_the_chair(new_context):
    manager = new_context().new_page()
    sign_in(manager, "tor@fjordvik.example")
    manager.goto(f"{P}/decisions/new/")
    manager.fill("#id_title", "Where should the tool library open first?")
    manager.select_option("#id_method", "ranked")
    manager.fill("#id_options_text", "Tøyen\nSagene")
    manager.get_by_label("The chair decides, with a reason").check()
    manager.fill("#id_quorum_percent", "0")
    manager.get_by_role("button", name="Open for votes").click()
    expect(
        manager.get_by_role("heading", level=1, name="Where should the tool library open first?")
    ).to_be_visible()
    expect(manager.locator("main")).to_contain_text("The chair decides, with a reason")
    url = manager.url

    # Two partners, two first choices: the options are level, never won by list order.
    for email, first, second in (
        ("amina@fjordvik.example", "Tøyen", "Sagene"),
        ("lars@fjordvik.example", "Sagene", "Tøyen"),
    ):
        voter = new_context().new_page()
        sign_in(voter, email)
        voter.goto(url)
        voter.select_option("#rank_1", label=first)
        voter.select_option("#rank_2", label=second)
        voter.get_by_role("button", name="Cast my vote").click()
        expect(voter.get_by_role("heading", name="Change your vote")).to_be_visible()

    manager.goto(url)
    manager.get_by_role("button", name="Close the vote now").click()
    main = manager.locator("main")
    expect(main).to_contain_text("Tied for first place: Tøyen and Sagene. No option won the vote.")
    expect(main).to_contain_text("The vote ended tied between Tøyen and Sagene.")
    expect(main).to_contain_text("The chair decides among Tøyen and Sagene, and gives a reason.")
    expect(main.locator(".badge--ok", has_text=re.compile("^(wins|chosen)$"))).to_have_count(0)
    screenshot(manager, "first-month-ranked-tie-desktop")
    # The tie waits in the chair's inbox, one click from the settling form.
    manager.goto("/")
    ties = manager.locator("#inbox-ties")
    expect(ties).to_contain_text("Where should the tool library open first?")
    ties.get_by_role("link", name="Where should the tool library open first?").first.click()

    settle = manager.locator("form.tie-settle")
    settle.get_by_label("Sagene").check()
    settle.get_by_label("Reason").fill("Sagene has the workshop space ready in March.")
    settle.get_by_role("button", name="Settle the tie").click()
    expect(main).to_contain_text("Settled by the chair (Tor Haugen): Sagene.")
    expect(main).to_contain_text("Because: Sagene has the workshop space ready in March.")
    expect(manager.locator("form.tie-settle")).to_have_count(0)
    manager.goto("/")
    expect(manager.locator("section.inbox")).not_to_contain_text(
        "Where should the tool library open first?"
    )
    manager.goto(f"{P}/decisions/register/")
    expect(
        manager.locator("tr", has_text="Where should the tool library open first?")
    ).to_contain_text("Sagene")
