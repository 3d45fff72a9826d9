"""A new convener's first month, through the pages only: start a partnership, find partners by
typing part of their name, invite a signatory and someone from an organisation new to the
directory, draft an agreement and follow the page's guidance until it is ratified, see a
partner's inbox, use the workspace on a phone, and put an activity on (or not on) the map."""

from __future__ import annotations

import datetime
import re

from playwright.sync_api import Page, expect

from .conftest import axe_violations, screenshot, sign_in

P = "/p/fjordvik-circular"
NEW_PASSWORD = "a-long-passphrase-2026"


def accept_invitation(page: Page, link: str, name: str) -> None:
    """A person new to the site opens their invitation link and creates an account."""
    page.goto(link)
    expect(page.get_by_role("heading", name=re.compile("^Join "))).to_be_visible()
    page.fill("#id_display_name", name)
    page.fill("#id_password1", NEW_PASSWORD)
    page.fill("#id_password2", NEW_PASSWORD)
    page.get_by_role("button", name="Create account and join").click()
    expect(page.get_by_role("heading", level=1, name="Fjordvik Repair Network")).to_be_visible()


def send_invitation(page: Page) -> str:
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text(re.compile(r"^Invitation sent to "))).to_be_visible()
    return page.locator("#invite-link").input_value()


