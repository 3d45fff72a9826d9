"""Design elements: versions, differences and the concurrent-edit rule."""

from __future__ import annotations

import datetime
import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from commonground.method import services
from commonground.method.models import DesignElementRecord, DesignElementVersion
from commonground.method.richtext import render_markdown, word_diff


def save(world, who="manager", base=0, text="Draft", **kw):
    return services.element_save(
        actor=world.user(who),
        partnership=world.partnership,
        element="shared_vision",
        base_version=base,
        text=text,
        status=kw.pop("status", "draft"),
        **kw,
    )


def test_every_save_is_a_version_with_who_and_when(world):
    save(world, text="Less waste.")
    save(world, who="representative", base=1, text="Less waste, more jobs.", change_note="Jobs")
    record = save(
        world,
        base=2,
        text="Less waste, more jobs.",
        status="agreed",
        agreed_by="All partners",
        agreed_on=datetime.date(2026, 3, 1),
        revisit_on=datetime.date(2027, 3, 1),
    )
    assert record.version == 3
    versions = list(record.versions.order_by("number"))
    assert [v.number for v in versions] == [1, 2, 3]
    assert versions[1].author == world.user("representative")
    assert versions[1].change_note == "Jobs"
    assert versions[2].status == "agreed" and versions[2].agreed_by == "All partners"
    assert all(v.created_at for v in versions)


def test_saving_the_same_content_makes_no_new_version(world):
    save(world, text="Same")
    record = save(world, base=1, text="Same")
    assert record.version == 1
    assert DesignElementVersion.objects.count() == 1


def test_stale_save_is_refused_and_nothing_is_written(world):
    save(world, text="First")
    save(world, who="representative", base=1, text="Second by Rita")
    with pytest.raises(services.StaleElementError) as exc:
        save(world, base=1, text="Mona's edit based on the first")
    assert exc.value.record.version == 2
    assert exc.value.record.text == "Second by Rita"
    assert DesignElementRecord.objects.get().text == "Second by Rita"
    assert DesignElementVersion.objects.count() == 2


def test_agreed_needs_text_and_who(world):
    with pytest.raises(ValidationError) as exc:
        save(world, text="", status="agreed")
    assert set(exc.value.message_dict) == {"text", "agreed_by"}
    with pytest.raises(ValidationError) as exc:
        save(
            world,
            text="x",
            status="agreed",
            agreed_by="All",
            agreed_on=datetime.date(2026, 5, 1),
            revisit_on=datetime.date(2026, 4, 1),
        )
    assert "revisit_on" in exc.value.message_dict


def test_word_diff_is_readable_and_escaped():
    html = word_diff("We share <data> yearly", "We share <data> every month")
    assert "<del>yearly</del>" in html
    assert "<ins>every month</ins>" in html
    assert "&lt;data&gt;" in html


def test_markdown_is_sanitised():
    html = render_markdown("**Bold** <script>alert(1)</script> [x](javascript:alert(1))")
    assert "<strong>Bold</strong>" in html
    assert "<script>" not in html
    assert "javascript:" not in html


def test_history_page_shows_diff(world, client_for, url):
    save(world, text="We meet every month.")
    save(world, base=1, text="We meet every second month.")
    body = (
        client_for("observer")
        .get(url("element_history", code="shared_vision") + "?a=1&b=2")
        .content.decode()
    )
    assert "<ins>second </ins>" in body or "<ins>second" in body
    assert "Version 1 → version 2" in body


def test_concurrent_edit_through_the_form_shows_both_texts(world, client_for, url):
    save(world, text="Original")
    mona, rita = client_for("manager"), client_for("representative")
    edit_url = url("element_edit", code="shared_vision")
    # Both open the form at version 1.
    assert 'name="base_version" value="1"' in mona.get(edit_url).content.decode()
    form = {
        "base_version": "1",
        "status": "draft",
        "agreed_by": "",
        "agreed_on": "",
        "revisit_on": "",
        "change_note": "",
    }
    assert rita.post(edit_url, {**form, "text": "Rita's version"}).status_code == 302
    response = mona.post(edit_url, {**form, "text": "Mona's version"})
    assert response.status_code == 409
    body = response.content.decode()
    assert "Someone saved a newer version" in body
    assert "Rita&#x27;s version" in body and "Mona&#x27;s version" in body
    # The form now carries the current version, so a deliberate second save goes through.
    assert 'name="base_version" value="2"' in body
    assert DesignElementRecord.objects.get().text == "Rita's version"
    assert mona.post(edit_url, {**form, "base_version": "2", "text": "Merged"}).status_code == 302
    assert DesignElementRecord.objects.get().version == 3


def test_api_element_save_and_conflict(world, client_for):
    client = client_for("representative")
    api_url = reverse(
        "api:method_element_save", kwargs={"slug": world.partnership.slug, "code": "shared_vision"}
    )
    ok = client.put(
        api_url,
        json.dumps({"base_version": 0, "text": "From the API"}),
        content_type="application/json",
    )
    assert ok.status_code == 200, ok.content
    assert ok.json()["version"] == 1
    stale = client.put(
        api_url, json.dumps({"base_version": 0, "text": "Stale"}), content_type="application/json"
    )
    assert stale.status_code == 409
    assert stale.json()["current"]["text"] == "From the API"
    bad = client.put(
        api_url,
        json.dumps({"base_version": 1, "text": "", "status": "agreed"}),
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert "agreed_by" in bad.json()["errors"]
    detail = client.get(
        reverse(
            "api:method_element", kwargs={"slug": world.partnership.slug, "code": "shared_vision"}
        )
    )
    assert [v["number"] for v in detail.json()["versions"]] == [1]


def test_observer_cannot_edit_elements(world, client_for, url):
    response = client_for("observer").get(url("element_edit", code="shared_vision"))
    assert response.status_code == 403
    assert "edit design elements" in response.content.decode()
    api_url = reverse(
        "api:method_element_save", kwargs={"slug": world.partnership.slug, "code": "shared_vision"}
    )
    r = client_for("observer").put(
        api_url, json.dumps({"base_version": 0}), content_type="application/json"
    )
    assert r.status_code == 403
