"""Choosing an organisation from the directory by what a person knows of it.

A person types any part of the display name, the short name (slug) or the
organisation number. :func:`matches` lists candidates for the live list and the
search-and-choose page; :func:`resolve` turns what was submitted into exactly
one organisation or says why it cannot (none, or several that match).
:func:`possible_duplicates` is the check made before adding an organisation on
the spot.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from django import forms
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from .models import Organisation, normalise_org_number

MATCH_LIMIT = 8
# Legal-form words that do not tell two organisations apart ("Byggevarebanken"
# and "Byggevarebanken SA" are the same organisation).
LEGAL_FORMS = frozenset(
    {"as", "asa", "sa", "ba", "da", "ans", "ks", "kf", "iks", "nuf", "ltd", "inc", "gmbh"}
)


def _number_digits(text: str) -> str:
    """The digits of ``text`` when it reads as an organisation number, else ""."""
    if re.fullmatch(r"[\d\s.-]{3,}", text.strip()):
        return normalise_org_number(text)
    return ""


def matches(text: str, *, limit: int = MATCH_LIMIT) -> list[Organisation]:
    """Organisations whose name, short name or number contains ``text``.

    Exact hits first (name, short name or number), then names that start with the
    text, then the rest, each group by name.
    """
    text = " ".join(text.split())
    if not text:
        return []
    digits = _number_digits(text)
    slug = slugify(text)
    condition = Q(name__icontains=text)
    if slug:
        condition |= Q(slug__icontains=slug)
    if digits:
        condition |= Q(org_number__startswith=digits)
    rank = Case(
        When(Q(name__iexact=text) | Q(slug=slug) | Q(org_number=digits or "-"), then=Value(0)),
        When(name__istartswith=text, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    qs: QuerySet[Organisation] = (
        Organisation.objects.filter(condition)
        .annotate(pick_rank=rank)
        .only("id", "name", "slug", "org_number", "place_name")
        .order_by("pick_rank", "name", "id")
    )
    return list(qs[:limit])


def fill_value(organisation: Organisation, same_name: bool) -> str:
    """What the picker writes into the box for this choice: the name, unless
    another organisation has the same name (then the number, or the short name)."""
    if not same_name:
        return organisation.name
    return organisation.org_number or organisation.slug


def with_fill_values(found: list[Organisation]) -> list[tuple[Organisation, str]]:
    """Each match with what choosing it writes into the box (one query)."""
    names = Counter(
        Organisation.objects.filter(name__in={o.name for o in found}).values_list("name", flat=True)
    )
    return [(o, fill_value(o, names[o.name] > 1)) for o in found]


@dataclass(frozen=True)
class NewOrganisation:
    """A name that matches nothing in the directory, to be added on the spot."""

    name: str


@dataclass
class Resolution:
    organisation: Organisation | None = None
    candidates: list[Organisation] = field(default_factory=list)


def resolve(text: str) -> Resolution:
    """The one organisation ``text`` names, or the candidates when it names several.

    Tried in order: the exact short name, the exact organisation number, the exact
    display name (any case), and finally a text that matches exactly one
    organisation anywhere in its name, short name or number.
    """
    text = " ".join(text.split())
    if not text:
        return Resolution()
    exact = Organisation.objects.filter(slug=text.lower()).first()
    if exact is not None:
        return Resolution(exact)
    digits = _number_digits(text)
    if digits:
        exact = Organisation.objects.filter(org_number=digits).first()
        if exact is not None:
            return Resolution(exact)
    named = list(Organisation.objects.filter(name__iexact=text)[:MATCH_LIMIT])
    if len(named) == 1:
        return Resolution(named[0])
    if named:
        return Resolution(None, named)
    found = matches(text, limit=MATCH_LIMIT)
    if len(found) == 1:
        return Resolution(found[0])
    return Resolution(None, found)


def name_key(name: str) -> str:
    """A name reduced to what tells organisations apart: lower case, letters and
    digits only, legal-form words left out."""
    words = re.findall(r"\w+", name.lower())
    return " ".join(w for w in words if w not in LEGAL_FORMS)


def possible_duplicates(name: str, org_number: str = "") -> list[Organisation]:
    """Organisations already in the directory that ``name``/``org_number`` may be."""
    found: dict[int, Organisation] = {}
    digits = normalise_org_number(org_number)
    if digits:
        for o in Organisation.objects.filter(org_number=digits):
            found[o.pk] = o
    key = name_key(name)
    if key:
        first = key.split()[0]
        for o in Organisation.objects.filter(name__icontains=first).only("id", "name", "slug")[
            :200
        ]:
            if name_key(o.name) == key:
                found[o.pk] = o
    return list(found.values())


def describe(organisation: Organisation) -> str:
    """One line naming an organisation so that a person can tell it apart."""
    details = [d for d in (organisation.place_name, organisation.org_number) if d]
    if details:
        return f"{organisation.name} ({', '.join(details)})"
    return organisation.name


class OrganisationPicker(forms.TextInput):
    """A text box that lists matching organisations as the person types (htmx) and
    links to the search-and-choose page for browsers without JavaScript."""

    template_name = "organisations/widgets/picker.html"
    # The page the search-and-choose page sends the choice back to (set by
    # :func:`return_choices_to`); without it the page only lists matches.
    return_to = ""

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__({"autocomplete": "off", "class": "org-picker__input", **(attrs or {})})

    def get_context(self, name: str, value: object, attrs: dict | None) -> dict:
        context = super().get_context(name, value, attrs)
        query = {"field": name, name: str(value or "")}
        if self.return_to:
            query["next"] = self.return_to
        context["pick_url"] = f"{reverse('organisations:pick')}?{urlencode(query)}"
        return context


def return_choices_to(form: forms.BaseForm, path: str) -> None:
    """Let the form's organisation pickers send a choice made on the
    search-and-choose page back to ``path`` (the page that shows the form)."""
    for bound_field in form.fields.values():
        if isinstance(bound_field.widget, OrganisationPicker):
            bound_field.widget.return_to = path


class OrganisationField(forms.Field):
    """A form field whose value is one organisation of the directory."""

    widget = OrganisationPicker
    default_error_messages = {
        "none": _("No organisation in the directory matches “%(text)s”."),
        "several": _(
            "Several organisations match “%(text)s”: %(names)s. "
            "Type more of the name, or its organisation number."
        ),
    }

    def __init__(self, *, allow_new: bool = False, **kwargs: object) -> None:
        # With allow_new, a name that matches nothing comes back as NewOrganisation
        # (the form then asks for what the directory needs and checks for duplicates).
        self.allow_new = allow_new
        kwargs.setdefault(
            "help_text",
            _("Type part of the name, short name or organisation number and choose."),
        )
        super().__init__(**kwargs)  # type: ignore[arg-type]

    def prepare_value(self, value: object) -> object:
        if isinstance(value, Organisation | NewOrganisation):
            return value.name
        if isinstance(value, int):
            organisation = Organisation.objects.filter(pk=value).first()
            return organisation.name if organisation else ""
        if isinstance(value, str) and re.fullmatch(r"[-a-z0-9]+", value):
            # A short name handed over in a link shows as the name people know.
            organisation = Organisation.objects.filter(slug=value).only("name").first()
            if organisation is not None:
                return organisation.name
        return value

    def to_python(self, value: object) -> Organisation | NewOrganisation | None:
        if isinstance(value, Organisation | NewOrganisation):
            return value
        text = " ".join(str(value or "").split())
        if not text:
            return None
        result = resolve(text)
        if result.organisation is not None:
            return result.organisation
        if not result.candidates and self.allow_new:
            return NewOrganisation(text[:200])
        if not result.candidates:
            raise forms.ValidationError(
                self.error_messages["none"], code="none", params={"text": text}
            )
        raise forms.ValidationError(
            self.error_messages["several"],
            code="several",
            params={"text": text, "names": "; ".join(describe(o) for o in result.candidates)},
        )
