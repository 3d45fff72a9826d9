"""The attacker's side of health-check anonymity (issue 23).

Each test plays someone trying to learn what one person answered:

1. a member who collects every published figure of a round (page, CSV, API, PDF) and
   subtracts them from one another, looking for a group of 1 to 4 people;
2. a manager or an admin who reads everything before and after one more person answers;
3. an operator with the database files, the audit log and the access log who tries to
   tie the 12 responses of a round to the 12 people who gave them.

Each attack is also run against a weakened application (the old suppression rule, no
shuffle and no secure deletion), where it must succeed: the tests can fail.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import logging
import re
import secrets
import sqlite3
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from itertools import combinations
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from lxml import html as lxml_html

from commonground.accounts.models import hash_secret
from commonground.accounts.tests.factories import UserFactory
from commonground.core import anonymity
from commonground.core.models import AuditEvent, PendingScrub
from commonground.core.testing import build_world, wait_for_other_snapshots
from commonground.healthchecks import selectors, services
from commonground.healthchecks.models import (
    Answer,
    Invitation,
    Response,
    RoundItem,
    SealedResponse,
)
from commonground.healthchecks.tests.factories import add_responses, open_round
from commonground.organisations.models import Sector
from commonground.organisations.tests.factories import OrganisationFactory
from commonground.partnerships.models import RoleKind
from commonground.partnerships.tests.factories import RoleFactory

MIN = selectors.MIN_RESPONSES
LABELS = {str(label): key for key, label in Sector.choices} | {"—": ""}


def _members(world: Any, sectors: list[str], prefix: str = "attack") -> list[Any]:
    """One member person per entry, whose organisation is of that sector ("" for none)."""
    orgs: dict[str, Any] = {}
    people = []
    for i, sector in enumerate(sectors):
        org = None
        if sector:
            org = orgs.get(sector) or OrganisationFactory(name=f"{prefix} {sector}", sector=sector)
            orgs[sector] = org
        person = UserFactory(email=f"{prefix}{i}@example.org", organisation=org)
        RoleFactory(partnership=world.partnership, user=person, kind=RoleKind.OBSERVER)
        people.append(person)
    return people


def _answer(client: Client, token: str, data: dict[str, Any] | None = None) -> Any:
    """What the answer page's script does with the code from the link's fragment."""
    body = {"_link": token}
    if data is not None:
        body.update(data, _send="1")
    return client.post(reverse("healthchecks_global:answer"), body)


# --- 1. the subtraction attacker --------------------------------------------------------

Figure = tuple[int, int]  # (people, sum of their scores)


@dataclass
class Breakdown:
    """What one source publishes about one item."""

    total: list[Figure] = field(default_factory=list)  # from mean x n, and from the distribution
    shown: dict[str, Figure] = field(default_factory=dict)
    hidden: set[str] = field(default_factory=set)

    @property
    def groups(self) -> frozenset[str]:
        return frozenset(self.shown) | frozenset(self.hidden)


def _sum(mean: str, n: int) -> int:
    """The attacker's sum: mean x n, rounded to the nearest integer (means have 2 decimals)."""
    return int((Decimal(mean) * n).to_integral_value(rounding=ROUND_HALF_UP))


def _from_dist(counts: list[int]) -> Figure:
    return sum(counts), sum(score * c for score, c in zip((1, 2, 3, 4, 5), counts, strict=True))


CELL = re.compile(r"^(?P<label>.*): (?:(?P<hidden>hidden)|(?P<mean>\d+\.\d+) \((?P<n>\d+)\))$")


def _cell(text: str, out: Breakdown) -> None:
    m = CELL.match(" ".join(text.split()))
    assert m, f"unreadable sector cell {text!r}"
    group = LABELS[m["label"]]
    if m["hidden"]:
        out.hidden.add(group)
    else:
        out.shown[group] = (int(m["n"]), _sum(m["mean"], int(m["n"])))


