"""The rest of the journey, module by module, on the demo partnership, through the UI only."""

from __future__ import annotations

import datetime
import re

from playwright.sync_api import expect

from .conftest import axe_violations, sign_in

P = "/p/fjordvik-circular"


def test_convener_sees_a_gap_and_scores_a_recommended_prospect(new_context):
    page = new_context().new_page()
    sign_in(page, "ingrid@fjordvik.example")

    # The gap: nobody offers legal know-how.
    page.goto(f"{P}/prospects/gaps/")
    legal = page.locator("tr", has_text="Legal clarity on reusing building materials")
    expect(legal).to_contain_text("uncovered")

    # The recommendation: a legal aid centre from the directory.
    page.goto(f"{P}/prospects/recommendations/")
    expect(page.get_by_text("Fjordvik Rettshjelpsenter").first).to_be_visible()

    # Find it in the directory and add it to the pipeline.
    page.goto("/prospects/directory/")
    page.fill("#id_q", "Rettshjelp")
    page.get_by_role("button", name="Search").click()
    row = page.locator("#results tr", has_text="Fjordvik Rettshjelpsenter")
    # "Add as prospect" when the convener runs one pipeline, "Add to <name>" for each otherwise.
    row.get_by_role(
        "link",
        name=re.compile(r"^(Add as prospect|Add to Fjordvik Circular Materials Partnership)$"),
    ).click()
    # The picker shows the organisation by the name people know (not its short name).
    expect(page.locator("#id_organisation")).to_have_value("Fjordvik Rettshjelpsenter")
    page.fill("#id_why_approach", "They give free legal advice on reusing building materials.")
    page.get_by_role("button", name="Add to the pipeline").click()
    expect(page.get_by_role("heading", level=1, name="Fjordvik Rettshjelpsenter")).to_be_visible()

    # Score it on the scorecard.
    page.get_by_role("link", name="Score this prospect").click()
    selects = page.locator("select[name^=score_]")
    for i in range(selects.count()):
        selects.nth(i).select_option("4")
    page.get_by_role("button", name=re.compile("Save")).click()
    expect(page.get_by_role("heading", level=1, name="Fjordvik Rettshjelpsenter")).to_be_visible()
    expect(page.locator("main")).to_contain_text("4")

    # The gap now has a candidate in the pipeline.
    page.goto(f"{P}/prospects/gaps/")
    expect(legal).to_contain_text("Fjordvik Rettshjelpsenter")


def test_a_majority_vote_closes_with_the_right_result(new_context):
    manager = new_context().new_page()
    sign_in(manager, "tor@fjordvik.example")
    manager.goto(f"{P}/decisions/new/")
    manager.fill("#id_title", "Open the third reuse hub on Saturdays?")
    manager.select_option("#id_method", "majority")
    manager.fill("#id_quorum_percent", "0")
    manager.get_by_role("button", name="Open for votes").click()
    expect(
        manager.get_by_role("heading", level=1, name="Open the third reuse hub on Saturdays?")
    ).to_be_visible()
    url = manager.url

    for email, choice in (
        ("amina@fjordvik.example", "Yes"),
        ("lars@fjordvik.example", "Yes"),
        ("erik@fjordvik.example", "No"),
    ):
        voter = new_context().new_page()
        sign_in(voter, email)
        voter.goto(url)
        voter.get_by_label(choice, exact=True).check()
        voter.get_by_role("button", name=re.compile("vote", re.I)).click()
        expect(voter.get_by_text(re.compile("Your vote", re.I)).first).to_be_visible()

    manager.goto(url)
    manager.get_by_role("button", name="Close the vote now").click()
    expect(manager.locator("main .badge--ok", has_text="Adopted")).to_be_visible()
    expect(manager.locator("main")).to_contain_text("Yes2No1")
    manager.goto(f"{P}/decisions/register/")
    pk = re.search(r"/decisions/(\d+)/", url).group(1)
    entry = manager.locator("tr", has_text="Open the third reuse hub on Saturdays?").filter(
        has_text=f"Proposal #{pk}"
    )
    expect(entry).to_contain_text("Yes 2 · No 1")
    expect(entry).to_contain_text("Adopted")


