"""The shapes most views share, as plain functions.

A form view::

    form = ThingForm(request.POST or None, partnership=partnership)
    done = handle_form(
        request, form,
        lambda data: services.thing_create(actor=request.user, partnership=partnership, **data),
        success_message=_("Saved."),
    )
    if done:
        return done
    return render(request, "app/form.html", {"form": form}, status=form_status(request))

or, in one call, ``form_page`` (the same, the page's context given as a dict or, when it
costs queries, as a function that is called only when the page is shown)::

    return form_page(
        request, form,
        lambda data: services.thing_create(actor=request.user, partnership=partnership, **data),
        "app/form.html",
        success_message=_("Saved."),
    )

A POST-only action::

    return post_action(
        request,
        lambda: services.thing_close(actor=request.user, thing=thing),
        success_message=_("Closed."),
        redirect_to=thing,
    )

A service refuses with ``ValidationError``; ``apply_service_errors`` puts its
messages on the form (a field's on that field, the rest above the form), and
``flash_error`` shows them as one flash message.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render


def apply_service_errors(form: BaseForm, exc: ValidationError) -> None:
    """Put a service's ``ValidationError`` on ``form``: errors about one of the form's
    fields on that field, all others (other keys, a list, a single message) as non-field
    errors."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.error_list)


def flash_error(request: HttpRequest, exc: ValidationError) -> None:
    """Show a service's refusal as one error flash message."""
    messages.error(request, " ".join(exc.messages))


def form_status(request: HttpRequest) -> int:
    """The status of a form page that is shown again: 400 after a POST (it was refused),
    200 when first opened."""
    return 400 if request.method == "POST" else 200


def _redirect_for(redirect_to: Any, result: Any) -> HttpResponseRedirect:
    if redirect_to is None:
        target = result
    elif callable(redirect_to):
        target = redirect_to(result)
    else:
        target = redirect_to
    return redirect(target)


def handle_form(
    request: HttpRequest,
    form: BaseForm,
    call: Callable[[dict[str, Any]], Any],
    *,
    success_message: str | Callable[[Any], str] | None = None,
    redirect_to: Any = None,
) -> HttpResponseRedirect | None:
    """Parse → check → call the service → redirect.

    On a POST with a valid form, ``call(form.cleaned_data)`` runs; if it succeeds the
    success message is flashed (a callable is given the service's result, for a message
    that tells what the service did) and the answer redirects to ``redirect_to`` (a URL, URL
    name or model; a callable is given the service's result; ``None`` means the result
    itself). Otherwise (not a POST, an invalid form, or the service raised
    ``ValidationError``, whose messages are then on the form) it returns ``None`` and the
    caller renders the page again with ``status=form_status(request)``.
    """
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = call(form.cleaned_data)
    except ValidationError as exc:
        apply_service_errors(form, exc)
        return None
    if callable(success_message):
        success_message = success_message(result)
    if success_message:
        messages.success(request, success_message)
    return _redirect_for(redirect_to, result)


def form_page(
    request: HttpRequest,
    form: BaseForm,
    call: Callable[[dict[str, Any]], Any],
    template: str,
    context: dict[str, Any] | Callable[[], dict[str, Any]] | None = None,
    *,
    success_message: str | Callable[[Any], str] | None = None,
    redirect_to: Any = None,
) -> HttpResponse:
    """A whole form view: ``handle_form``, and when it does not redirect, ``template``
    with ``context`` (a dict, or a function called only then) and the form as ``form``,
    with the status of ``form_status``."""
    done = handle_form(
        request, form, call, success_message=success_message, redirect_to=redirect_to
    )
    if done:
        return done
    page = context() if callable(context) else dict(context or {})
    page.setdefault("form", form)
    return render(request, template, page, status=form_status(request))


def post_action(
    request: HttpRequest,
    call: Callable[[], Any],
    *,
    success_message: str | None = None,
    redirect_to: Any,
    form: BaseForm | None = None,
    invalid_message: str | None = None,
) -> HttpResponseRedirect:
    """Call a service for a POST-only button, flash its success or its refusal, and
    redirect to ``redirect_to`` (a URL, URL name or model; a callable is called after the
    service, for a target that the service may change) either way.

    With a ``form`` (the button's few fields), an invalid form flashes
    ``invalid_message`` instead and the service is not called; ``call`` reads
    ``form.cleaned_data`` itself.
    """
    if form is not None and not form.is_valid():
        if invalid_message:
            messages.error(request, invalid_message)
    else:
        try:
            call()
        except ValidationError as exc:
            flash_error(request, exc)
        else:
            if success_message:
                messages.success(request, success_message)
    return redirect(redirect_to() if callable(redirect_to) else redirect_to)