def parse_page(body: str, keys: dict[str, str]) -> dict[str, Breakdown]:
    doc = lxml_html.fromstring(body)
    out: dict[str, Breakdown] = {}
    for tr in doc.xpath("//table[contains(@class, 'hc-table')]/tbody/tr"):
        tds = tr.xpath("./td")
        if len(tds) < 5:
            continue  # "fewer than 5 answers: not shown"
        key = keys[tds[0].text_content().strip()]
        n, mean = int(tds[1].text_content()), tds[2].text_content().strip()
        dist = [int(s.text_content()) for s in tds[4].xpath(".//span[contains(@class, '__cell')]")]
        out[key] = Breakdown(total=[(n, _sum(mean, n)), _from_dist(dist)])
    for tr in doc.xpath("//tr[td/span[@class='hc-cell']]"):
        key = keys[tr.xpath("./td")[0].text_content().strip()]
        for span in tr.xpath(".//span[@class='hc-cell']"):
            _cell(span.text_content(), out[key])
    # The chart repeats the means: they must be the ones of the table.
    script = doc.xpath("//script[@id='hc-means-data']")
    if script:
        chart = json.loads(script[0].text_content())
        for label, mean in zip(chart["labels"], chart["current"], strict=True):
            n, total = out[keys[label]].total[0]
            assert _sum(mean, n) == total
    return out


def parse_pdf_html(body: str, keys: dict[str, str]) -> dict[str, Breakdown]:
    doc = lxml_html.fromstring(body)
    out: dict[str, Breakdown] = {}
    for tr in doc.xpath("//table[thead]/tbody/tr"):
        tds = tr.xpath("./td")
        if len(tds) < 5:
            continue
        key = keys[tds[0].text_content().strip()]
        n, mean = int(tds[1].text_content()), tds[2].text_content().strip()
        dist = [int(c) for c in tds[4].text_content().split("·")]
        out[key] = Breakdown(total=[(n, _sum(mean, n)), _from_dist(dist)])
    for tr in doc.xpath("//table[not(thead)]/tbody/tr"):
        tds = tr.xpath("./td")
        key = keys[tds[0].text_content().strip()]
        for part in tds[1].text_content().split("; "):
            _cell(part, out[key])
    return out


def parse_csv(body: str) -> dict[str, Breakdown]:
    rows = list(csv.DictReader(io.StringIO(body)))
    out: dict[str, Breakdown] = {}
    for row in rows:
        if row["group"] == "all" and row["n"]:
            n = int(row["n"])
            dist = [int(row[s]) for s in "12345"]
            out[row["key"]] = Breakdown(total=[(n, _sum(row["mean"], n)), _from_dist(dist)])
    for row in rows:
        if row["group"] != "all" and row["key"] in out:
            if row["n"]:
                n = int(row["n"])
                out[row["key"]].shown[row["group"]] = (n, _sum(row["mean"], n))
            else:
                out[row["key"]].hidden.add(row["group"])
    return out


def parse_api(data: dict[str, Any]) -> dict[str, Breakdown]:
    out: dict[str, Breakdown] = {}
    for item in data["items"]:
        if item["suppressed"]:
            continue
        n = item["n"]
        dist = [item["distribution"][str(s)] for s in (1, 2, 3, 4, 5)]
        b = out[item["key"]] = Breakdown(total=[(n, _sum(item["mean"], n)), _from_dist(dist)])
        for cell in item["sectors"]:
            if cell["hidden"]:
                b.hidden.add(cell["sector"])
            else:
                b.shown[cell["sector"]] = (cell["n"], _sum(cell["mean"], cell["n"]))
    return out


def attacker(sources: dict[str, dict[str, Breakdown]]) -> list[tuple[str, frozenset[str], Figure]]:
    """Every figure that subtraction (and addition) of published figures gives, per item,
    over all sources combined; returns those that cover 1 to 4 people."""
    leaks = []
    items = set().union(*(s.keys() for s in sources.values()))
    for key in sorted(items):
        known: dict[frozenset[str], set[Figure]] = {}
        universe = frozenset().union(*(s[key].groups for s in sources.values() if key in s))
        for source in sources.values():
            published = source.get(key)
            if published is None:
                continue
            for fig in published.total:
                known.setdefault(universe, set()).add(fig)
            for group, fig in published.shown.items():
                known.setdefault(frozenset({group}), set()).add(fig)
        # The item total minus every subset of shown groups, and every difference of two
        # figures whose groups nest, until nothing new comes out.
        while True:
            new: dict[frozenset[str], set[Figure]] = {}
            for (a, fa), (b, fb) in combinations(list(known.items()), 2):
                for (big, fbig), (small, fsmall) in (((a, fa), (b, fb)), ((b, fb), (a, fa))):
                    if small < big:
                        derived = {(n1 - n2, s1 - s2) for n1, s1 in fbig for n2, s2 in fsmall}
                        new.setdefault(big - small, set()).update(derived)
                if not a & b:
                    added = {(n1 + n2, s1 + s2) for n1, s1 in fa for n2, s2 in fb}
                    new.setdefault(a | b, set()).update(added)
            grown = False
            for groups, figs in new.items():
                if not figs <= known.get(groups, set()):
                    known.setdefault(groups, set()).update(figs)
                    grown = True
            if not grown:
                break
        for groups, figs in known.items():
            leaks += [(key, groups, fig) for fig in figs if 0 < fig[0] < MIN]
    return leaks


