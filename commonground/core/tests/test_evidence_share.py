"""core.evidence.share: "n of total", met when all have it."""

from django.utils import translation
from django.utils.translation import ngettext_lazy

from commonground.core.evidence import share

MESSAGE = ngettext_lazy(
    "%(n)s of %(total)s member organisation has a named representative",
    "%(n)s of %(total)s member organisations have a named representative",
    "total",
)


def test_none_have_it_is_no_evidence() -> None:
    assert share(0, 4, MESSAGE, "/m/") is None


def test_some_have_it_is_partial_evidence() -> None:
    with translation.override("en"):
        evidence = share(3, 4, MESSAGE, "/m/")
    assert evidence is not None and not evidence.met
    assert evidence.text == "3 of 4 member organisations have a named representative"
    assert evidence.url == "/m/"


def test_all_have_it_is_met_and_the_form_follows_the_total() -> None:
    with translation.override("en"):
        evidence = share(1, 1, MESSAGE, "/m/")
    assert evidence is not None and evidence.met
    assert evidence.text == "1 of 1 member organisation has a named representative"
