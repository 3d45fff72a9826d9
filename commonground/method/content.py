"""The method itself, as data: phases, design elements, structure profile,
cycles, relationship spectrum and default glossary.

The content lives in versioned YAML files beside this module (``content/``),
each entry carrying its English and Norwegian Bokmål text. The files are read
and checked once at start-up (``MethodConfig.ready``); a malformed file stops
the server with an error naming the file and line, so a typo can never reach
a partnership's pages half-loaded.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import get_language

CONTENT_DIR = Path(__file__).resolve().parent / "content"
LANGS = ("en", "nb")
PHASE_CODES = ("prepare", "identify", "agree", "consolidate", "assess")
FILES = ("phases", "elements", "profile", "cycles", "spectrum", "glossary")
# The method names fifteen design elements; each carries its own guiding questions.
ELEMENT_COUNT = 15
ELEMENT_QUESTIONS = (4, 8)  # fewest and most guiding questions one element may have


class MethodContentError(ImproperlyConfigured):
    """A content file is malformed. The message starts with ``file:line:``."""

    def __init__(self, path: Path | str, line: int | None, message: str) -> None:
        self.path = str(path)
        self.line = line
        where = f"{Path(path).name}:{line}" if line else Path(path).name
        super().__init__(f"method content {where}: {message}")


@dataclass(frozen=True)
class Text:
    """A text in both languages; ``str()`` gives the active language."""

    en: str
    nb: str

    def __str__(self) -> str:
        lang = (get_language() or "en").lower()
        return self.nb if lang.startswith(("nb", "no")) else self.en

    def get(self, lang: str) -> str:
        return self.nb if lang.startswith(("nb", "no")) else self.en


@dataclass(frozen=True)
class ChecklistItem:
    key: str  # "phase.step.item": stable key stored in ticks
    code: str
    text: Text


@dataclass(frozen=True)
class Step:
    key: str  # "phase.step"
    code: str
    title: Text
    questions: tuple[Text, ...]
    checklist: tuple[ChecklistItem, ...]


@dataclass(frozen=True)
class Phase:
    code: str
    number: int
    title: Text
    summary: Text
    steps: tuple[Step, ...]

    @property
    def items(self) -> list[ChecklistItem]:
        return [item for step in self.steps for item in step.checklist]


@dataclass(frozen=True)
class Element:
    code: str
    number: int
    title: Text
    why: Text
    questions: tuple[Text, ...]


@dataclass(frozen=True)
class Choice:
    code: str
    title: Text


@dataclass(frozen=True)
class ProfileDimension:
    code: str
    group: str  # "trait" or "factor"
    title: Text
    help: Text
    choices: tuple[Choice, ...]
    derived: str = ""

    def choice(self, code: str) -> Choice | None:
        return next((c for c in self.choices if c.code == code), None)


@dataclass(frozen=True)
class Stage:
    code: str
    number: int
    title: Text
    help: Text


@dataclass(frozen=True)
class SpectrumDimension:
    code: str
    title: Text
    low: Text
    high: Text


@dataclass(frozen=True)
class GlossaryDefault:
    preferred: Text
    avoid: Text
    definition: Text


@dataclass
class MethodContent:
    versions: dict[str, int] = field(default_factory=dict)
    phases: tuple[Phase, ...] = ()
    elements: tuple[Element, ...] = ()
    traits: tuple[ProfileDimension, ...] = ()
    factors: tuple[ProfileDimension, ...] = ()
    trust_stages: tuple[Stage, ...] = ()
    problem_solving: tuple[Stage, ...] = ()
    spectrum: tuple[SpectrumDimension, ...] = ()
    glossary: tuple[GlossaryDefault, ...] = ()

    # --- lookups ---------------------------------------------------------------
    def phase(self, code: str) -> Phase:
        for p in self.phases:
            if p.code == code:
                return p
        raise KeyError(code)

    def phase_index(self, code: str) -> int:
        return [p.code for p in self.phases].index(code)

    def step(self, key: str) -> Step | None:
        phase_code, _, _ = key.partition(".")
        try:
            return next(s for s in self.phase(phase_code).steps if s.key == key)
        except (KeyError, StopIteration):
            return None

    def item(self, key: str) -> ChecklistItem | None:
        for p in self.phases:
            for i in p.items:
                if i.key == key:
                    return i
        return None

    def element(self, code: str) -> Element | None:
        return next((e for e in self.elements if e.code == code), None)

    @property
    def profile_dimensions(self) -> tuple[ProfileDimension, ...]:
        return self.traits + self.factors

    def profile_dimension(self, code: str) -> ProfileDimension | None:
        return next((d for d in self.profile_dimensions if d.code == code), None)

    def trust_stage(self, code: str) -> Stage | None:
        return next((s for s in self.trust_stages if s.code == code), None)

    def spectrum_dimension(self, code: str) -> SpectrumDimension | None:
        return next((d for d in self.spectrum if d.code == code), None)


# --- reading the YAML with line numbers ----------------------------------------


class _Reader:
    """Walks a composed YAML node tree, checking shapes and remembering lines."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, node: yaml.Node | None, message: str) -> MethodContentError:
        line = node.start_mark.line + 1 if node is not None else None
        return MethodContentError(self.path, line, message)

    def mapping(self, node: yaml.Node, what: str, required: tuple[str, ...] = ()) -> dict[str, Any]:
        if not isinstance(node, yaml.MappingNode):
            raise self.fail(node, f"{what} must be a mapping of keys to values")
        out: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, str):
                raise self.fail(key_node, f"{what} has a key that is not text")
            if key in out:
                raise self.fail(key_node, f"{what} repeats the key '{key}'")
            out[key] = value_node
        for key in required:
            if key not in out:
                raise self.fail(node, f"{what} lacks the required key '{key}'")
        return out

    def sequence(self, node: yaml.Node, what: str, *, min_len: int = 1) -> list[yaml.Node]:
        if not isinstance(node, yaml.SequenceNode):
            raise self.fail(node, f"{what} must be a list")
        if len(node.value) < min_len:
            raise self.fail(
                node, f"{what} needs at least {min_len} entr{'y' if min_len == 1 else 'ies'}"
            )
        return list(node.value)

    def string(self, node: yaml.Node, what: str) -> str:
        if not isinstance(node, yaml.ScalarNode) or node.tag != "tag:yaml.org,2002:str":
            raise self.fail(node, f"{what} must be text")
        value = str(node.value).strip()
        if not value:
            raise self.fail(node, f"{what} is empty")
        return value

    def code(self, node: yaml.Node, what: str) -> str:
        value = self.string(node, what)
        if not all(ch.isalnum() or ch in "_-" for ch in value) or not value[0].isalpha():
            raise self.fail(node, f"{what} '{value}' must be letters, digits, '_' or '-'")
        return value

    def text(self, node: yaml.Node, what: str) -> Text:
        m = self.mapping(node, what, required=LANGS)
        extra = set(m) - set(LANGS)
        if extra:
            raise self.fail(node, f"{what} has unknown language(s): {', '.join(sorted(extra))}")
        return Text(
            en=self.string(m["en"], f"{what} (en)"), nb=self.string(m["nb"], f"{what} (nb)")
        )

    def integer(self, node: yaml.Node, what: str) -> int:
        if not isinstance(node, yaml.ScalarNode) or node.tag != "tag:yaml.org,2002:int":
            raise self.fail(node, f"{what} must be a whole number")
        return int(node.value)

    def unique(self, codes: list[tuple[str, yaml.Node]], what: str) -> None:
        seen: set[str] = set()
        for code, node in codes:
            if code in seen:
                raise self.fail(node, f"{what} code '{code}' is used twice")
            seen.add(code)