def test_an_mou_is_in_force_only_once_every_signatory_has_ratified(new_context):
    manager = new_context().new_page()
    sign_in(manager, "tor@fjordvik.example")
    manager.goto(f"{P}/agreements/new/")
    manager.fill("#id_title", "MoU on shared repair tools")
    manager.select_option("#id_template", "mou")
    manager.get_by_label("Fjordvik kommune – Klimaetaten").check()
    manager.get_by_label("Fjordvik Renovasjon KF").check()
    manager.get_by_role("button", name="Create the draft").click()
    expect(
        manager.get_by_role("heading", level=1, name="MoU on shared repair tools")
    ).to_be_visible()
    expect(manager.locator("main .badge").first).not_to_have_text("In force")
    url = manager.url

    def ratify(email: str, organisation: str) -> None:
        signatory = new_context().new_page()
        sign_in(signatory, email)
        signatory.goto(url)
        assert not axe_violations(signatory)
        signatory.select_option("#id_organisation", label=organisation)
        signatory.locator("#id_confirm").check()
        signatory.get_by_role("button", name="Ratify", exact=True).click()
        row = signatory.locator("tr", has_text=organisation)
        expect(row).not_to_contain_text("not yet")

    ratify("amina@fjordvik.example", "Fjordvik kommune – Klimaetaten")
    manager.goto(url)
    expect(manager.locator("tr", has_text="Fjordvik Renovasjon KF")).to_contain_text("not yet")
    expect(manager.locator(".page-header .badge").first).not_to_have_text("In force")

    ratify("lars@fjordvik.example", "Fjordvik Renovasjon KF")
    manager.goto(url)
    expect(manager.locator(".page-header .badge").first).to_have_text("In force")
    manager.goto(f"{P}/agreements/")
    path = re.sub(r"^https?://[^/]+", "", url)
    expect(manager.locator("tr", has=manager.locator(f'a[href="{path}"]'))).to_contain_text(
        "In force"
    )


def answer_links(mail: str) -> list[str]:
    mail = mail.replace("=\n", "").replace("=3D", "=")
    # Paths only: the page is opened on the server under test, whatever host the email names.
    # The code rides after "#", so it never reaches a server log; the page's script posts it.
    return list(dict.fromkeys(re.findall(r"/healthchecks/answer/#[\w-]+", mail)))


def test_health_check_aggregates_appear_only_from_five_answers(new_context, sent_mail):
    manager = new_context().new_page()
    sign_in(manager, "tor@fjordvik.example")
    before = set(answer_links(sent_mail()))
    manager.goto(f"{P}/healthchecks/rounds/new/")
    manager.fill("#id_title", "Winter pulse")
    manager.fill("#id_period", "2026-W")
    manager.fill("#id_closes_on", "2030-12-31")
    manager.get_by_role("button", name="Open the round and send the links").click()
    opened = manager.get_by_text(re.compile(r"Round opened; \d+ people were sent"))
    expect(opened).to_be_visible()
    sent = int(re.search(r"(\d+) people", opened.inner_text()).group(1))
    round_url = manager.url

    def new_links(mail: str) -> list[str]:
        return [link for link in answer_links(mail) if link not in before]

    links = new_links(sent_mail(until=lambda mail: len(new_links(mail)) >= sent))
    assert len(links) >= 5, links

    respondent = new_context().new_page()  # one-use links need no account

    def answer(link: str) -> None:
        respondent.goto(link)
        # the page's script posts the code from the link's fragment and the survey opens
        expect(respondent.get_by_role("button", name="Send my answers")).to_be_visible()
        assert "#" not in respondent.url and "answer/" in respondent.url
        if link == links[0]:
            assert not axe_violations(respondent)
        questions = respondent.locator(".hc-question")
        for i in range(questions.count()):
            questions.nth(i).locator("input[type=radio]").nth(3).check()
        respondent.get_by_role("button", name="Send my answers").click()
        expect(respondent.get_by_text("Your answers are in.")).to_be_visible()

    for link in links[:5]:
        answer(link)
    # While the round is open even the manager sees only how many answered.
    manager.goto(round_url)
    expect(manager.locator("#hc-rate")).to_contain_text("5 /")
    expect(manager.get_by_text(re.compile("nobody \\(managers included\\)"))).to_be_visible()
    expect(manager.get_by_role("heading", name="Question by question")).to_have_count(0)

    manager.get_by_role("button", name="Close the round").click()
    expect(manager.get_by_text(re.compile(r"5 of \d+ people answered"))).to_be_visible()
    expect(manager.get_by_role("heading", name="Question by question")).to_be_visible()

    # A used link does not work again.
    respondent.goto(links[0])
    expect(respondent.get_by_text("This link has already been used")).to_be_visible()
    expect(respondent.get_by_role("button", name="Send my answers")).to_have_count(0)


