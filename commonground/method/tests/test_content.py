"""The method content files: complete, bilingual, and loud about mistakes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from commonground.method.content import CONTENT_DIR, MethodContentError, iter_texts, load
from commonground.partnerships.models import Phase


def test_packaged_content_is_complete():
    content = load()
    assert [p.code for p in content.phases] == list(Phase.values)
    assert all(p.steps and p.items for p in content.phases)
    assert len(content.elements) == 15
    assert len(content.spectrum) == 7
    assert [s.code for s in content.trust_stages] == [
        "forming",
        "storming",
        "norming",
        "performing",
    ]
    assert [s.code for s in content.problem_solving] == [
        "observation",
        "interpretation",
        "solution",
        "learning",
    ]
    assert {d.code for d in content.traits} >= {"results", "charge", "authority", "representatives"}
    assert len(content.glossary) >= 10
    keys = [i.key for p in content.phases for i in p.items]
    assert len(keys) == len(set(keys))


def test_every_text_has_both_languages_and_they_differ():
    for text in iter_texts(load()):
        assert text.en and text.nb
        assert text.en != text.nb, text.en


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, target)
    return target


def _line_of(path: Path, needle: str) -> int:
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return n
    raise AssertionError(needle)


def test_missing_translation_names_file_and_line(content_copy: Path):
    path = content_copy / "elements.yaml"
    text = path.read_text(encoding="utf-8")
    needle = 'title: {en: "Data sharing", nb: "Deling av data"}'
    assert needle in text
    path.write_text(text.replace(needle, 'title: {en: "Data sharing"}'), encoding="utf-8")
    line = _line_of(path, 'title: {en: "Data sharing"}')
    with pytest.raises(MethodContentError) as exc:
        load(content_copy)
    message = str(exc.value)
    assert f"elements.yaml:{line}:" in message
    assert "'nb'" in message


def test_yaml_syntax_error_names_file_and_line(content_copy: Path):
    path = content_copy / "spectrum.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[6] = lines[6] + ' "unbalanced'
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(MethodContentError) as exc:
        load(content_copy)
    assert "spectrum.yaml:" in str(exc.value)
    assert exc.value.line is not None and 6 <= exc.value.line <= 9


def test_duplicate_code_names_the_second_use(content_copy: Path):
    path = content_copy / "phases.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("code: objectives-ranked", "code: objectives-listed"), encoding="utf-8"
    )
    with pytest.raises(MethodContentError) as exc:
        load(content_copy)
    second = [
        n
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if "code: objectives-listed" in line
    ][1]
    assert f"phases.yaml:{second}:" in str(exc.value)
    assert "used twice" in str(exc.value)


def test_wrong_phase_order_is_refused(content_copy: Path):
    path = content_copy / "phases.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("- code: assess", "- code: evaluate"), encoding="utf-8")
    with pytest.raises(MethodContentError, match="phases must be, in order"):
        load(content_copy)


def test_missing_file_and_wrong_count(content_copy: Path):
    (content_copy / "glossary.yaml").unlink()
    with pytest.raises(MethodContentError, match=r"glossary\.yaml: file is missing"):
        load(content_copy)


def test_fourteen_elements_is_refused(content_copy: Path):
    path = content_copy / "elements.yaml"
    text = path.read_text(encoding="utf-8")
    head, _sep, _tail = text.partition("  - code: patience_flexibility")
    path.write_text(head, encoding="utf-8")
    with pytest.raises(MethodContentError, match="15 design elements, found 14"):
        load(content_copy)


def test_error_is_improperly_configured(content_copy: Path):
    from django.core.exceptions import ImproperlyConfigured

    (content_copy / "cycles.yaml").write_text("version: one\n", encoding="utf-8")
    with pytest.raises(
        ImproperlyConfigured, match=r"cycles.yaml:1: version must be a whole number"
    ):
        load(content_copy)


def test_start_up_fails_loudly_on_malformed_content(content_copy: Path, monkeypatch):
    from django.apps import apps

    from commonground.method import content as content_module

    path = content_copy / "phases.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("summary:", "sumary:", 1), encoding="utf-8"
    )
    monkeypatch.setattr(content_module, "CONTENT_DIR", content_copy)
    with pytest.raises(
        MethodContentError, match=r"phases\.yaml:\d+: a phase lacks the required key 'summary'"
    ):
        apps.get_app_config("method").ready()
    # Restore the packaged content for the other tests.
    monkeypatch.undo()
    content_module.load_content()