def _compose(path: Path) -> tuple[_Reader, dict[str, Any]]:
    reader = _Reader(path)
    try:
        with path.open(encoding="utf-8") as fh:
            root = yaml.compose(fh, Loader=yaml.SafeLoader)
    except FileNotFoundError:
        raise MethodContentError(path, None, "file is missing") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        raise MethodContentError(path, line, f"not valid YAML: {exc.problem}") from None
    if root is None:
        raise MethodContentError(path, 1, "file is empty")
    top = reader.mapping(root, "the file", required=("version",))
    reader.integer(top["version"], "version")
    return reader, top


def _phases(reader: _Reader, top: dict[str, Any]) -> tuple[Phase, ...]:
    if "phases" not in top:
        raise reader.fail(None, "lacks the key 'phases'")
    phase_nodes = reader.sequence(top["phases"], "phases")
    phases = []
    codes = []
    for n, pnode in enumerate(phase_nodes, start=1):
        pm = reader.mapping(pnode, "a phase", required=("code", "title", "summary", "steps"))
        pcode = reader.code(pm["code"], "phase code")
        codes.append((pcode, pm["code"]))
        steps = []
        step_codes = []
        for snode in reader.sequence(pm["steps"], f"phase '{pcode}' steps"):
            sm = reader.mapping(
                snode, "a step", required=("code", "title", "questions", "checklist")
            )
            scode = reader.code(sm["code"], "step code")
            step_codes.append((scode, sm["code"]))
            items = []
            item_codes = []
            for inode in reader.sequence(sm["checklist"], f"step '{scode}' checklist"):
                im = reader.mapping(inode, "a checklist item", required=("code", "text"))
                icode = reader.code(im["code"], "checklist item code")
                item_codes.append((icode, im["code"]))
                items.append(
                    ChecklistItem(
                        key=f"{pcode}.{scode}.{icode}",
                        code=icode,
                        text=reader.text(im["text"], f"checklist item '{icode}' text"),
                    )
                )
            reader.unique(item_codes, "checklist item")
            steps.append(
                Step(
                    key=f"{pcode}.{scode}",
                    code=scode,
                    title=reader.text(sm["title"], f"step '{scode}' title"),
                    questions=tuple(
                        reader.text(q, f"step '{scode}' question")
                        for q in reader.sequence(sm["questions"], f"step '{scode}' questions")
                    ),
                    checklist=tuple(items),
                )
            )
        reader.unique(step_codes, "step")
        phases.append(
            Phase(
                code=pcode,
                number=n,
                title=reader.text(pm["title"], f"phase '{pcode}' title"),
                summary=reader.text(pm["summary"], f"phase '{pcode}' summary"),
                steps=tuple(steps),
            )
        )
    reader.unique(codes, "phase")
    if tuple(c for c, _ in codes) != PHASE_CODES:
        raise reader.fail(top["phases"], f"the phases must be, in order: {', '.join(PHASE_CODES)}")
    return tuple(phases)