def old_suppress_cells(counts: dict[str, int], threshold: int = MIN) -> set[str]:
    """The rule before issue 23: hide cells under 5; if exactly one is hidden, also the
    next smallest."""
    hidden = {k for k, n in counts.items() if n < threshold}
    if len(hidden) == 1 and len(counts) > 1:
        shown = sorted((n, k) for k, n in counts.items() if k not in hidden)
        hidden.add(shown[0][1])
    return hidden


# Per case: sector of each person; the old rule's leak sizes (trust and platform).
CASES = {
    "four_sectors": (["public"] * 6 + ["civil"] * 6 + ["private"] * 2 + ["funder"], {3}),
    # ties between shown groups, and many groups of one (one of them without a sector)
    "ties_and_tiny_groups": (
        ["public"] * 5 + ["civil"] * 5 + ["knowledge"] * 5 + ["private", "funder", "residents", ""],
        {4},
    ),
}


def _published_round(world: Any, sectors: list[str]) -> tuple[Any, list[dict[str, Any]]]:
    """A published round with known answers: everyone scores "trust", everyone but the
    first person "platform" (so the groups differ between items), some comment."""
    manager = world.users["manager"]
    rnd, _tokens = open_round(world.partnership, manager, notify=False)
    answers = []
    for i, _sector in enumerate(sectors):
        given: dict[str, Any] = {"trust": 1 + (i * 7) % 5}
        if i:
            given["platform"] = 1 + (i * 3) % 5
        if i % 3 == 0:
            given["comments"] = f"comment {i}"
        answers.append(given)
    add_responses(rnd, answers, sectors=sectors)
    services.round_publish(actor=manager, round=rnd)
    rnd.refresh_from_db()
    return rnd, answers


def _every_source(world: Any, rnd: Any, client: Client, monkeypatch: Any) -> dict[str, Any]:
    kwargs = {"slug": world.partnership.slug, "pk": rnd.pk}
    keys = {t: k for k, t in RoundItem.objects.filter(round=rnd).values_list("key", "text")}
    pdf_html: list[str] = []

    def capture(html: str, stylesheets: Any = None) -> bytes:
        pdf_html.append(html)
        return b"%PDF-1.7 captured"

    monkeypatch.setattr("commonground.core.pdf.render_pdf", capture)
    page = client.get(rnd.get_absolute_url())
    csv_resp = client.get(reverse("healthchecks:round_export_csv", kwargs=kwargs))
    api = client.get(reverse("api:healthchecks_results", kwargs=kwargs))
    pdf = client.get(reverse("healthchecks:round_report_pdf", kwargs=kwargs))
    for r in (page, csv_resp, api, pdf):
        assert r.status_code == 200
    return {
        "page": parse_page(page.content.decode(), keys),
        "csv": parse_csv(csv_resp.content.decode()),
        "api": parse_api(api.json()),
        "pdf": parse_pdf_html(pdf_html[0], keys),
    }


def _truth(sectors: list[str], answers: list[dict[str, Any]], key: str, groups: frozenset[str]):
    scores = [a[key] for s, a in zip(sectors, answers, strict=True) if s in groups and key in a]
    return len(scores), sum(scores)


@pytest.mark.django_db
@pytest.mark.parametrize("case", sorted(CASES))
def test_subtraction_attacker_finds_nobody_in_any_breakdown_or_export(
    case, world, client_for, monkeypatch
):
    sectors, _old_leaks = CASES[case]
    rnd, answers = _published_round(world, sectors)
    sources = _every_source(world, rnd, client_for("observer"), monkeypatch)
    # Every source publishes the same items, the same figures and hides the same groups.
    assert set(sources["page"]) == {"trust", "platform"}
    for name, source in sources.items():
        assert set(source) == set(sources["page"]), name
        for key, b in source.items():
            ref = sources["page"][key]
            assert (b.hidden, b.shown) == (ref.hidden, ref.shown), (name, key)
            assert set(b.total) == set(ref.total) and len(set(b.total)) == 1, (name, key)
            assert b.groups == frozenset(
                s for s, a in zip(sectors, answers, strict=True) if key in a
            )
            assert b.hidden, "the case must hide something, or it tests nothing"
    assert attacker(sources) == []


