"""PDF (WeasyPrint) and DOCX (python-docx) of one agreement version, with its signature page."""

from __future__ import annotations

import io
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from commonground.core.pdf import css_string, render_pdf

from .models import AgreementVersion, Component


def _context(version: AgreementVersion) -> dict[str, Any]:
    parties = sorted(version.parties.all(), key=lambda o: o.name)
    ratifications = list(version.ratifications.all())
    signed = {r.organisation_id for r in ratifications}
    return {
        "v": version,
        "agreement": version.agreement,
        "partnership": version.agreement.partnership,
        "parties": parties,
        "ratifications": ratifications,
        "unsigned": [p for p in parties if p.pk not in signed],
        "clauses": [c for c in version.clause_list() if c["text"].strip()],
        "generated": timezone.now(),
        "footer_title": css_string(version.title),
    }


def version_pdf(version: AgreementVersion) -> bytes:
    return render_pdf(render_to_string("agreements/export_pdf.html", _context(version)))


def version_docx(version: AgreementVersion) -> bytes:
    from docx import Document
    from docx.shared import Pt

    ctx = _context(version)
    doc = Document()
    doc.styles["Normal"].font.name = "Calibri"
    doc.styles["Normal"].font.size = Pt(11)
    doc.add_heading(version.title, level=0)
    meta = doc.add_paragraph()
    meta.add_run(_("Version %(n)s") % {"n": version.number}).bold = True
    if version.is_amendment:
        meta.add_run(" · " + _("amendment"))
    meta.add_run(f" · {version.get_form_display()} · {ctx['partnership'].name}")
    doc.add_paragraph(_("Parties") + ": " + "; ".join(p.name for p in ctx["parties"]))
    term = _("Term") + f": {version.start_on or '—'} – {version.end_on or _('open-ended')}"
    if version.trial_months:
        term += " " + _("(trial period of %(n)s months)") % {"n": version.trial_months}
    doc.add_paragraph(term)
    for n, clause in enumerate(ctx["clauses"], start=1):
        doc.add_heading(f"{n}. {clause['label']}", level=1)
        for para in clause["text"].split("\n"):
            if para.startswith("- "):
                doc.add_paragraph(para[2:], style="List Bullet")
            elif para.strip():
                doc.add_paragraph(para)
    doc.add_page_break()
    doc.add_heading(_("Signatures"), level=1)
    doc.add_paragraph(
        _("SHA-256 fingerprint of the text of version %(n)s: %(hash)s")
        % {"n": version.number, "hash": version.sha256}
    )
    table = doc.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    header = table.rows[0].cells
    for cell, label in zip(
        header, (_("Organisation"), _("Name"), _("Title"), _("Ratified")), strict=True
    ):
        cell.text = label
    for r in ctx["ratifications"]:
        cells = table.add_row().cells
        cells[0].text = r.organisation_name
        cells[1].text = r.signer_name
        cells[2].text = r.signer_title
        cells[3].text = date_format(timezone.localtime(r.ratified_at), "DATETIME_FORMAT")
    for p in ctx["unsigned"]:
        cells = table.add_row().cells
        cells[0].text = p.name
        cells[1].text = _("(not yet ratified)")
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


__all__ = ["Component", "version_docx", "version_pdf"]
