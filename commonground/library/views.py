from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from commonground.core import policy
from commonground.core.http import AuthedRequest
from commonground.core.pagination import paginate, querystring_without_page
from commonground.core.policy import partnership_view
from commonground.core.storage import download_response
from commonground.core.views_helpers import form_page
from commonground.partnerships.models import Partnership

from . import reports, rules, selectors, services
from .forms import (
    CaseForm,
    CaseSearchForm,
    DocumentForm,
    DocumentSearchForm,
    MilestoneForm,
    ReportForm,
    UploadForm,
    VersionForm,
)
from .models import CaseStudy, Document, DocumentVersion

# --- data room -----------------------------------------------------------------------------


@partnership_view(rules.VIEW)
def documents(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    form = DocumentSearchForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    qs = selectors.documents_table(
        request.user, partnership, q=data.get("q", ""), access=data.get("access", "")
    )
    return render(
        request,
        "library/documents.html",
        {
            "form": form,
            "page": paginate(request, qs),
            "qs": querystring_without_page(request),
            "can_upload": policy.has_capability(request.user, partnership, rules.UPLOAD),
        },
    )


def _groups(form: Any) -> list[tuple[str, list[Any]]]:
    """The document form in three parts: the item, who may open it, the sharing protocol."""
    parts = [
        (_("The document"), ["file", "title", "description", "kind", "tags", "is_public"]),
        (_("Who may open it"), ["access_level", "working_group", "organisations"]),
        (
            _("Data-sharing protocol"),
            [
                "owner_organisation",
                "purpose",
                "confidentiality",
                "permitted_uses",
                "retention",
                "end_rule",
            ],
        ),
    ]
    return [(label, [form[n] for n in names if n in form.fields]) for label, names in parts]


def _doc_kwargs(form: Any) -> dict[str, Any]:
    data = dict(form.cleaned_data)
    data.pop("file", None)
    return data


@partnership_view(rules.UPLOAD)
def document_upload(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    own = rules.user_org_ids(request.user, partnership)
    form = UploadForm(
        request.POST or None,
        request.FILES or None,
        partnership=partnership,
        initial={"owner_organisation": own[0] if len(own) == 1 else None},
    )
    return form_page(
        request,
        form,
        lambda data: services.document_upload(
            actor=request.user,
            partnership=partnership,
            upload=data["file"],
            **_doc_kwargs(form),
        ),
        "library/document_form.html",
        lambda: {
            "groups": _groups(form),
            "upload": True,
            "max_bytes": settings.COMMONGROUND_UPLOAD_MAX_BYTES,
        },
        success_message=_("The document is in the data room."),
        redirect_to=lambda document: reverse(
            "library:document", kwargs={"slug": partnership.slug, "pk": document.pk}
        ),
    )


def _document_or_404(user: Any, partnership: Partnership, pk: int) -> Document:
    document = (
        rules.visible_documents(user, partnership)
        .select_related("owner_organisation", "working_group", "created_by")
        .prefetch_related("organisations")
        .filter(pk=pk)
        .first()
    )
    if document is None:
        raise Http404
    return document


@partnership_view(rules.VIEW)
def document_detail(request: AuthedRequest, partnership: Partnership, pk: int) -> HttpResponse:
    document = _document_or_404(request.user, partnership, pk)
    can_change = rules.can_change(request.user, document)
    return render(
        request,
        "library/document_detail.html",
        {
            "document": document,
            "versions": document.versions.select_related("uploaded_by"),
            "downloads": selectors.downloads_of(document)[:50] if can_change else None,
            "can_change": can_change,
            "version_form": VersionForm() if can_change and document.status == "active" else None,
        },
    )


@partnership_view(rules.UPLOAD)
def document_edit(request: AuthedRequest, partnership: Partnership, pk: int) -> HttpResponse:
    document = _document_or_404(request.user, partnership, pk)
    if not rules.can_change(request.user, document):
        raise PermissionDenied(_("Only the uploader and the managers can change this document."))
    form = DocumentForm(request.POST or None, instance=document, partnership=partnership)
    return form_page(
        request,
        form,
        lambda data: services.document_update(
            actor=request.user, document=document, **_doc_kwargs(form)
        ),
        "library/document_form.html",
        lambda: {"groups": _groups(form), "document": document},
        success_message=_("Saved."),
        redirect_to=lambda _result: reverse(
            "library:document", kwargs={"slug": partnership.slug, "pk": document.pk}
        ),
    )


@require_POST
@partnership_view(rules.UPLOAD)
def version_add(request: AuthedRequest, partnership: Partnership, pk: int) -> HttpResponse:
    document = _document_or_404(request.user, partnership, pk)
    if not rules.can_change(request.user, document):
        raise PermissionDenied(_("Only the uploader and the managers can add a version."))
    form = VersionForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.document_add_version(
                actor=request.user,
                document=document,
                upload=form.cleaned_data["file"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            messages.success(request, _("New version uploaded."))
            return redirect("library:document", slug=partnership.slug, pk=document.pk)
    return render(
        request,
        "library/document_detail.html",
        {
            "document": document,
            "versions": document.versions.select_related("uploaded_by"),
            "downloads": selectors.downloads_of(document)[:50],
            "can_change": True,
            "version_form": form,
        },
        status=400,
    )


@partnership_view(rules.VIEW)
def download(
    request: AuthedRequest, partnership: Partnership, pk: int, version: int
) -> HttpResponse:
    """Stream a file: only to people who may open the document, always as an attachment."""
    document = _document_or_404(request.user, partnership, pk)
    ver = get_object_or_404(DocumentVersion, document=document, number=version)
    if not ver.file:
        raise Http404
    # The check above comes first: a streamed file or a signed URL (object storage
    # with downloads=redirect) is only ever made for a person who may read it.
    response = download_response(
        ver.file, filename=ver.original_name, content_type=ver.content_type
    )
    services.download_record(actor=request.user, version=ver)
    return response


# --- knowledge library ---------------------------------------------------------------------


def _case_list(request: HttpRequest, queryset: Any, template: str, extra: dict[str, Any]) -> Any:
    form = CaseSearchForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    qs = selectors.cases_for(queryset, q=data.get("q", ""), kind=data.get("kind", ""))
    return render(
        request,
        template,
        {"form": form, "page": paginate(request, qs), "qs": querystring_without_page(request)}
        | extra,
    )


@partnership_view(rules.VIEW)
def cases(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    return _case_list(
        request,
        rules.readable_cases(request.user, partnership),
        "library/cases.html",
        {"can_write": policy.has_capability(request.user, partnership, rules.WRITE)},
    )


@partnership_view(rules.VIEW)
def case_detail(request: AuthedRequest, partnership: Partnership, pk: int) -> HttpResponse:
    case = get_object_or_404(
        rules.readable_cases(request.user, partnership).select_related("partnership"), pk=pk
    )
    return render(
        request,
        "library/case_detail.html",
        {
            "case": case,
            "can_edit": case.partnership_id == partnership.pk
            and rules.can_edit_case(request.user, case),
        },
    )


@partnership_view(rules.WRITE)
def case_create(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    form = CaseForm(request.POST or None, initial={"source": request.GET.get("source", "")})
    if request.method == "POST" and form.is_valid():
        case = services.case_create(
            actor=request.user, partnership=partnership, **form.cleaned_data
        )
        messages.success(request, _("Added to the knowledge library."))
        return redirect("library:case", slug=partnership.slug, pk=case.pk)
    return render(
        request, "library/case_form.html", {"form": form}, status=400 if form.errors else 200
    )


@partnership_view(rules.WRITE)
def case_edit(request: AuthedRequest, partnership: Partnership, pk: int) -> HttpResponse:
    case = get_object_or_404(CaseStudy, pk=pk, partnership=partnership)
    if not rules.can_edit_case(request.user, case):
        raise PermissionDenied(_("Only the author and the managers can edit this entry."))
    form = CaseForm(request.POST or None, instance=case)
    if request.method == "POST" and form.is_valid():
        services.case_update(actor=request.user, case=case, **form.cleaned_data)
        messages.success(request, _("Saved."))
        return redirect("library:case", slug=partnership.slug, pk=case.pk)
    return render(
        request,
        "library/case_form.html",
        {"form": form, "case": case},
        status=400 if form.errors else 200,
    )


@login_required
def shared_cases(request: HttpRequest) -> HttpResponse:
    return _case_list(
        request,
        rules.cases_readable_anywhere(request.user),
        "library/shared_cases.html",
        {},
    )


@login_required
def shared_case(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_object_or_404(
        rules.cases_readable_anywhere(request.user).select_related("partnership"), pk=pk
    )
    return render(request, "library/case_detail.html", {"case": case, "can_edit": False})


# --- the partnership's story ---------------------------------------------------------------


@partnership_view(rules.VIEW)
def timeline(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    can_add = policy.has_capability(request.user, partnership, rules.MILESTONES)
    return render(
        request,
        "library/timeline.html",
        {
            "page": paginate(request, selectors.timeline(partnership), per_page=40),
            "qs": "",
            "form": MilestoneForm(initial={"date": timezone.localdate()}) if can_add else None,
        },
    )


@require_POST
@partnership_view(rules.MILESTONES)
def milestone_create(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    form = MilestoneForm(request.POST)
    if form.is_valid():
        services.milestone_create(actor=request.user, partnership=partnership, **form.cleaned_data)
        messages.success(request, _("Milestone recorded."))
        return redirect("library:timeline", slug=partnership.slug)
    return render(
        request,
        "library/timeline.html",
        {
            "page": paginate(request, selectors.timeline(partnership), per_page=40),
            "qs": "",
            "form": form,
        },
        status=400,
    )


def _report_params(request: HttpRequest, partnership: Partnership) -> tuple[Any, Any]:
    form = ReportForm(request.GET if "audience" in request.GET else ReportForm.defaults())
    if not form.is_valid():
        return form, None
    d = form.cleaned_data
    return form, reports.ReportParams(partnership, d["start"], d["end"], d["audience"])


@partnership_view(rules.REPORT)
def report(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    form, params = _report_params(request, partnership)
    return render(
        request,
        "library/report.html",
        {
            "form": form,
            "params": params,
            "sections": reports.render_sections(params) if params else [],
            "query": request.GET.urlencode(),
        },
        status=200 if params else 400,
    )


@partnership_view(rules.REPORT)
def report_pdf(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    form, params = _report_params(request, partnership)
    if params is None:
        return HttpResponse(" ".join(str(e) for e in form.errors.values()), status=400)
    from commonground.core.pdf import render_pdf

    html = render_to_string(
        "library/report_pdf.html",
        {
            "params": params,
            "partnership": partnership,
            "sections": reports.render_sections(params),
            "generated": timezone.localtime(),
        },
        request=request,
    )
    pdf = render_pdf(html, stylesheets=["library/report.css"])
    name = slugify(f"{partnership.slug}-{params.audience}-{params.start}-{params.end}")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