@pytest.mark.django_db
@pytest.mark.parametrize("case", sorted(CASES))
def test_subtraction_attacker_works_against_the_old_rule(case, world, client_for, monkeypatch):
    """The same attacker against the rule before issue 23 recovers a small group's answers."""
    sectors, old_leaks = CASES[case]
    monkeypatch.setattr(selectors, "suppress_cells", old_suppress_cells)
    rnd, answers = _published_round(world, sectors)
    sources = _every_source(world, rnd, client_for("observer"), monkeypatch)
    for name, source in sources.items():
        for key, b in source.items():
            assert b.hidden == sources["page"][key].hidden, (name, key)
    leaks = attacker(sources)
    assert {fig[0] for _key, _groups, fig in leaks} == old_leaks
    for key, groups, fig in leaks:
        # what the attacker worked out is what those people really answered
        assert fig == _truth(sectors, answers, key, groups)
    if case == "four_sectors":
        private_and_funder = frozenset({"private", "funder"})
        assert any(k == "trust" and g == private_and_funder for k, g, _f in leaks)


# --- 2. differencing while the round is open -------------------------------------------


def _fetch_all(client: Client, world: Any, rnd: Any, monkeypatch: Any) -> dict[str, Any]:
    kwargs = {"slug": world.partnership.slug, "pk": rnd.pk}
    rendered: list[str] = []

    def capture(html: str, stylesheets: Any = None) -> bytes:
        rendered.append(html)
        return b"%PDF-1.7 captured"

    monkeypatch.setattr("commonground.core.pdf.render_pdf", capture)
    urls = {
        "page": rnd.get_absolute_url(),
        "list": reverse("healthchecks:round_list", kwargs={"slug": world.partnership.slug}),
        "rate": reverse("healthchecks:round_rate", kwargs=kwargs),
        "csv": reverse("healthchecks:round_export_csv", kwargs=kwargs),
        "pdf": reverse("healthchecks:round_report_pdf", kwargs=kwargs),
        "api": reverse("api:healthchecks_results", kwargs=kwargs),
    }
    out = {name: client.get(url) for name, url in urls.items()}
    assert not rendered, "no report is made while the round is open"
    return out


def _strip(body: str, answered: int, invited: int) -> str:
    """Leave out the CSRF tokens and the number of answers (and its percentage)."""
    body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "CSRF", body)
    body = re.sub(r'"X-CSRFToken": "[^"]+"', "CSRF", body)
    percent = selectors.pct(answered, invited)
    body = re.sub(rf"\b{answered} / {invited}\b", "ANSWERED / INVITED", body)
    body = re.sub(rf'value="{percent}"', 'value="PERCENT"', body)
    return re.sub(rf"\b{percent}%", "PERCENT%", body)


@pytest.mark.django_db
def test_differencing_while_open_shows_only_the_count(world, client_for, monkeypatch):
    people = [
        world.users["observer"],
        world.users["representative"],
        *_members(world, ["public", "public", "civil", "private", "funder"]),
    ]
    manager = world.users["manager"]
    rnd, tokens = open_round(world.partnership, manager, notify=False)
    invited = Invitation.objects.filter(round=rnd).count()
    assert invited == 8
    given = [
        {"trust": str(1 + i % 5), "platform": str(5 - i % 5), "comments": f"said by number {i}"}
        for i in range(6)
    ]
    for person, data in zip(people[:5], given, strict=False):
        assert _answer(Client(), tokens[person.pk], data).status_code == 200
    viewers = {role: client_for(role) for role in ("manager", "admin", "observer")}
    before = {role: _fetch_all(c, world, rnd, monkeypatch) for role, c in viewers.items()}
    # one more person answers, through the real page
    assert _answer(Client(), tokens[people[5].pk], given[5]).status_code == 200
    assert SealedResponse.objects.filter(round=rnd).count() == 6
    after = {role: _fetch_all(c, world, rnd, monkeypatch) for role, c in viewers.items()}

    for role in viewers:
        for name in before[role]:
            b, a = before[role][name], after[role][name]
            assert b.status_code == a.status_code, (role, name)
            if name in ("csv", "pdf", "api"):
                assert a.status_code == 404, (role, name)
            body_b, body_a = b.content.decode(), a.content.decode()
            for text in ("said by number", "hc-dist", "hc-cell", "Question by question"):
                assert text not in body_a and text not in body_b, (role, name, text)
            assert _strip(body_b, 5, invited) == _strip(body_a, 6, invited), (role, name)
    # The managers do see the count (so the comparison above had something to strip)...
    for role in ("manager", "admin"):
        assert "5 / 8" in before[role]["rate"].content.decode()
        assert "6 / 8" in after[role]["rate"].content.decode()
        assert "6 / 8" in after[role]["page"].content.decode()
    assert "6 / 8" in after["manager"]["list"].content.decode()
    # ...and a member does not even get the live count.
    assert after["observer"]["rate"].status_code in (403, 404)


