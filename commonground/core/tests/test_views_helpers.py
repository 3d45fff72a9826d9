"""The shared view helpers: a service's errors on the form, the form view, the POST action."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.test import RequestFactory

from commonground.core.views_helpers import (
    apply_service_errors,
    flash_error,
    form_page,
    form_status,
    handle_form,
    post_action,
)


class ThingForm(forms.Form):
    name = forms.CharField(max_length=20)
    amount = forms.IntegerField(required=False)


def _request(method: str = "post", data: dict[str, Any] | None = None) -> HttpRequest:
    factory = RequestFactory()
    request = factory.post("/x/", data or {}) if method == "post" else factory.get("/x/")
    request.session = {}  # type: ignore[assignment]
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    return request


def _flashes(request: HttpRequest) -> list[tuple[str, str]]:
    return [(m.level_tag, str(m)) for m in get_messages(request)]


def _valid_form() -> ThingForm:
    form = ThingForm({"name": "Harbour", "amount": "5"})
    assert form.is_valid()
    return form


# --- apply_service_errors ----------------------------------------------------------


def test_field_error_goes_on_its_field() -> None:
    form = _valid_form()
    apply_service_errors(form, ValidationError({"amount": "Too much."}))
    assert form.errors["amount"] == ["Too much."]
    assert form.non_field_errors() == []
    assert "amount" not in form.cleaned_data


def test_error_for_a_key_the_form_has_not_is_a_non_field_error() -> None:
    form = _valid_form()
    apply_service_errors(
        form, ValidationError({"organisation": "Not a member.", "name": ["Taken."]})
    )
    assert form.non_field_errors() == ["Not a member."]
    assert form.errors["name"] == ["Taken."]


def test_list_of_errors_are_non_field_errors() -> None:
    form = _valid_form()
    apply_service_errors(form, ValidationError(["First.", "Second."]))
    assert form.non_field_errors() == ["First.", "Second."]


def test_plain_message_with_params_is_a_non_field_error() -> None:
    form = _valid_form()
    apply_service_errors(form, ValidationError("At most %(n)s.", code="limit", params={"n": 3}))
    assert form.non_field_errors() == ["At most 3."]
    assert form.non_field_errors().as_data()[0].code == "limit"


# --- handle_form ---------------------------------------------------------------------


def test_handle_form_calls_service_flashes_and_redirects() -> None:
    request = _request(data={"name": "Harbour", "amount": "5"})
    seen: list[dict[str, Any]] = []
    form = ThingForm(request.POST)
    answer = handle_form(request, form, seen.append, success_message="Saved.", redirect_to="/done/")
    assert answer is not None and answer.status_code == 302 and answer.url == "/done/"
    assert seen == [{"name": "Harbour", "amount": 5}]
    assert _flashes(request) == [("success", "Saved.")]


def test_handle_form_redirects_to_what_the_service_returned_or_a_function_of_it() -> None:
    request = _request(data={"name": "Harbour"})
    answer = handle_form(request, ThingForm(request.POST), lambda data: "/things/7/")
    assert answer is not None and answer.url == "/things/7/"
    answer = handle_form(
        request, ThingForm(request.POST), lambda data: 7, redirect_to=lambda pk: f"/t/{pk}/"
    )
    assert answer is not None and answer.url == "/t/7/"


def test_handle_form_success_message_from_the_result() -> None:
    request = _request(data={"name": "Harbour"})
    handle_form(
        request,
        ThingForm(request.POST),
        lambda data: 3,
        success_message=lambda n: f"{n} people invited.",
        redirect_to="/",
    )
    assert _flashes(request) == [("success", "3 people invited.")]


def test_handle_form_refused_by_service_keeps_input_and_errors_and_says_400() -> None:
    request = _request(data={"name": "Harbour", "amount": "500"})
    form = ThingForm(request.POST)

    def refuse(data: dict[str, Any]) -> None:
        raise ValidationError({"amount": "Too much."})

    assert handle_form(request, form, refuse, success_message="Saved.", redirect_to="/") is None
    assert form.errors == {"amount": ["Too much."]}
    assert form["name"].value() == "Harbour" and form["amount"].value() == "500"
    assert form_status(request) == 400
    assert _flashes(request) == []


def test_handle_form_invalid_form_does_not_call_the_service() -> None:
    request = _request(data={"name": "", "amount": "x"})
    form = ThingForm(request.POST)
    called: list[Any] = []
    assert handle_form(request, form, called.append, redirect_to="/") is None
    assert called == []
    assert set(form.errors) == {"name", "amount"}
    assert form_status(request) == 400


def test_handle_form_on_get_only_shows_the_form() -> None:
    request = _request("get")
    form = ThingForm(None)
    called: list[Any] = []
    assert handle_form(request, form, called.append, redirect_to="/") is None
    assert called == [] and not form.errors
    assert form_status(request) == 200


# --- form_page -------------------------------------------------------------------


def _rendered(monkeypatch: Any) -> list[tuple[str, dict[str, Any], int]]:
    shown: list[tuple[str, dict[str, Any], int]] = []

    def fake_render(request: HttpRequest, template: str, context: dict, status: int) -> Any:
        shown.append((template, context, status))
        return "page"

    monkeypatch.setattr("commonground.core.views_helpers.render", fake_render)
    return shown


def test_form_page_redirects_after_the_service_and_shows_no_page(monkeypatch: Any) -> None:
    shown = _rendered(monkeypatch)
    request = _request(data={"name": "Harbour"})
    asked: list[str] = []

    def context() -> dict[str, Any]:
        asked.append("context")
        return {}

    response = form_page(
        request, ThingForm(request.POST), lambda data: None, "t.html", context, redirect_to="/x/"
    )
    assert response.status_code == 302 and response["Location"] == "/x/"
    assert shown == [] and asked == []


def test_form_page_refused_shows_the_page_with_the_form_and_400(monkeypatch: Any) -> None:
    shown = _rendered(monkeypatch)
    request = _request(data={"name": "Harbour"})
    form = ThingForm(request.POST)

    def refuse(data: dict[str, Any]) -> None:
        raise ValidationError("No.")

    assert form_page(request, form, refuse, "t.html", lambda: {"extra": 1}) == "page"
    assert shown == [("t.html", {"extra": 1, "form": form}, 400)]
    assert form.non_field_errors() == ["No."]


def test_form_page_on_get_shows_the_page_with_200(monkeypatch: Any) -> None:
    shown = _rendered(monkeypatch)
    form = ThingForm(None)
    assert form_page(_request("get"), form, lambda data: None, "t.html", {"a": 2}) == "page"
    assert shown == [("t.html", {"a": 2, "form": form}, 200)]


# --- post_action and flash_error ---------------------------------------------------


def test_post_action_success_flashes_success_and_redirects() -> None:
    request = _request()
    calls: list[int] = []
    answer = post_action(
        request, lambda: calls.append(1), success_message="Closed.", redirect_to="/thing/"
    )
    assert answer.status_code == 302 and answer.url == "/thing/"
    assert calls == [1]
    assert _flashes(request) == [("success", "Closed.")]


def test_post_action_refusal_flashes_the_services_message_and_redirects() -> None:
    request = _request()

    def refuse() -> None:
        raise ValidationError({"to": "Not from here.", "on": ["Not before the start."]})

    answer = post_action(request, refuse, success_message="Closed.", redirect_to="/thing/")
    assert answer.url == "/thing/"
    assert _flashes(request) == [("error", "Not from here. Not before the start.")]


def test_post_action_redirect_target_is_read_after_the_service() -> None:
    request = _request()
    thing = {"slug": "old"}
    answer = post_action(
        request,
        lambda: thing.update(slug="new"),
        redirect_to=lambda: f"/things/{thing['slug']}/",
    )
    assert answer.url == "/things/new/"


def test_post_action_with_an_invalid_form_flashes_why_and_does_not_call() -> None:
    request = _request(data={"name": ""})
    form = ThingForm(request.POST)
    called: list[int] = []
    answer = post_action(
        request,
        lambda: called.append(1),
        success_message="Closed.",
        redirect_to="/thing/",
        form=form,
        invalid_message="Give a name.",
    )
    assert answer.url == "/thing/"
    assert called == []
    assert _flashes(request) == [("error", "Give a name.")]


def test_post_action_with_a_valid_form_calls_with_its_data() -> None:
    request = _request(data={"name": "Harbour"})
    form = ThingForm(request.POST)
    seen: list[str] = []
    post_action(
        request,
        lambda: seen.append(form.cleaned_data["name"]),
        success_message="Closed.",
        redirect_to="/thing/",
        form=form,
        invalid_message="Give a name.",
    )
    assert seen == ["Harbour"]
    assert _flashes(request) == [("success", "Closed.")]


def test_flash_error_of_a_plain_message() -> None:
    request = _request()
    flash_error(request, ValidationError("Only a manager may do that."))
    assert _flashes(request) == [("error", "Only a manager may do that.")]
