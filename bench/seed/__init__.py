"""Synthetic region-scale data for benchmarks and N+1 tests (not part of the app packages).

``python -m bench.seed --factor F`` (with the environment of ``manage.py``) calls
``seed(ctx)`` in each module of this package named after an app, in the order of
``settings.COMMONGROUND_APPS``: ``partnerships`` builds the base (partnerships,
organisations, people, memberships, roles), the others add their app's rows. Every
module also lists the pages it wants benchmarked with ``bench_pages(ctx)``. Data is
deterministic: the random generator is seeded.

At F=1: 50 partnerships, 20,000 organisations, 5,000 people; the modules add
their own counts (see each module).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from importlib import import_module
from importlib.util import find_spec
from types import ModuleType
from typing import Any

from django.conf import settings

SCALE_PASSWORD = "scale-bench-2026"
BENCH_EMAIL = "bench-manager@scale.example"


@dataclass
class ScaleContext:
    factor: float
    rng: random.Random = field(default_factory=lambda: random.Random(20261122))
    partnership_ids: list[int] = field(default_factory=list)
    organisation_ids: list[int] = field(default_factory=list)
    user_ids: list[int] = field(default_factory=list)
    # partnership id -> user ids with a role there; member organisation ids
    people_by_partnership: dict[int, list[int]] = field(default_factory=dict)
    orgs_by_partnership: dict[int, list[int]] = field(default_factory=dict)
    bench_partnership_id: int = 0
    bench_partnership_slug: str = ""
    bench_user_id: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    def n(self, base: int) -> int:
        """``base`` rows at F=1, scaled, at least 1."""
        return max(1, round(base * self.factor))


def scale_modules() -> list[ModuleType]:
    modules = []
    for app in settings.COMMONGROUND_APPS:
        name = f"{__name__}.{app.rpartition('.')[2]}"
        if find_spec(name) is not None:
            modules.append(import_module(name))
    return modules


def seed_all(ctx: ScaleContext) -> None:
    for module in scale_modules():
        if hasattr(module, "seed"):
            module.seed(ctx)


def bench_pages(ctx: ScaleContext) -> list[tuple[str, str]]:
    pages: list[tuple[str, str]] = []
    for module in scale_modules():
        if hasattr(module, "bench_pages"):
            pages.extend(module.bench_pages(ctx))
    return pages


def load_context(factor: float) -> ScaleContext:
    """Rebuild the context of an already seeded database (for the benchmark runner)."""
    from commonground.accounts.models import User
    from commonground.partnerships.models import Partnership

    ctx = ScaleContext(factor=factor)
    bench = Partnership.objects.order_by("id").filter(slug__startswith="scale-").first()
    if bench is None:
        raise LookupError("no scale data: run python -m bench.seed first")
    ctx.bench_partnership_id = bench.pk
    ctx.bench_partnership_slug = bench.slug
    ctx.bench_user_id = User.objects.get(email=BENCH_EMAIL).pk
    for module in scale_modules():
        if hasattr(module, "load"):
            module.load(ctx)
    return ctx
