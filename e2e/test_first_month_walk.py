"""A new convener's first month, walked through the pages only, in English and in Norwegian,
at desktop and at phone width: start a partnership, find partners by typing part of their
name, invite a signatory and someone from an organisation new to the directory, draft an
MoU and follow the page's guidance until it is ratified, open and close a vote, minute a
meeting, record a measurement and run a health-check round.

Every page the Norwegian walks load is checked for English generated texts (audit
summaries, story events, notification titles, default names, raw role codes; the list is
read from the code, see ``phrases.py``)."""

from __future__ import annotations

import datetime
import os
import re
import uuid
from collections.abc import Callable

import pytest
from django.utils import formats, translation
from django.utils.translation import gettext, ngettext
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, expect

from .conftest import axe_violations, screenshot, sign_in
from .phrases import english_in

NEW_PASSWORD = "a-long-passphrase-2026"
# Against a server kept running between runs (E2E_BASE_URL), names must not repeat.
RUN = f" {uuid.uuid4().hex[:4]}" if os.environ.get("E2E_BASE_URL") else ""
DESKTOP = (1280, 900)
PHONE = (390, 844)

# One walk per language and width. Each walk has its own partnership, people and new
# organisation, since they share one server.
WALKS = [
    pytest.param("en", DESKTOP, "Kampen", id="en-desktop"),
    pytest.param("nb", DESKTOP, "Sagene", id="nb-desktop"),
    pytest.param("en", PHONE, "Tøyen", id="en-phone"),
    pytest.param("nb", PHONE, "Grorud", id="nb-phone"),
]


class Walk:
    """The language and width of one walk, the pages it opened, and what the English
    check found on them."""

    def __init__(self, new_context: Callable, lang: str, size: tuple[int, int]) -> None:
        self.new_context = new_context
        self.lang = lang
        self.width, self.height = size
        self.phone = self.width < 600
        self.tag = f"{lang}-{'phone' if self.phone else 'desktop'}"
        self.pages: list[Page] = []
        self.checked: set[str] = set()
        self.english: list[str] = []

    def t(self, text: str, /, **values: object) -> str:
        """``text`` as the page shows it in this walk's language."""
        with translation.override(self.lang):
            shown = gettext(text)
        return shown % values if values else shown

    def tn(self, singular: str, plural: str, n: int, /, **values: object) -> str:
        with translation.override(self.lang):
            return ngettext(singular, plural, n) % {"n": n, **values}

    def date(self, value: datetime.date) -> str:
        with translation.override(self.lang):
            return formats.date_format(value, "DATE_FORMAT")

    def browser(self) -> Page:
        """A person's own browser, in this walk's language (chosen on the sign-in page,
        as a person would) and width; every page it loads is checked for English."""
        page = self.new_context(width=self.width, height=self.height).new_page()
        page.goto("/accounts/login/")
        if self.lang != "en":
            if self.phone:  # the language menu is behind "Menu" on a phone
                page.locator(".menu-toggle").click()
            page.select_option("#lang-select", self.lang)
            page.wait_for_load_state()
            expect(page.locator("html")).to_have_attribute("lang", self.lang)
        if self.lang == "nb":
            page.on("load", self._check)
        self.pages.append(page)
        return page

    def _check(self, page: Page) -> None:
        try:
            text = page.locator("body").inner_text(timeout=5_000)
        except PlaywrightError:  # the page moved on before it could be read
            return
        path = re.sub(r"^https?://[^/]+", "", page.url)
        self.checked.add(path.split("?")[0])
        for phrase in english_in(text):
            self.english.append(f"{path}: {phrase!r}")

    def check_now(self, page: Page) -> None:
        """Check a page changed in place (htmx) since it loaded."""
        if self.lang == "nb":
            self._check(page)

    def section(self, page: Page, label: str) -> None:
        """Open a section of the partnership's navigation (folded behind a button on a phone)."""
        toggle = page.locator(".sections-toggle")
        if toggle.is_visible() and toggle.get_attribute("aria-expanded") != "true":
            toggle.click()
        with page.expect_navigation():
            page.locator("nav.sections").get_by_role("link", name=label, exact=True).click()

    def tab(self, page: Page, label: str) -> None:
        with page.expect_navigation():
            page.locator("nav.subnav").get_by_role("link", name=label, exact=True).click()

    def my_work(self, page: Page) -> None:
        with page.expect_navigation():
            page.locator(".brand").click()

    def shot(self, page: Page, name: str) -> None:
        screenshot(page, f"walk-{name}-{self.tag}")


