"""The fifteen design elements and their guiding questions: all there, in both languages,
counted by the loader, and shown on the pages in the reader's language."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.utils.html import escape

from commonground.method.content import CONTENT_DIR, ELEMENT_QUESTIONS, MethodContentError, load

ELEMENT_CODES = [
    "shared_vision",
    "resources",
    "open_environment",
    "fact_base",
    "indicators",
    "data_sharing",
    "decision_authority",
    "governance",
    "manager",
    "mutual_understanding",
    "sponsors_champions",
    "evaluation_purpose",
    "storytelling",
    "follow_through",
    "patience_flexibility",
]
QUESTION_COUNT = 90


def test_fifteen_elements_with_every_guiding_question():
    elements = load().elements
    assert [e.code for e in elements] == ELEMENT_CODES
    assert [e.number for e in elements] == list(range(1, 16))
    assert sum(len(e.questions) for e in elements) == QUESTION_COUNT
    fewest, most = ELEMENT_QUESTIONS
    assert all(fewest <= len(e.questions) <= most for e in elements)


def test_every_element_question_is_in_norwegian_and_not_a_copy():
    for element in load().elements:
        for texts in (element.title, element.why, *element.questions):
            assert texts.en.strip() and texts.nb.strip(), element.code
            assert texts.nb != texts.en, texts.en
        assert len({q.en for q in element.questions}) == len(element.questions)
        assert len({q.nb for q in element.questions}) == len(element.questions)


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, target)
    return target


def _questions_of(path: Path, code: str) -> tuple[list[str], int, int]:
    """The lines of ``code``'s questions in elements.yaml, and where they start and end."""
    lines = path.read_text(encoding="utf-8").splitlines()
    start = lines.index(f"  - code: {code}")
    first = next(n for n in range(start, len(lines)) if lines[n].strip() == "questions:") + 1
    last = first
    while last < len(lines) and lines[last].startswith("      - {en:"):
        last += 1
    return lines, first, last


def test_element_with_too_few_questions_is_refused(content_copy: Path):
    path = content_copy / "elements.yaml"
    lines, first, last = _questions_of(path, "manager")
    del lines[first + 3 : last]  # three questions left
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(MethodContentError, match="'manager' questions needs at least 4") as exc:
        load(content_copy)
    assert f"elements.yaml:{first + 1}:" in str(exc.value)  # the list's first line


def test_element_with_too_many_questions_is_refused(content_copy: Path):
    path = content_copy / "elements.yaml"
    lines, _first, last = _questions_of(path, "indicators")
    extra = '      - {en: "And one more?", nb: "Og ett til?"}'
    lines[last:last] = [extra]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(MethodContentError, match="'indicators' has 9 questions, at most 8"):
        load(content_copy)


def test_untranslated_question_is_refused_with_its_line(content_copy: Path):
    path = content_copy / "elements.yaml"
    lines, first, _last = _questions_of(path, "follow_through")
    lines[first + 2] = '      - {en: "Who tracks it?", nb: "Who tracks it?"}'
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(MethodContentError, match="question is not translated") as exc:
        load(content_copy)
    assert f"elements.yaml:{first + 3}:" in str(exc.value)


def test_question_asked_twice_is_refused(content_copy: Path):
    path = content_copy / "elements.yaml"
    lines, first, _last = _questions_of(path, "storytelling")
    lines[first + 1] = lines[first]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(MethodContentError, match="'storytelling' asks the same question twice"):
        load(content_copy)


@pytest.mark.parametrize("language", ["en", "nb"])
def test_new_element_page_shows_all_its_questions_in_the_language(world, client_for, url, language):
    element = load().element("patience_flexibility")
    assert element is not None
    client = client_for("representative")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    body = client.get(url("element", code="patience_flexibility")).content.decode()
    assert escape(element.title.get(language)) in body
    assert "15 / 15" in body
    for question in element.questions:
        assert escape(question.get(language)) in body
    other = "nb" if language == "en" else "en"
    assert escape(element.questions[0].get(other)) not in body


@pytest.mark.parametrize("language", ["en", "nb"])
def test_guide_folds_each_element_with_its_questions(client, db, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    body = client.get("/method/").content.decode()
    elements = load().elements
    for element in elements:
        assert f'<details class="guide-phase" id="element-{element.code}">' in body
        for question in element.questions:
            assert escape(question.get(language)) in body
    assert body.count('class="element-questions"') == len(elements)