# --- 3. linking responses to people ----------------------------------------------------

ORDER_SQL = {"sqlite": "rowid", "postgresql": "ctid"}


def _decode(score_a: int, score_b: int) -> int:
    return (score_b - 1) * 5 + (score_a - 1)


def _raw_sqlite() -> bytes:
    from pathlib import Path

    name = Path(connection.settings_dict["NAME"])
    data = b""
    for path in (name, name.with_name(name.name + "-wal")):
        if path.exists():
            data += path.read_bytes()
    return data


def _pg_superuser() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        return bool(cursor.fetchone()[0])


def _pg_file(path: str) -> bytes:
    with connection.cursor() as cursor:
        cursor.execute("CHECKPOINT")  # the table's pages reach its file
        cursor.execute("SELECT size FROM pg_stat_file(%s, true)", [path])
        size = cursor.fetchone()[0]
        if not size:
            return b""  # gone (or emptied) with the old table
        cursor.execute("SELECT pg_read_binary_file(%s, 0, %s, true)", [path, size])
        row = cursor.fetchone()
    return bytes(row[0]) if row[0] is not None else b""


def _pg_sealed_path() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_relation_filepath('healthchecks_sealedresponse')")
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("defences", ["on", "off"])
def test_linking_attack_on_a_round_of_twelve(defences, monkeypatch, caplog):
    """Twelve people answer one after another; the operator then has the access log, every
    log line, the audit log and the database (rows in storage order and raw file bytes).

    With the defences "off" (no shuffle at close, a plain delete without scrub) the same
    attack lines every response up with its person and finds the sealed answers in the
    file: the test can fail."""
    if defences == "off":
        monkeypatch.setattr(anonymity, "shuffled", list)
        monkeypatch.setattr(anonymity, "scrub", lambda table: None)
        monkeypatch.setattr(anonymity, "secure_delete", lambda qs: qs.delete()[0])
    caplog.set_level(logging.DEBUG)
    for name in ("commonground", "commonground.security", "django", "django.request"):
        caplog.set_level(logging.DEBUG, logger=name)
    vendor = connection.vendor
    world = build_world()
    sectors = ["public", "public", "civil", "private", "funder", "", "knowledge", "civil", "public"]
    _members(world, sectors, prefix="linked")
    manager = world.users["manager"]
    rnd, tokens = services.round_open(
        actor=manager,
        partnership=world.partnership,
        title="Health check 2026",
        period="2026",
        closes_on=datetime.date.today() + datetime.timedelta(days=14),
        notify=False,
    )
    assert len(tokens) == 12
    # The order of answering is not the order of invitation (nor of user ids).
    by_id = sorted(tokens)
    order = [by_id[k] for k in (5, 0, 11, 3, 8, 1, 10, 6, 2, 9, 4, 7)]
    nonce = secrets.token_hex(4)  # so bytes left by another test can never match
    # An answer set as the sealed table stores it: SQLite keeps the JSON as text (the
    # quotes and bracket tell it from the released Answer.text, in the same file);
    # PostgreSQL keeps jsonb, whose strings are plain bytes, in the sealed table's own file.
    template = '"answer-{i:02d}-{nonce}"]' if vendor == "sqlite" else "answer-{i:02d}-{nonce}"
    sealed_marks = [template.format(i=i, nonce=nonce).encode() for i in range(12)]
    access_log: list[str] = []
    events_before = AuditEvent.objects.count()
    for i, user_id in enumerate(order):
        browser = Client()
        data = {
            "trust": str(i % 5 + 1),
            "platform": str(i // 5 + 1),
            "comments": f"answer-{i:02d}-{nonce}",
        }
        for response in (
            browser.get(reverse("healthchecks_global:answer")),
            _answer(browser, tokens[user_id]),
            _answer(browser, tokens[user_id], data),
        ):
            assert response.status_code == 200
            access_log.append(
                response.request["PATH_INFO"] + "?" + response.request.get("QUERY_STRING", "")
            )
        assert b"Thank" in response.content
    assert AuditEvent.objects.count() == events_before, "an audit event per answer"
    # Before the close the sealed answers are in the file: the byte reader does see them.
    if vendor == "sqlite":
        assert any(mark in _raw_sqlite() for mark in sealed_marks)
    pg_bytes = vendor == "postgresql" and _pg_superuser()
    if pg_bytes:
        sealed_file = _pg_sealed_path()
        assert any(mark in _pg_file(sealed_file) for mark in sealed_marks)

    if pg_bytes:
        wait_for_other_snapshots()
    closer = Client()
    closer.force_login(manager)
    closed = closer.post(
        reverse("healthchecks:round_close", kwargs={"slug": world.partnership.slug, "pk": rnd.pk})
    )
    assert closed.status_code == 302
    assert SealedResponse.objects.count() == 0 and Response.objects.count() == 12

    # (a) no code, nor its hash, in any URL or log line
    logged = [r.getMessage() for r in caplog.records] + [repr(r.args) for r in caplog.records]
    for code in tokens.values():
        for secret in (code, hash_secret(code)):
            assert not any(secret in line for line in access_log)
            assert not any(secret in line for line in logged)
    assert set(access_log) == {reverse("healthchecks_global:answer") + "?"}
    assert not any(f"answer-{i:02d}-{nonce}" in line for line in logged for i in range(12))

    # (b) storage order, audit log and times
    order_by = ORDER_SQL[vendor]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id FROM healthchecks_response WHERE round_id = %s ORDER BY {order_by}",
            [rnd.pk],
        )
        stored = [str(row[0]).replace("-", "") for row in cursor.fetchall()]
        cursor.execute(
            f"SELECT response_id, item_id, score, text FROM healthchecks_answer ORDER BY {order_by}"
        )
        answer_rows = cursor.fetchall()
        cursor.execute(
            f"SELECT user_id FROM healthchecks_invitation WHERE round_id = %s ORDER BY {order_by}",
            [rnd.pk],
        )
        invitation_order = [row[0] for row in cursor.fetchall()]
    items = dict(RoundItem.objects.filter(round=rnd).values_list("pk", "key"))
    per_response: dict[str, dict[str, Any]] = {}
    first_seen: list[str] = []
    for response_id, item_id, score, text in answer_rows:
        rid = str(response_id).replace("-", "")
        if rid not in per_response:
            first_seen.append(rid)
        per_response.setdefault(rid, {})[items[item_id]] = text or score
    index_of = {}
    for rid, got in per_response.items():
        i = _decode(got["trust"], got["platform"])
        assert got["comments"] == f"answer-{i:02d}-{nonce}"
        index_of[rid] = i
    assert set(index_of.values()) == set(range(12))
    response_orders = {
        "responses in storage order": [index_of[r] for r in stored],
        "responses by their first answer in storage order": [index_of[r] for r in first_seen],
    }
    position = {user_id: i for i, user_id in enumerate(order)}
    person_orders = {
        "order of answering (access log)": list(range(12)),
        "invitations in storage order": [position[u] for u in invitation_order],
    }
    lined_up = [
        (p, r, direction)
        for p, people in person_orders.items()
        for r, responses in response_orders.items()
        for direction, seq in (("forward", responses), ("reversed", responses[::-1]))
        if seq == people
    ]
    if defences == "on":
        assert lined_up == [], f"responses line up with people: {lined_up}"
    else:
        assert (
            "order of answering (access log)",
            "responses in storage order",
            "forward",
        ) in lined_up
    # no audit event per answer (only the round's own events), no time in a response
    verbs = list(AuditEvent.objects.values_list("verb", flat=True))
    assert not [v for v in verbs if "response" in v or "answer" in v]
    assert sorted(v for v in verbs if v.startswith("healthcheck.round")) == [
        "healthcheck.round_close",
        "healthcheck.round_open",
    ]
    with connection.cursor() as cursor:
        for model in (Response, Answer):
            table = model._meta.db_table
            for col in connection.introspection.get_table_description(cursor, table):
                kind = connection.introspection.get_field_type(col.type_code, col)
                assert not re.search("Date|Time", kind), f"{table}.{col.name} is {kind}"
            cursor.execute(f"SELECT * FROM {table}")
            for row in cursor.fetchall():
                assert not any(re.search(r"\d\d:\d\d|\d{4}-\d\d-\d\d", str(v)) for v in row)

    # (c) the raw database bytes no longer hold any sealed answer set
    if vendor == "sqlite":
        file_bytes = _raw_sqlite()
        found = [m for m in sealed_marks if m in file_bytes]
    elif pg_bytes:
        file_bytes = _pg_file(sealed_file) + _pg_file(_pg_sealed_path())
        found = [m for m in sealed_marks if m in file_bytes]
    else:
        found = None  # not a superuser: the file cannot be read from here
    if found is not None:
        if defences == "on":
            assert found == [], f"sealed answers left in the database files: {found[:3]}"
        else:
            assert found, "without the scrub the sealed answers stay in the file"