def test_a_restricted_document_stays_with_the_managers(new_context, tmp_path):
    manager = new_context().new_page()
    sign_in(manager, "tor@fjordvik.example")
    manager.goto(f"{P}/library/data-room/upload/")
    note = tmp_path / "hub-lease-terms.txt"
    note.write_text("Draft lease terms for the third reuse hub. Confidential.\n", encoding="utf-8")
    manager.set_input_files("#id_file", str(note))
    manager.fill("#id_title", "Hub lease terms (draft)")
    manager.select_option("#id_access_level", "managers")
    manager.select_option("#id_owner_organisation", label="Fjordvik kommune – Klimaetaten")
    manager.fill("#id_purpose", "Let the managers prepare the lease negotiation.")
    manager.get_by_role("button", name="Upload").click()
    expect(manager.get_by_role("heading", level=1, name="Hub lease terms (draft)")).to_be_visible()
    document = re.sub(r"^https?://[^/]+", "", manager.url)
    with manager.expect_download() as download:
        manager.get_by_role("link", name=re.compile("Version 1")).click()
    assert download.value.path().read_text(encoding="utf-8").startswith("Draft lease terms")
    file_link = manager.get_by_role("link", name=re.compile("Version 1")).get_attribute("href")
    assert file_link

    for email in ("outsider@elsewhere.example", "mette@fjordvik.example"):
        other = new_context().new_page()
        sign_in(other, email)
        for path in (document, file_link):
            response = other.goto(path)
            assert response is not None and response.status == 404, (email, path, response.status)
        other.goto(f"{P}/library/data-room/")
        expect(other.get_by_text("Hub lease terms (draft)")).to_have_count(0)


def test_the_report_is_generated_and_downloads_as_pdf(new_context):
    page = new_context().new_page()
    sign_in(page, "tor@fjordvik.example")
    page.goto(f"{P}/library/report/")
    page.get_by_role("button", name="Show report").click()
    expect(page.locator("article.report")).to_be_visible()
    expect(page.locator("article.report")).to_contain_text(re.compile("Report for"))
    link = page.get_by_role("link", name="Download PDF")
    response = page.request.get(link.get_attribute("href") or "")
    assert response.status == 200
    assert response.body().startswith(b"%PDF")


def test_partners_agree_a_design_element(new_context):
    page = new_context().new_page()
    sign_in(page, "tor@fjordvik.example")
    page.goto(f"{P}/method/elements/")
    page.get_by_role("link", name="Understanding each other's contributions").click()
    expect(
        page.get_by_role("heading", level=1, name="Understanding each other's contributions")
    ).to_be_visible()
    page.goto(f"{P}/method/elements/mutual_understanding/edit/")
    page.fill(
        "#id_text",
        "Each partner presents what it brings and what it hopes to get at the spring meeting.",
    )
    page.select_option("#id_status", "agreed")
    page.fill("#id_agreed_by", "Partnership meeting")
    page.fill("#id_agreed_on", "2026-11-20")
    page.get_by_role("button", name="Save new version").click()
    expect(page.get_by_text("Each partner presents what it brings")).to_be_visible()
    page.goto(f"{P}/method/elements/")
    row = page.locator("tr", has_text="Understanding each other's contributions")
    expect(row).to_contain_text("Agreed")


def test_a_partner_pledges_a_contribution_and_sees_it_in_the_flow(new_context):
    page = new_context().new_page()
    sign_in(page, "hanne@fjordvik.example")
    page.goto(f"{P}/contributions/new/")
    page.select_option("#id_kind", "data")
    page.fill("#id_title", "Visitor counts from the neighbourhood house")
    page.select_option("#id_contributor", label="Nabolagshuset Tøyenløkka")
    page.select_option("#id_recipient_kind", "partnership")
    page.fill("#id_amount", "15000")
    page.get_by_role("button", name="Save").click()
    expect(
        page.get_by_role("heading", level=1, name="Visitor counts from the neighbourhood house")
    ).to_be_visible()
    detail = re.sub(r"^https?://[^/]+", "", page.url)

    page.goto(f"{P}/contributions/")
    expect(page.locator(f'a[href="{detail}"]')).to_have_text(
        "Visitor counts from the neighbourhood house"
    )

    page.goto(f"{P}/contributions/flow/")
    expect(page.locator("#flow-chart canvas, #flow-chart svg").first).to_be_visible()
    page.locator("details.data-table summary").click()
    flow = page.locator("details.data-table tr", has_text="Nabolagshuset Tøyenløkka").filter(
        has_text="Data"
    )
    expect(flow).to_contain_text("15,000.00")


