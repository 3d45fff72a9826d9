"""The audit log shows a change in words in the reader's language: field names, choice
labels and yes/no, not the stored codes ("representative", "not_started", False)."""

from __future__ import annotations

from django.utils import translation

from commonground.core.models import AuditEvent
from commonground.partnerships.templatetags.audit_changes import audit_changes


def test_a_role_change_reads_in_norwegian_without_codes():
    event = AuditEvent(
        target_type="partnerships.role",
        before={"representative_kind": "doer", "is_signatory": False},
        after={"representative_kind": "decision_maker", "is_signatory": True},
    )
    with translation.override("nb"):
        rows = audit_changes(event)
        text = " ".join(f"{r['label']} {r['before']} {r['after']}" for r in rows)
    for code in ("doer", "decision_maker", "False", "True"):
        assert code not in text, text
    assert "ja" in text and "nei" in text


def test_nested_values_and_unknown_records_are_shown_as_text():
    event = AuditEvent(
        target_type="decisions.proposal",
        after={"method": "majority", "tally": {"method": "majority", "counts": {"yes": 1}}},
    )
    with translation.override("en"):
        rows = audit_changes(event)
    method, tally = rows
    assert method == {"label": "decision method", "before": "", "after": "Simple majority"}
    assert tally["after"] == "decision method: Simple majority; counts: yes: 1"
    assert audit_changes(AuditEvent(target_type="no.such", after={"x": 1})) == [
        {"label": "x", "before": "", "after": "1"}
    ]
