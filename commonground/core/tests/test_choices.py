from functools import partialmethod

from django.apps import apps
from django.db import models
from django.utils import translation

from commonground.systemmap.models import Confidence, Relationship


def choice_fields():
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.Field) and field.choices:
                yield model, field


def test_every_choice_label_is_what_django_would_show_in_each_language():
    checked = 0
    for model, field in choice_fields():
        method = getattr(model, f"get_{field.name}_display")
        values = [value for value, _label in field.flatchoices] + ["not-a-choice"]
        for language in ("en", "nb"):
            with translation.override(language):
                for value in values:
                    instance = model()
                    setattr(instance, field.attname, value)
                    expected = instance._get_FIELD_display(field)
                    # twice: the second answer comes from the labels remembered per language
                    assert method(instance) == method(instance) == expected, (model, field)
                    checked += 1
    assert checked > 100


def test_the_generated_methods_are_replaced_once_per_field():
    assert not isinstance(Relationship.__dict__["get_confidence_display"], partialmethod)
    rel = Relationship(confidence=Confidence.HIGH)
    with translation.override("nb"):
        nb = rel.get_confidence_display()
    with translation.override("en"):
        en = rel.get_confidence_display()
    # remembered per language, not once for all
    assert en == str(Confidence.HIGH.label) and nb != en
    rel.confidence = "unknown"
    assert rel.get_confidence_display() == "unknown"