def test_a_measurement_and_a_review_are_recorded(new_context):
    page = new_context().new_page()
    sign_in(page, "tor@fjordvik.example")
    page.goto(f"{P}/results/")
    page.get_by_role("link", name="Building materials reused").first.click()
    page.fill("#id_measured_on", "2026-11-15")
    page.fill("#id_value", "987.65")
    page.fill("#id_note", "Counted at the Økern hub")
    page.get_by_role("button", name="Record").click()
    expect(page.locator("main")).to_contain_text("987.65")
    expect(page.get_by_role("cell", name="Counted at the Økern hub").first).to_be_visible()

    page.goto(f"{P}/results/reviews/new/")
    page.fill("#id_title", "Autumn indicator review")
    page.fill("#id_held_on", "2026-11-18")
    page.get_by_label("Building materials reused").check()
    page.fill("#id_what_worked", "The Økern hub takes in more doors than planned.")
    page.fill("#id_changes_decided", "Raise the target for reused building materials.")
    page.select_option("#id_rev0-indicator", label="Building materials reused")
    page.fill("#id_rev0-new_target_value", "1500")
    page.fill("#id_rev0-reason", "The hub outperforms the plan.")
    page.get_by_role("button", name="Save the review").click()
    expect(page.get_by_role("heading", level=1, name="Autumn indicator review")).to_be_visible()
    expect(page.get_by_text("The Økern hub takes in more doors than planned.")).to_be_visible()
    page.goto(f"{P}/results/")
    page.get_by_role("link", name="Building materials reused").first.click()
    expect(page.get_by_text("The hub outperforms the plan.")).to_be_visible()


def test_a_meeting_motion_reaches_the_register_and_its_task_the_action_plan(new_context):
    page = new_context().new_page()
    sign_in(page, "tor@fjordvik.example")
    page.goto(f"{P}/meetings/new/")
    page.fill("#id_title", "Extra meeting: Saturday opening")
    yesterday = (datetime.date.today() - datetime.timedelta(days=1)).isoformat()
    page.fill("#id_starts_at", f"{yesterday}T10:00")
    page.fill("#id_ends_at", f"{yesterday}T12:00")
    page.fill("#id_place", "Økern reuse hub")
    page.get_by_role("button", name="Save").click()
    expect(
        page.get_by_role("heading", level=1, name="Extra meeting: Saturday opening")
    ).to_be_visible()
    meeting = re.sub(r"^https?://[^/]+", "", page.url)

    # The agenda.
    page.get_by_text("Add an item to the agenda").click()
    item_form = page.locator("form[action$='/items/add/']")
    item_form.locator("#id_title").fill("Saturday opening hours")
    item_form.locator("#id_item_type").select_option("decision")
    item_form.get_by_role("button", name="Add item").click()
    expect(page.locator("main").get_by_text("Saturday opening hours").first).to_be_visible()

    # Attendance: everybody came.
    page.get_by_role("link", name=re.compile("attendance", re.I)).click()
    rows = page.locator("tbody tr")
    for i in range(rows.count()):
        rows.nth(i).locator("input[value=present]").check()
    page.get_by_role("button", name="Save attendance").click()
    page.goto(meeting)
    expect(page.get_by_text("Quorum reached")).to_be_visible()

    # The minutes of the item: highlights, a task and an adopted motion.
    page.locator("li, article, section", has_text="Saturday opening hours").get_by_role(
        "link", name="Minute this item"
    ).first.click()
    minutes = re.sub(r"^https?://[^/]+", "", page.url)
    page.fill("#id_notes", "Volunteers can staff Saturdays from March.")
    page.get_by_role("button", name="Save highlights").click()
    page.goto(minutes)
    page.fill("#id_title", "Draw up the Saturday volunteer rota")
    page.select_option("#id_owner", label="Nora Aasen")
    page.get_by_role("button", name="Add task").click()
    page.goto(minutes)
    expect(page.get_by_text("Draw up the Saturday volunteer rota").first).to_be_visible()
    page.fill("#id_text", "Open the Økern hub on Saturdays from March.")
    page.select_option("#id_proposed_by", label="Amina Yusuf")
    page.select_option("#id_seconded_by", label="Lars Nygård")
    page.select_option("#id_result", "unanimous")
    page.get_by_role("button", name="Record motion").click()
    page.goto(minutes)
    expect(page.get_by_text("Open the Økern hub on Saturdays from March.").first).to_be_visible()

    page.goto(meeting)
    expect(page.get_by_text("Volunteers can staff Saturdays from March.")).to_be_visible()
    expect(page.get_by_text("In the decision register")).to_be_visible()

    page.goto(f"{P}/decisions/register/")
    expect(page.get_by_text("Open the Økern hub on Saturdays from March.").first).to_be_visible()
    # The task is an action in the plan, owned by Nora, who finds it among her actions.
    page.goto(meeting)
    page.get_by_role("link", name="Draw up the Saturday volunteer rota").first.click()
    expect(
        page.get_by_role("heading", level=1, name="Draw up the Saturday volunteer rota")
    ).to_be_visible()
    assert "/actionplan/" in page.url
    expect(page.locator("main")).to_contain_text("Nora Aasen")
    nora = new_context().new_page()
    sign_in(nora, "nora@fjordvik.example")
    nora.goto("/actionplan/mine/")
    expect(nora.get_by_text("Draw up the Saturday volunteer rota").first).to_be_visible()


