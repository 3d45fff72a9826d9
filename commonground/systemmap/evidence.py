"""Evidence from the system map."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy, ngettext_lazy

from commonground.core.evidence import Evidence, counted

from .models import PrepTool, PrepToolVersion, Relationship


def system_mapped(p: Any) -> Evidence | None:
    return counted(
        Relationship.objects.filter(partnership=p).count(),
        ngettext_lazy(
            "%(n)s relationship is on the system map",
            "%(n)s relationships are on the system map",
            "n",
        ),
        reverse("systemmap:network", kwargs={"slug": p.slug}),
    )


def _latest(p: Any, tool: str) -> PrepToolVersion | None:
    return PrepToolVersion.objects.filter(partnership=p, tool=tool).order_by("-version").first()


def _list_tool(tool: str, message: Any) -> Any:
    """Evidence that the newest version of a preparation list has items ticked."""

    def check(p: Any) -> Evidence | None:
        latest = _latest(p, tool)
        n = len(latest.content.get("chosen") or []) if latest is not None else 0
        if latest is None or not n:
            return None
        return Evidence(
            message % {"n": n},
            reverse("systemmap:prepare_tool", kwargs={"slug": p.slug, "tool": tool}),
            latest.created_at.date(),
        )

    return check


def costs_and_benefits(p: Any) -> Evidence | None:
    """Met when the kinds of benefit are ticked and the costs are listed too; partial
    when only one of the two is there."""
    newest: dict[str, dict[str, Any]] = {}
    for tool, content in (
        PrepToolVersion.objects.filter(
            partnership=p, tool__in=[PrepTool.BENEFIT_KINDS, PrepTool.BENEFITS]
        )
        .order_by("tool", "-version")
        .values_list("tool", "content")
    ):
        newest.setdefault(tool, content)
    has_kinds = bool(newest.get(PrepTool.BENEFIT_KINDS, {}).get("chosen"))
    has_costs = bool(newest.get(PrepTool.BENEFITS, {}).get("drawbacks"))
    if not has_kinds and not has_costs:
        return None
    url = reverse("systemmap:prepare", kwargs={"slug": p.slug})
    if has_kinds and has_costs:
        return Evidence(gettext_lazy("Kinds of benefit ticked and costs listed"), url)
    if has_kinds:
        return Evidence(
            gettext_lazy("Kinds of benefit ticked; costs not listed yet"), url, met=False
        )
    return Evidence(gettext_lazy("Costs listed; kinds of benefit not ticked yet"), url, met=False)


EVIDENCE = {
    "identify.system.system-map": system_mapped,
    "prepare.motivation.motivation-brakes": _list_tool(
        PrepTool.OBSTACLES,
        ngettext_lazy(
            "%(n)s obstacle to partnering named", "%(n)s obstacles to partnering named", "n"
        ),
    ),
    "prepare.motivation.motivation-right-tool": _list_tool(
        PrepTool.WHEN_TO_PARTNER,
        ngettext_lazy(
            "%(n)s sign that a partnership is the right tool",
            "%(n)s signs that a partnership is the right tool",
            "n",
        ),
    ),
    "prepare.resources.resources-strengths": _list_tool(
        PrepTool.STRENGTHS,
        ngettext_lazy("%(n)s strength named", "%(n)s strengths named", "n"),
    ),
    "prepare.resources.resources-costs": costs_and_benefits,
}