def accept_invitation(w: Walk, link: str, name: str, partnership: str) -> Page:
    """A person new to the site opens their invitation link and creates an account."""
    page = w.browser()
    page.goto(link)
    expect(page.get_by_role("heading", name=w.t("Join %(name)s", name=partnership))).to_be_visible()
    page.fill("#id_display_name", name)
    page.fill("#id_password1", NEW_PASSWORD)
    page.fill("#id_password2", NEW_PASSWORD)
    page.get_by_role("button", name=w.t("Create account and join")).click()
    expect(page.get_by_role("heading", level=1, name=partnership)).to_be_visible()
    return page


def send_invitation(w: Walk, page: Page, email: str) -> str:
    page.get_by_role("button", name=w.t("Send invitation")).click()
    expect(page.get_by_text(w.t("Invitation sent to %(email)s.", email=email))).to_be_visible()
    return page.locator("#invite-link").input_value()


def health_check_links(mail: str, email: str) -> list[str]:
    """The answer links in the emails sent to ``email`` (the console email backend prints
    each message's headers before its body)."""
    mail = mail.replace("=\n", "").replace("=3D", "=")
    links = []
    for message in re.split(r"\n(?=Content-Type: )", mail):
        if re.search(rf"^To: {re.escape(email)}$", message, re.M):
            links += re.findall(r"/healthchecks/answer/#[\w-]+", message)
    return links