def test_a_new_convener_takes_a_partnership_from_start_to_a_ratified_mou(new_context):
    convener = new_context().new_page()
    sign_in(convener, "ingrid@fjordvik.example")

    # Day 1: start the partnership.
    convener.get_by_role("link", name="Start a partnership").first.click()
    convener.fill("#id_name", "Fjordvik Repair Network")
    convener.fill("#id_purpose", "Repair cafés, tool libraries and reuse shops working as one.")
    convener.fill("#id_trigger", "Repairable goods end up in residual waste.")
    convener.fill("#id_objectives", "Ten repair points open every week by the summer.")
    convener.get_by_role("button", name="Save").click()
    expect(convener.get_by_role("heading", level=1, name="Fjordvik Repair Network")).to_be_visible()

    # Week 1: invite a partner's signatory. The convener knows the organisation as "the
    # building-materials bank": typing part of the name lists it under the box.
    convener.get_by_role("link", name="People and partners").click()
    convener.get_by_role("link", name="Invite someone").click()
    expect(convener.get_by_role("heading", level=1, name="Invite people")).to_be_visible()
    convener.fill("#id_email", "signe@byggevarebanken.example")
    convener.select_option("#id_kind", "representative")
    box = convener.locator("#id_organisation")
    box.press_sequentially("varebank")
    matches = convener.locator("#id_organisation_matches")
    choice = matches.get_by_role("option").filter(has_text="Byggevarebanken SA")
    expect(choice).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    screenshot(convener, "first-month-picker-live-list-desktop")
    choice.click()
    expect(box).to_have_value("Byggevarebanken SA")
    expect(matches.get_by_role("option")).to_have_count(0)
    convener.select_option("#id_representative_kind", "decision_maker")
    convener.get_by_label("Authorised to sign agreements for the organisation").check()
    signe_link = send_invitation(convener)
    recent = convener.locator("li", has_text="signe@byggevarebanken.example")
    expect(recent).to_contain_text("Partner representative")
    expect(recent).to_contain_text("signatory")
    expect(recent).to_contain_text("Byggevarebanken SA")

    # A second partner is not in the directory yet. A name that is only a legal form away
    # from a listed organisation is caught as a duplicate ...
    convener.fill("#id_email", "bjorn@brattli.example")
    convener.select_option("#id_kind", "representative")
    convener.fill("#id_organisation", "Brattli Bygg SA")
    convener.select_option("#id_representative_kind", "doer")
    convener.get_by_role("button", name="Send invitation").click()
    expect(convener.locator("main")).to_contain_text(
        "looks like an organisation already in the directory: Brattli Bygg AS"
    )
    # ... while a truly new one asks for its sector and is added on the spot.
    convener.fill("#id_email", "runa@reparasjonsverkstedet.example")
    convener.fill("#id_organisation", "Reparasjonsverkstedet Kampen")
    convener.select_option("#id_representative_kind", "doer")
    convener.get_by_role("button", name="Send invitation").click()
    expect(convener.locator("main")).to_contain_text(
        "“Reparasjonsverkstedet Kampen” is not in the directory yet: choose its sector to add it."
    )
    convener.select_option("#id_new_sector", label="Civil society / non-profit")
    runa_link = send_invitation(convener)
    expect(convener.locator("li", has_text="runa@reparasjonsverkstedet.example")).to_contain_text(
        "Reparasjonsverkstedet Kampen"
    )
    assert not axe_violations(convener)

    # Both accept in their own browsers.
    signe = new_context().new_page()
    accept_invitation(signe, signe_link, "Signe Byggmo")
    runa = new_context().new_page()
    accept_invitation(runa, runa_link, "Runa Kampen")

    # The new organisation is in the directory now.
    convener.goto("/organisations/")
    convener.fill("input[name=q]", "Kampen")
    convener.get_by_role("button", name="Search").click()
    expect(convener.get_by_role("link", name="Reparasjonsverkstedet Kampen")).to_be_visible()

    # Week 2: draft the memorandum of understanding between the two partners.
    convener.goto("/")
    convener.get_by_role("link", name="Fjordvik Repair Network").first.click()
    convener.get_by_role("link", name="Agreements and contributions").click()
    convener.locator(".subnav").get_by_role("link", name="Agreements").click()
    convener.get_by_role("link", name=re.compile("New agreement|Draft an agreement")).first.click()
    convener.fill("#id_title", "MoU on repair points")
    convener.select_option("#id_template", "mou")
    convener.get_by_label("Byggevarebanken SA").check()
    convener.get_by_label("Reparasjonsverkstedet Kampen").check()
    convener.get_by_role("button", name="Create the draft").click()
    expect(convener.get_by_role("heading", level=1, name="MoU on repair points")).to_be_visible()
    agreement = convener.url

    # The page names each party's signatory, and the one that has none.
    bank_row = convener.locator("tr", has_text="Byggevarebanken SA")
    expect(bank_row).to_contain_text("Signe Byggmo")
    kampen_row = convener.locator("tr", has_text="Reparasjonsverkstedet Kampen")
    expect(kampen_row).to_contain_text("no signatory yet")
    # The convener is no signatory, and is told why there is no Ratify button and what to do.
    expect(convener.get_by_role("button", name="Ratify", exact=True)).to_have_count(0)
    expect(convener.locator("#ratify-why")).to_contain_text(
        "Only a party's authorised signatory can ratify, and you are not one."
    )
    screenshot(convener, "first-month-agreement-guidance-desktop")
    assert not axe_violations(convener)

    # Runa has no signing authority yet: she is told to ask the convener.
    runa.goto(agreement)
    expect(runa.get_by_role("button", name="Ratify", exact=True)).to_have_count(0)
    expect(runa.locator("#ratify-why")).to_contain_text("Ask the partnership's convener")

    # The convener follows "set one" to the role and edits it (no ending and giving again).
    kampen_row.get_by_role("link", name="set one").click()
    roles = convener.locator("#roles")
    runa_role = roles.locator("tr", has_text="Runa Kampen")
    expect(runa_role).not_to_contain_text("signatory")
    runa_role.get_by_role("link", name="Edit").click()
    convener.get_by_label("Authorised to sign agreements for the organisation").check()
    convener.fill("#id_title", "Daily manager")
    convener.get_by_role("button", name="Save role").click()
    expect(convener.locator("#roles tr", has_text="Runa Kampen")).to_contain_text("signatory")

    convener.goto(agreement)
    expect(kampen_row).to_contain_text("Runa Kampen")
    expect(kampen_row).not_to_contain_text("no signatory yet")

    # Week 3: each signatory ratifies from the same page.
    for page, organisation in (
        (signe, "Byggevarebanken SA"),
        (runa, "Reparasjonsverkstedet Kampen"),
    ):
        page.goto(agreement)
        form = page.locator("form.ratify-form")
        expect(form).to_be_visible()
        if form.locator("#id_organisation").count():
            page.select_option("#id_organisation", label=organisation)
        page.locator("#id_confirm").check()
        page.get_by_role("button", name="Ratify", exact=True).click()
        expect(page.locator("tr", has_text=organisation)).not_to_contain_text("not yet")
    convener.goto(agreement)
    expect(convener.locator(".page-header .badge").first).to_have_text("In force")
    screenshot(convener, "first-month-agreement-in-force-desktop")

    # Week 4: the convener opens a vote and gives Signe a task; both wait in her inbox,
    # counted beside My work in the top navigation.
    convener.get_by_role("link", name="Decisions and meetings").click()
    convener.locator(".subnav").get_by_role("link", name="Decisions").click()
    convener.get_by_role("link", name=re.compile("New proposal|Propose")).first.click()
    convener.fill("#id_title", "Open the repair points on Saturdays?")
    convener.select_option("#id_method", "majority")
    convener.get_by_role("button", name="Open for votes").click()
    expect(
        convener.get_by_role("heading", level=1, name="Open the repair points on Saturdays?")
    ).to_be_visible()

    convener.locator(".subnav").get_by_role("link", name="Action plan").click()
    convener.get_by_role("link", name="Add an action").click()
    convener.fill("#id_title", "List the tools each repair point lends")
    convener.select_option("#id_owner", label="Signe Byggmo")
    due = datetime.date.today() + datetime.timedelta(days=10)
    convener.fill("#id_due_on", due.isoformat())
    convener.get_by_role("button", name="Save").click()
    expect(
        convener.get_by_role("heading", level=1, name="List the tools each repair point lends")
    ).to_be_visible()

    signe.goto("/")
    inbox = signe.locator("section.inbox")
    expect(inbox.get_by_role("heading", level=2)).to_have_text("2 things wait for you")
    vote = inbox.locator("#inbox-votes")
    expect(vote).to_contain_text("Open the repair points on Saturdays?")
    expect(vote).to_contain_text("Fjordvik Repair Network")
    expect(vote).to_contain_text("closes")
    action = inbox.locator("#inbox-actions")
    expect(action).to_contain_text("List the tools each repair point lends")
    expect(action).to_contain_text(f"due {due.day} {due:%b} {due.year}")
    count = signe.locator(".topnav #nav-count")
    expect(count).to_have_text(re.compile(r"^2\b"))
    screenshot(signe, "first-month-my-work-desktop")
    assert not axe_violations(signe)

    # One click from the inbox to the ballot; once cast, the vote leaves the inbox and the
    # count goes down.
    vote.get_by_role("link", name="Open the repair points on Saturdays?").first.click()
    signe.get_by_label("Yes", exact=True).check()
    signe.get_by_role("button", name=re.compile("vote", re.I)).click()
    expect(signe.get_by_text(re.compile("Your vote", re.I)).first).to_be_visible()
    signe.goto("/")
    expect(inbox.get_by_role("heading", level=2)).to_have_text("1 thing waits for you")
    expect(inbox).not_to_contain_text("Open the repair points on Saturdays?")
    expect(count).to_have_text(re.compile(r"^1\b"))

    # On a phone the count rides on the Menu button.
    phone = new_context(width=390, height=844).new_page()
    sign_in(phone, "signe@byggevarebanken.example", NEW_PASSWORD)
    expect(phone.locator(".menu-toggle")).to_contain_text(re.compile(r"Menu\s*1"))


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

    settle = manager.locator("form.tie-settle")
    settle.get_by_label("Sagene").check()
    settle.get_by_label("Reason").fill("Sagene has the workshop space ready in March.")
    settle.get_by_role("button", name="Settle the tie").click()
    expect(main).to_contain_text("Settled by the chair (Tor Haugen): Sagene.")
    expect(main).to_contain_text("Because: Sagene has the workshop space ready in March.")
    expect(manager.locator("form.tie-settle")).to_have_count(0)
    manager.goto(f"{P}/decisions/register/")
    expect(
        manager.locator("tr", has_text="Where should the tool library open first?")
    ).to_contain_text("Sagene")