@pytest.mark.django_db(transaction=True)
def test_secure_deletion_with_a_reader_open_at_the_close():
    """A backup (pg_dump, sqlite3 .backup), a long export or any other request that is
    reading when the round closes holds a snapshot older than the delete of the sealed
    rows. The scrub cannot finish then (SQLite: the checkpoint cannot pass the reader;
    PostgreSQL: VACUUM FULL would copy the rows the snapshot still sees): it is
    remembered, not silently skipped, and once the reader has ended the scheduled
    ``scrub_sealed`` leaves nothing in the database files."""
    world = build_world()
    manager = world.users["manager"]
    rnd, tokens = open_round(world.partnership, manager, notify=False)
    nonce = secrets.token_hex(4)
    for i, code in enumerate(tokens.values()):
        data = {"trust": "3", "comments": f"reader-{i}-{nonce}"}
        assert _answer(Client(), code, data).status_code == 200
    if connection.vendor == "sqlite":
        mark = f'"reader-0-{nonce}"]'.encode()
        assert mark in _raw_sqlite()
        reader = sqlite3.connect(connection.settings_dict["NAME"], isolation_level=None)
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM healthchecks_round").fetchall()
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA busy_timeout = 200")  # the close would wait 20 s for it
        try:
            services.round_close(actor=manager, round=rnd)
            assert PendingScrub.objects.count() == 1  # remembered, not lost
            assert mark in _raw_sqlite()
            call_command("scrub_sealed", verbosity=0)
            assert PendingScrub.objects.count() == 1  # the reader is still there
        finally:
            reader.execute("ROLLBACK")
            reader.close()
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA busy_timeout = 20000")
        call_command("scrub_sealed", verbosity=0)
        assert PendingScrub.objects.count() == 0
        left = mark in _raw_sqlite()
    else:
        if not _pg_superuser():
            pytest.skip("reading the table's file needs a superuser")
        import psycopg

        mark = f"reader-0-{nonce}".encode()
        assert mark in _pg_file(_pg_sealed_path())
        # A session that holds an old snapshot (it began before the close) ...
        snapshot = psycopg.connect(**connection.get_connection_params())
        snapshot.execute("BEGIN ISOLATION LEVEL REPEATABLE READ")
        snapshot.execute("SELECT count(*) FROM healthchecks_round").fetchall()
        # ... and one that also holds the sealed table, as pg_dump holds every table.
        backup = psycopg.connect(**connection.get_connection_params())
        backup.execute("BEGIN ISOLATION LEVEL REPEATABLE READ")
        backup.execute("SELECT count(*) FROM healthchecks_sealedresponse").fetchall()
        try:
            services.round_close(actor=manager, round=rnd)
            assert PendingScrub.objects.count() == 1  # remembered, not lost
            call_command("scrub_sealed", verbosity=0)
            assert PendingScrub.objects.count() == 1  # the backup still holds the table
            backup.rollback()
            # The old snapshot alone does not hold the scrub back: the table gets a new
            # file whatever that snapshot could still see.
            call_command("scrub_sealed", verbosity=0)
            assert PendingScrub.objects.count() == 0
            left = mark in _pg_file(_pg_sealed_path())
        finally:
            backup.rollback()
            backup.close()
            snapshot.rollback()
            snapshot.close()
    assert SealedResponse.objects.count() == 0
    assert not left, "the sealed answers are still in the database files"