def _element_questions(reader: _Reader, node: yaml.Node, code: str) -> tuple[Text, ...]:
    """An element's guiding questions: within ELEMENT_QUESTIONS, each in both languages,
    the Norwegian not a copy of the English, and no question asked twice."""
    fewest, most = ELEMENT_QUESTIONS
    nodes = reader.sequence(node, f"element '{code}' questions", min_len=fewest)
    if len(nodes) > most:
        raise reader.fail(
            node, f"element '{code}' has {len(nodes)} questions, at most {most} are allowed"
        )
    out: list[Text] = []
    for qnode in nodes:
        text = reader.text(qnode, f"element '{code}' question")
        if text.nb == text.en:
            raise reader.fail(qnode, f"element '{code}' question is not translated: {text.en!r}")
        if any(text.en == seen.en or text.nb == seen.nb for seen in out):
            raise reader.fail(qnode, f"element '{code}' asks the same question twice")
        out.append(text)
    return tuple(out)


def _elements(reader: _Reader, top: dict[str, Any]) -> tuple[Element, ...]:
    if "elements" not in top:
        raise reader.fail(None, "lacks the key 'elements'")
    out = []
    codes = []
    for n, node in enumerate(reader.sequence(top["elements"], "elements"), start=1):
        m = reader.mapping(node, "an element", required=("code", "title", "why", "questions"))
        code = reader.code(m["code"], "element code")
        codes.append((code, m["code"]))
        out.append(
            Element(
                code=code,
                number=n,
                title=reader.text(m["title"], f"element '{code}' title"),
                why=reader.text(m["why"], f"element '{code}' why"),
                questions=_element_questions(reader, m["questions"], code),
            )
        )
    reader.unique(codes, "element")
    if len(out) != ELEMENT_COUNT:
        raise reader.fail(
            top["elements"], f"there must be {ELEMENT_COUNT} design elements, found {len(out)}"
        )
    return tuple(out)


def _profile(reader: _Reader, top: dict[str, Any], group: str) -> tuple[ProfileDimension, ...]:
    key = "traits" if group == "trait" else "factors"
    if key not in top:
        raise reader.fail(None, f"lacks the key '{key}'")
    out = []
    codes = []
    for node in reader.sequence(top[key], key):
        m = reader.mapping(node, f"a {group}", required=("code", "title", "help", "choices"))
        code = reader.code(m["code"], f"{group} code")
        codes.append((code, m["code"]))
        choices = []
        choice_codes = []
        for cnode in reader.sequence(m["choices"], f"{group} '{code}' choices", min_len=2):
            cm = reader.mapping(cnode, "a choice", required=("code", "title"))
            ccode = reader.code(cm["code"], "choice code")
            choice_codes.append((ccode, cm["code"]))
            choices.append(Choice(ccode, reader.text(cm["title"], f"choice '{ccode}' title")))
        reader.unique(choice_codes, "choice")
        derived = reader.code(m["derived"], "derived") if "derived" in m else ""
        if derived and derived != "representatives":
            raise reader.fail(m["derived"], "the only derived trait is 'representatives'")
        out.append(
            ProfileDimension(
                code=code,
                group=group,
                title=reader.text(m["title"], f"{group} '{code}' title"),
                help=reader.text(m["help"], f"{group} '{code}' help"),
                choices=tuple(choices),
                derived=derived,
            )
        )
    reader.unique(codes, group)
    return tuple(out)