def test_an_activity_on_the_map_shows_an_overlap(new_context):
    page = new_context().new_page()
    sign_in(page, "tor@fjordvik.example")
    page.goto(f"{P}/atlas/activities/new/")
    page.fill("#id_title", "Bike repair evenings Grünerløkka")
    page.select_option("#id_kind", "service")
    page.get_by_label("Reparatørene Tøyen").check()
    page.get_by_label("Sharing and repair").check()
    page.fill("#id_place_name", "Grünerløkka")
    page.fill("#id_latitude", "59.9236")
    page.fill("#id_longitude", "10.7601")
    page.get_by_role("button", name="Save").click()
    expect(
        page.get_by_role("heading", level=1, name="Bike repair evenings Grünerløkka")
    ).to_be_visible()

    page.goto(f"{P}/atlas/")
    expect(page.locator(".leaflet-container").first).to_be_visible()
    expect(page.get_by_text("Bike repair evenings Grünerløkka").first).to_be_attached()

    page.goto(f"{P}/atlas/overlaps/")
    pair = page.locator("tr", has_text="Bike repair evenings Grünerløkka").filter(
        has_text="Repair café Grünerløkka"
    )
    expect(pair).to_contain_text("Shared themes: Sharing and repair")
    expect(pair).to_contain_text("m apart")


def tab_to(page, selector: str, limit: int = 120) -> None:
    """Press Tab until the element matching ``selector`` has the focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement?.matches(s) ?? false", selector):
            return
    raise AssertionError(f"{selector} cannot be reached with the Tab key")


def test_vote_with_the_keyboard_only(new_context):
    manager = new_context().new_page()
    sign_in(manager, "tor@fjordvik.example")
    manager.goto(f"{P}/decisions/new/")
    manager.fill("#id_title", "Lend the cargo bike to the library?")
    manager.select_option("#id_method", "majority")
    manager.get_by_role("button", name="Open for votes").click()
    url = manager.url

    voter = new_context().new_page()
    sign_in(voter, "eva@fjordvik.example")
    voter.goto(url)
    assert not axe_violations(voter)
    tab_to(voter, "input[type=radio]")
    # Arrow keys move within the radio group; the second choice is "No".
    voter.keyboard.press("ArrowDown")
    expect(voter.get_by_label("No", exact=True)).to_be_checked()
    tab_to(voter, "button[type=submit]")
    expect(voter.locator(":focus")).to_have_text("Cast my vote")
    voter.keyboard.press("Enter")
    expect(voter.locator("main")).to_contain_text("Eva")
    expect(voter.locator("main")).to_contain_text("Yes0No1")