@pytest.mark.parametrize(("lang", "size", "place"), WALKS)
def test_a_new_convener_walks_the_first_month(new_context, sent_mail, lang, size, place):
    w = Walk(new_context, lang, size)
    t = w.t
    name = f"Repair Network {place}{RUN}"
    new_org = f"Reparasjonsverkstedet {place}{RUN}"
    slug_tag = w.tag.replace("-", ".") + RUN.replace(" ", ".")
    signe_email = f"signe.{slug_tag}@byggevarebanken.example"
    runa_email = f"runa.{slug_tag}@reparasjon.example"

    convener = w.browser()
    sign_in(convener, "ingrid@fjordvik.example")

    # Day 1: start the partnership.
    convener.get_by_role("link", name=t("Start a partnership")).first.click()
    convener.fill("#id_name", name)
    convener.fill("#id_purpose", "Repair cafés, tool libraries and reuse shops working as one.")
    convener.fill("#id_trigger", "Repairable goods end up in residual waste.")
    convener.fill("#id_objectives", "Ten repair points open every week by the summer.")
    convener.get_by_role("button", name=t("Save"), exact=True).click()
    expect(convener.get_by_role("heading", level=1, name=name)).to_be_visible()
    overview = convener.url

    # Week 1: invite a partner's signatory. The convener knows the organisation as "the
    # building-materials bank": typing part of the name lists it under the box.
    w.section(convener, t("People and partners"))
    convener.get_by_role("link", name=t("Invite someone")).click()
    expect(convener.get_by_role("heading", level=1, name=t("Invite people"))).to_be_visible()
    convener.fill("#id_email", signe_email)
    convener.select_option("#id_kind", "representative")
    box = convener.locator("#id_organisation")
    box.press_sequentially("varebank")
    matches = convener.locator("#id_organisation_matches")
    choice = matches.get_by_role("option").filter(has_text="Byggevarebanken SA")
    expect(choice).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    w.shot(convener, "picker")
    choice.click()
    expect(box).to_have_value("Byggevarebanken SA")
    expect(matches.get_by_role("option")).to_have_count(0)
    convener.select_option("#id_representative_kind", "decision_maker")
    convener.get_by_label(t("Authorised to sign agreements for the organisation")).check()
    signe_link = send_invitation(w, convener, signe_email)
    recent = convener.locator("li", has_text=signe_email)
    expect(recent).to_contain_text(t("Partner representative"))
    expect(recent).to_contain_text("Byggevarebanken SA")

    # A second partner is not in the directory yet. A name only a legal form away from a
    # listed organisation is caught as a duplicate; a truly new one asks for its sector.
    convener.fill("#id_email", runa_email)
    convener.select_option("#id_kind", "representative")
    convener.fill("#id_organisation", "Brattli Bygg SA")
    convener.select_option("#id_representative_kind", "doer")
    convener.get_by_role("button", name=t("Send invitation")).click()
    expect(convener.locator("main")).to_contain_text("Brattli Bygg AS")
    convener.fill("#id_organisation", new_org)
    convener.get_by_role("button", name=t("Send invitation")).click()
    expect(convener.locator("#id_new_sector")).to_be_visible()
    convener.select_option("#id_new_sector", label=t("Civil society / non-profit"))
    runa_link = send_invitation(w, convener, runa_email)
    expect(convener.locator("li", has_text=runa_email)).to_contain_text(new_org)
    assert not axe_violations(convener)

    signe = accept_invitation(w, signe_link, "Signe Byggmo", name)
    runa = accept_invitation(w, runa_link, "Runa Verksted", name)

    # Week 2: draft the memorandum of understanding between the two partners.
    convener.goto(overview)
    w.section(convener, t("Agreements and contributions"))
    w.tab(convener, t("Agreements"))
    convener.get_by_role("link", name=t("Draft an agreement")).first.click()
    convener.fill("#id_title", "MoU on repair points")
    convener.select_option("#id_template", "mou")
    convener.get_by_label("Byggevarebanken SA").check()
    convener.get_by_label(new_org).check()
    convener.get_by_role("button", name=t("Create the draft")).click()
    expect(convener.get_by_role("heading", level=1, name="MoU on repair points")).to_be_visible()
    agreement = convener.url

    # The page names each party's signatory, and the one that has none, and says why the
    # convener has no Ratify button.
    bank_row = convener.locator("tr", has_text="Byggevarebanken SA")
    expect(bank_row).to_contain_text("Signe Byggmo")
    new_row = convener.locator("tr", has_text=new_org)
    expect(new_row).to_contain_text(t("no signatory yet"))
    expect(convener.get_by_role("button", name=t("Ratify"), exact=True)).to_have_count(0)
    expect(convener.locator("#ratify-why")).to_be_visible()
    w.shot(convener, "agreement-guidance")
    assert not axe_violations(convener)

    # The convener follows "set one" to Runa's role and marks her as signatory.
    new_row.get_by_role("link", name=t("set one")).click()
    runa_role = convener.locator("#roles tr", has_text="Runa Verksted")
    runa_role.get_by_role("link", name=t("Edit")).click()
    convener.get_by_label(t("Authorised to sign agreements for the organisation")).check()
    convener.get_by_role("button", name=t("Save role")).click()
    expect(convener.locator("#roles tr", has_text="Runa Verksted")).to_contain_text(t("signatory"))

    # Week 3: each signatory ratifies from the agreement page.
    for page, organisation in ((signe, "Byggevarebanken SA"), (runa, new_org)):
        page.goto(agreement)
        form = page.locator("form.ratify-form")
        expect(form).to_be_visible()
        if form.locator("#id_organisation").count():
            page.select_option("#id_organisation", label=organisation)
        page.locator("#id_confirm").check()
        page.get_by_role("button", name=t("Ratify"), exact=True).click()
        expect(page.locator("tr", has_text=organisation)).not_to_contain_text(t("not yet"))
    convener.goto(agreement)
    expect(convener.locator(".page-header .badge").first).to_have_text(t("In force"))

    # Week 4: a vote and a task for Signe; both wait in her inbox, counted in the top bar.
    w.section(convener, t("Decisions and meetings"))
    w.tab(convener, t("Decisions"))
    convener.get_by_role("link", name=t("New proposal")).first.click()
    convener.fill("#id_title", "Open the repair points on Saturdays?")
    convener.select_option("#id_method", "majority")
    convener.fill("#id_quorum_percent", "0")
    convener.get_by_role("button", name=t("Open for votes")).click()
    vote_heading = convener.get_by_role(
        "heading", level=1, name="Open the repair points on Saturdays?"
    )
    expect(vote_heading).to_be_visible()
    proposal = convener.url

    w.tab(convener, t("Action plan"))
    convener.get_by_role("link", name=t("Add an action")).click()
    convener.fill("#id_title", "List the tools each repair point lends")
    convener.select_option("#id_owner", label="Signe Byggmo")
    due = datetime.date.today() + datetime.timedelta(days=10)
    convener.fill("#id_due_on", due.isoformat())
    convener.get_by_role("button", name=t("Save"), exact=True).click()
    expect(
        convener.get_by_role("heading", level=1, name="List the tools each repair point lends")
    ).to_be_visible()

    w.my_work(signe)
    inbox = signe.locator("section.inbox")
    expect(inbox.get_by_role("heading", level=2)).to_have_text(
        w.tn("%(n)s thing waits for you", "%(n)s things wait for you", 2)
    )
    vote = inbox.locator("#inbox-votes")
    expect(vote).to_contain_text("Open the repair points on Saturdays?")
    expect(vote).to_contain_text(name)
    action = inbox.locator("#inbox-actions")
    expect(action).to_contain_text("List the tools each repair point lends")
    expect(action).to_contain_text(f"{t('due')} {w.date(due)}")
    count = signe.locator(".menu-toggle" if w.phone else ".topnav #nav-count")
    expect(count).to_contain_text("2")
    w.check_now(signe)
    w.shot(signe, "my-work")
    assert not axe_violations(signe)

    # One click from the inbox to the ballot; then the convener closes the vote.
    vote.get_by_role("link", name="Open the repair points on Saturdays?").first.click()
    signe.get_by_label(t("Yes"), exact=True).check()
    signe.get_by_role("button", name=t("Cast my vote")).click()
    expect(signe.get_by_role("heading", name=t("Change your vote"))).to_be_visible()
    convener.goto(proposal)
    convener.get_by_role("button", name=t("Close the vote now")).click()
    expect(convener.locator("main .badge--ok", has_text=t("Adopted"))).to_be_visible()

    # A meeting held yesterday: agenda, attendance, minutes, circulated.
    w.tab(convener, t("Meetings"))
    convener.get_by_role("link", name=t("Plan a meeting")).click()
    convener.fill("#id_title", "First partners' meeting")
    yesterday = (datetime.date.today() - datetime.timedelta(days=1)).isoformat()
    convener.fill("#id_starts_at", f"{yesterday}T10:00")
    convener.fill("#id_ends_at", f"{yesterday}T12:00")
    convener.fill("#id_place", "Økern reuse hub")
    convener.get_by_role("button", name=t("Save"), exact=True).click()
    expect(convener.get_by_role("heading", level=1, name="First partners' meeting")).to_be_visible()
    meeting = convener.url
    convener.get_by_text(t("Add an item to the agenda")).click()
    item_form = convener.locator("form[action$='/items/add/']")
    item_form.locator("#id_title").fill("Saturday opening hours")
    item_form.get_by_role("button", name=t("Add item")).click()
    expect(convener.locator("main").get_by_text("Saturday opening hours").first).to_be_visible()
    convener.get_by_role("link", name=re.compile(t("attendance"), re.I)).first.click()
    rows = convener.locator("tbody tr")
    for i in range(rows.count()):
        rows.nth(i).locator("input[value=present]").check()
    convener.get_by_role("button", name=t("Save attendance")).click()
    convener.goto(meeting)
    convener.get_by_role("link", name=t("Minute this item")).first.click()
    convener.fill("#id_notes", "Volunteers can staff Saturdays from March.")
    convener.get_by_role("button", name=t("Save highlights")).click()
    convener.goto(meeting)
    expect(convener.get_by_text("Volunteers can staff Saturdays from March.")).to_be_visible()
    convener.get_by_role("button", name=t("Circulate the minutes")).click()
    expect(convener.locator("#minutes")).to_contain_text(t("Circulated"))

    # A measurement against a new indicator.
    w.section(convener, t("Results and story"))
    w.tab(convener, t("Indicators"))
    convener.get_by_role("link", name=t("New indicator")).first.click()
    convener.fill("#id_name", "Items repaired")
    convener.fill("#id_unit", "items")
    today = datetime.date.today()
    convener.fill("#id_baseline_value", "0")
    convener.fill("#id_baseline_date", today.isoformat())
    convener.fill("#id_target_value", "500")
    convener.fill("#id_target_date", today.replace(year=today.year + 1).isoformat())
    convener.get_by_role("button", name=t("Save indicator")).click()
    expect(convener.get_by_role("heading", level=1, name="Items repaired")).to_be_visible()
    convener.fill("#id_measured_on", datetime.date.today().isoformat())
    convener.fill("#id_value", "42")
    convener.fill("#id_note", "First month, all repair points")
    convener.get_by_role("button", name=t("Record"), exact=True).click()
    expect(convener.get_by_role("cell", name="First month, all repair points")).to_be_visible()

    # A health-check round: the survey waits in Signe's inbox; she answers from her email.
    w.tab(convener, t("Health check"))
    convener.get_by_role("link", name=t("Open a round")).click()
    convener.fill("#id_title", "First pulse")
    convener.fill("#id_period", "2026")
    convener.fill(
        "#id_closes_on", (datetime.date.today() + datetime.timedelta(days=14)).isoformat()
    )
    convener.get_by_role("button", name=t("Open the round and send the links")).click()
    expect(convener.get_by_role("button", name=t("Close the round"))).to_be_visible()
    round_url = convener.url
    w.my_work(signe)
    expect(signe.locator("#inbox-surveys")).to_contain_text("First pulse")
    w.check_now(signe)
    links = health_check_links(
        sent_mail(until=lambda mail: health_check_links(mail, signe_email)), signe_email
    )
    assert links, f"no health-check email to {signe_email}"
    signe.goto(links[-1])
    expect(signe.get_by_role("button", name=t("Send my answers"))).to_be_visible()
    questions = signe.locator(".hc-question")
    for i in range(questions.count()):
        questions.nth(i).locator("input[type=radio]").nth(3).check()
    signe.get_by_role("button", name=t("Send my answers")).click()
    expect(signe.locator("main")).to_contain_text(
        t("Your answers are in. They were stored without your name, and your link no longer works.")
    )
    convener.goto(round_url)
    convener.get_by_role("button", name=t("Close the round")).click()
    expect(convener.get_by_role("button", name=t("Close the round"))).to_have_count(0)

    # The record of the month, as the partners read it.
    convener.goto(overview)
    w.section(convener, t("Results and story"))
    w.tab(convener, t("Story"))
    expect(convener.locator("main")).to_contain_text(name)
    w.section(convener, t("Overview"))
    w.tab(convener, t("Audit log"))
    expect(convener.locator("main")).to_contain_text("MoU on repair points")
    w.shot(convener, "audit")
    runa.goto(overview)
    runa.wait_for_load_state("networkidle")  # the overview's panels arrive after the page
    w.check_now(runa)
    w.shot(runa, "overview")

    if w.lang == "nb":
        assert len(w.checked) >= 20, sorted(w.checked)
    assert not w.english, "English generated text on Norwegian pages:\n" + "\n".join(
        dict.fromkeys(w.english)
    )