def _stages(reader: _Reader, top: dict[str, Any], key: str) -> tuple[Stage, ...]:
    if key not in top:
        raise reader.fail(None, f"lacks the key '{key}'")
    out = []
    codes = []
    for n, node in enumerate(reader.sequence(top[key], key, min_len=2), start=1):
        m = reader.mapping(node, "a stage", required=("code", "title", "help"))
        code = reader.code(m["code"], "stage code")
        codes.append((code, m["code"]))
        out.append(
            Stage(
                code,
                n,
                reader.text(m["title"], f"stage '{code}' title"),
                reader.text(m["help"], f"stage '{code}' help"),
            )
        )
    reader.unique(codes, "stage")
    return tuple(out)


def _spectrum(reader: _Reader, top: dict[str, Any]) -> tuple[SpectrumDimension, ...]:
    if "dimensions" not in top:
        raise reader.fail(None, "lacks the key 'dimensions'")
    out = []
    codes = []
    for node in reader.sequence(top["dimensions"], "dimensions"):
        m = reader.mapping(node, "a dimension", required=("code", "title", "low", "high"))
        code = reader.code(m["code"], "dimension code")
        codes.append((code, m["code"]))
        out.append(
            SpectrumDimension(
                code,
                reader.text(m["title"], f"dimension '{code}' title"),
                reader.text(m["low"], f"dimension '{code}' low end"),
                reader.text(m["high"], f"dimension '{code}' high end"),
            )
        )
    reader.unique(codes, "dimension")
    if len(out) != 7:
        raise reader.fail(top["dimensions"], f"there must be 7 dimensions, found {len(out)}")
    return tuple(out)


def _glossary(reader: _Reader, top: dict[str, Any]) -> tuple[GlossaryDefault, ...]:
    if "terms" not in top:
        raise reader.fail(None, "lacks the key 'terms'")
    out = []
    for node in reader.sequence(top["terms"], "terms"):
        m = reader.mapping(node, "a term", required=("preferred", "avoid", "definition"))
        out.append(
            GlossaryDefault(
                reader.text(m["preferred"], "preferred term"),
                reader.text(m["avoid"], "term to avoid"),
                reader.text(m["definition"], "definition"),
            )
        )
    return tuple(out)


def load(directory: Path | str = CONTENT_DIR) -> MethodContent:
    """Read and check every content file in ``directory``."""
    directory = Path(directory)
    content = MethodContent()
    parsed: dict[str, tuple[_Reader, dict[str, Any]]] = {}
    for name in FILES:
        reader, top = _compose(directory / f"{name}.yaml")
        parsed[name] = (reader, top)
        content.versions[name] = int(top["version"].value)
    content.phases = _phases(*parsed["phases"])
    content.elements = _elements(*parsed["elements"])
    content.traits = _profile(*parsed["profile"], "trait")
    content.factors = _profile(*parsed["profile"], "factor")
    reader, top = parsed["cycles"]
    content.trust_stages = _stages(reader, top, "trust_stages")
    content.problem_solving = _stages(reader, top, "problem_solving")
    content.spectrum = _spectrum(*parsed["spectrum"])
    content.glossary = _glossary(*parsed["glossary"])
    return content


_CONTENT: MethodContent | None = None


def load_content() -> MethodContent:
    """Load (or reload) the packaged content; called from ``MethodConfig.ready``."""
    global _CONTENT
    _CONTENT = load(CONTENT_DIR)
    return _CONTENT


def method() -> MethodContent:
    """The loaded method content."""
    return _CONTENT if _CONTENT is not None else load_content()


def iter_texts(content: MethodContent) -> Iterator[Text]:
    """Every text in the content (used by tests to check both languages are filled)."""
    for p in content.phases:
        yield from (p.title, p.summary)
        for s in p.steps:
            yield s.title
            yield from s.questions
            yield from (i.text for i in s.checklist)
    for e in content.elements:
        yield from (e.title, e.why, *e.questions)
