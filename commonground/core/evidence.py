"""Evidence: what the partnership's own records show about a step of the method.

A checklist item or design element that the product can observe is *bound* to a
check that reads the records (an MoU ratified, minutes approved, indicators with
baselines and targets…). Each app that holds such records has a module
``<app>/evidence.py`` with ``EVIDENCE = {key: check}``; ``check(partnership)``
returns an :class:`Evidence` (``met`` or still partial, with a sentence and a
link) or ``None`` when nothing is there yet. Keys are checklist item keys
(``"agree.ratify.ratify-signed"``) or ``"element:<code>"`` for design elements.
Core imports no app: the modules are found through ``settings.COMMONGROUND_APPS``.

A bound item is never ticked by hand: it ticks itself while its evidence holds and
un-ticks when the evidence goes away.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import import_module
from importlib.util import find_spec
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils import timezone

from commonground.core.audit import cached_while_unchanged

if TYPE_CHECKING:
    from django.utils.functional import Promise


@dataclass(frozen=True)
class Evidence:
    text: str | Promise
    url: str = ""
    on: datetime.date | None = None
    # False: something is there but not yet enough (e.g. 3 of 12 members).
    met: bool = True


Check = Callable[[Any], Evidence | None]


@cache
def checks() -> dict[str, Check]:
    found: dict[str, Check] = {}
    for app in settings.COMMONGROUND_APPS:
        module = f"{app}.evidence"
        if module != __name__ and find_spec(module) is not None:
            for key, check in import_module(module).EVIDENCE.items():
                if key in found:
                    raise ValueError(f"evidence for {key} is declared twice")
                found[key] = check
    return found


def counted(n: int, message: Any, url: str) -> Evidence | None:
    """Evidence that ``n`` records exist (None when there are none). ``message`` is an
    ``ngettext_lazy(singular, plural, "n")`` sentence: it takes its form from ``n``."""
    if not n:
        return None
    return Evidence(message % {"n": n}, url)


def share(n: int, total: int, message: Any, url: str) -> Evidence | None:
    """Evidence that ``n`` of ``total`` records have something (None when none have),
    met when all have. ``message`` is an ``ngettext_lazy(singular, plural, "total")``
    sentence with ``%(n)s`` and ``%(total)s``: it takes its form from ``total``."""
    if not n:
        return None
    return Evidence(message % {"n": n, "total": total}, url, met=n == total)


def is_bound(key: str) -> bool:
    return key in checks()


def evidence_for(
    partnership: Any, keys: list[str], *, remember: bool = False
) -> dict[str, Evidence | None]:
    """The evidence of each bound key (unbound keys are left out). With ``remember``
    (for pages that show every phase at once), the result is kept until the
    partnership's data change, and read again each day: some checks look back from
    today."""
    bound = sorted(k for k in keys if k in checks())
    if not bound:
        return {}
    if not remember:
        return _compute(partnership, bound)
    digest = hashlib.sha1(",".join(bound).encode(), usedforsecurity=False).hexdigest()[:16]
    return cached_while_unchanged(
        partnership,
        "evidence",
        [timezone.localdate().isoformat(), digest],
        lambda: _compute(partnership, bound),
    )


def _compute(partnership: Any, keys: list[str]) -> dict[str, Evidence | None]:
    table = checks()
    return {key: table[key](partnership) for key in keys}
