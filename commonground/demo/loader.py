"""The one demo loader: reads a scenario's YAML files, checks them, and builds the demo.

Each file of a scenario is one module (people, partnership, method, ... conversations).
``schema.yaml`` says which keys each file has (a key ending in "?" may be left out) and which values name a person or
an organisation; ``read_scenario`` refuses a file with a missing or unknown key, or a reference to a
person or organisation that no file defines, naming the file and the place. ``build`` then runs the
``STEPS`` in order, creating everything through the apps' services (models where no service exists).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from commonground.demo import DemoContext

SCENARIOS = Path(__file__).resolve().parent / "scenarios"
DEFAULT_SCENARIO = "fjordvik"


class DemoDataError(ValueError):
    """A scenario file is not as its schema says (the message names the file and the place)."""


# The keys of every file and which values name a person or organisation (see schema.yaml).
SCHEMAS: dict[str, dict[str, Any]] = yaml.safe_load(
    (Path(__file__).resolve().parent / "schema.yaml").read_text(encoding="utf-8")
)

# Files that define organisations (under "organisations") for the other files to name.
ORG_FILES = ("organisations", "prospects", "systemmap")


def _check(value: Any, spec: Any, where: str, names: dict[str, set[str]]) -> None:
    if spec == "any":
        return
    if isinstance(spec, str):
        kind = spec.rstrip("s")
        items = value if spec.endswith("s") else [value]
        if not isinstance(items, list):
            raise DemoDataError(f"{where}: expected a list of {kind} keys")
        for item in items:
            if item not in names[kind]:
                raise DemoDataError(f"{where}: unknown {kind} {item!r}")
        return
    if isinstance(spec, list):
        if not isinstance(value, list):
            raise DemoDataError(f"{where}: expected a list")
        for i, item in enumerate(value):
            _check(item, spec[0], f"{where}[{i}]", names)
        return
    if not isinstance(value, dict):
        raise DemoDataError(f"{where}: expected a mapping")
    free = next((k for k in spec if k.startswith("*")), None)
    if free is not None:
        for key, item in value.items():
            if free != "*":
                _check(key, free[1:], f"{where}", names)
            _check(item, spec[free], f"{where}.{key}", names)
        return
    keys = {k.rstrip("?"): k for k in spec}
    for key in value:
        if key not in keys:
            raise DemoDataError(f"{where}: unknown key {key!r}")
    for key, full in keys.items():
        if key in value:
            _check(value[key], spec[full], f"{where}.{key}" if where else key, names)
        elif not full.endswith("?"):
            raise DemoDataError(f"{where or 'top level'}: missing key {key!r}")


def read_scenario(name: str = DEFAULT_SCENARIO, folder: Path | None = None) -> dict[str, Any]:
    """Every file of a scenario, checked against ``SCHEMAS`` (and references across files)."""
    folder = folder or SCENARIOS / name
    name = folder.name
    data: dict[str, Any] = {}
    found = {p.stem for p in folder.glob("*.yaml")}
    for unknown in sorted(found - set(SCHEMAS)):
        raise DemoDataError(
            f"{name}/{unknown}.yaml: no such module (expected one of {sorted(SCHEMAS)})"
        )
    for module in SCHEMAS:
        path = folder / f"{module}.yaml"
        if not path.exists():
            raise DemoDataError(f"{name}/{module}.yaml: file missing")
        loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
        data[module] = loaded if loaded is not None else {}
    people = data["people"] if isinstance(data["people"], dict) else {}
    names = {
        "person": {*people.get("people", {}), *people.get("accounts", {})},
        "org": {
            k
            for m in ORG_FILES
            if isinstance(data[m], dict)
            for k in data[m].get("organisations", {})
        },
    }
    for module, schema in SCHEMAS.items():
        try:
            _check(data[module], schema, "", names)
        except DemoDataError as exc:
            raise DemoDataError(f"{name}/{module}.yaml: {exc}") from None
    return data


def is_loaded(scenario: dict[str, Any]) -> bool:
    from commonground.partnerships.models import Partnership

    return Partnership.objects.filter(slug=scenario["partnership"]["partnership"]["slug"]).exists()


def reset(scenario: dict[str, Any]) -> None:
    """Remove the scenario's partnerships and its people (``load_demo --reset``)."""
    from commonground.accounts.models import User
    from commonground.partnerships.models import Partnership

    slugs = [scenario["partnership"][k]["slug"] for k in ("partnership", "other_partnership")]
    slugs.append(scenario["ending"]["partnership"]["slug"])
    Partnership.objects.filter(slug__in=slugs).delete()
    people = scenario["people"]
    for domain in sorted(
        {
            p["email"].split("@")[1]
            for p in [*people["people"].values(), *people["accounts"].values()]
        }
    ):
        User.objects.filter(email__endswith=f"@{domain}").delete()


def build(
    scenario: dict[str, Any],
    *,
    only: list[str] | None = None,
    today: datetime.date | None = None,
    report: Callable[[str], None] | None = None,
) -> DemoContext:
    """Build the scenario in one transaction (``only``: a prefix of the steps, for tests)."""
    from commonground.demo import steps

    ctx = DemoContext(today=today or timezone.localdate())
    with transaction.atomic():
        for module, step in steps.STEPS:
            if only is not None and module not in only:
                continue
            step(ctx, scenario[module])
            if report:
                report(module)
    return ctx


def at(day: datetime.date, hour: int = 10, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def dec(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def org_defaults(spec: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": spec["name"],
        "sector": spec["sector"],
        "org_type": spec["org_type"],
        "place_name": spec["place"],
        "latitude": Decimal(spec["latitude"]),
        "longitude": Decimal(spec["longitude"]),
        "mission": spec["mission"],
    }


__all__ = ["SCHEMAS", "DemoDataError", "build", "is_loaded", "read_scenario", "reset", "slugify"]
