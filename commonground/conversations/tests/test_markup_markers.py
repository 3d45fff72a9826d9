"""The post renderer cannot be steered by text that imitates its own markers.

Mentions and #links are held aside while markdown runs and put back afterwards. A
post that forges the hold-aside marker (typed, or as HTML entities that decode to
it) used to raise for every reader of the thread, and a marker inside a link's
address used to splice markup into the attribute.
"""

from __future__ import annotations

import json
from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commonground.conversations import markup, services
from commonground.conversations.models import Post

ALLOWED_OUT = {
    **{t: set() for t in markup.ALLOWED_TAGS},
    "a": {"href", "title", "rel", "class"},
    "span": {"class"},
}
SAFE_SCHEMES = ("http:", "https:", "mailto:")

VISIBLE = {
    ("proposal", 1): 'A "quoted" <b>title</b> & more',
    ("action", 2): "javascript:alert(1)",
    ("meeting", 3): "onmouseover=alert(1)",
}

FORGED = [
    "cgtok&#57;x",
    "cgtok&#x39;x",
    "cgtok&#48;x and cgtok&#49;x",
    "hi @[Bob] [a](https://e.example/cgtok&#48;x)",
    '@[Bob] [a](https://e.example/x "cgtok&#48;x")',
    "cgtok99999999999999999999x",
    "&#99;&#103;&#116;&#111;&#107;&#48;&#120;",
    "cg&#116;ok0x @[Bob]",
    "`cgtok0x` @[Bob]",
    "[a](https://e.example/?@[bob])",
    "[a](https://e.example/?x=#proposal-1)",
    '[a](https://e.example/ "t @[bob]")',
]


class _Tree(HTMLParser):
    """Collects tags and attributes of rendered HTML and checks it is balanced."""

    VOID = {"br", "hr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.stack: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        assert self.stack and self.stack[-1] == tag, (tag, self.stack)
        self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)


def parse(html: str) -> _Tree:
    tree = _Tree()
    tree.feed(html)
    tree.close()
    assert tree.stack == [], tree.stack
    return tree


def assert_sanitised(html: str) -> _Tree:
    tree = parse(html)
    lowered = html.lower()
    assert "<script" not in lowered
    for tag, attrs in tree.tags:
        assert tag in ALLOWED_OUT, (tag, html)
        for name, value in attrs.items():
            assert name in ALLOWED_OUT[tag], (tag, name, html)
            assert not name.startswith("on")
            value = value or ""
            # Markup of our own never lands inside an attribute.
            assert "<span" not in value and 'class="ref"' not in value, (name, value, html)
            if name == "href":
                compact = "".join(value.split()).lower()
                assert compact.startswith(SAFE_SCHEMES) or ":" not in compact.split("/")[0], value
                assert "javascript:" not in compact
    return tree


def render(text: str) -> str:
    return markup.render(text, slug="s", visible=VISIBLE)


@pytest.mark.parametrize("text", FORGED)
def test_forged_markers_render_sanitised_and_never_raise(text):
    assert_sanitised(render(text))


def test_an_entity_encoded_marker_stays_text():
    html = render("cgtok&#57;x")
    assert parse(html).text == ["cgtok9x"]


def test_a_marker_in_a_link_address_stays_in_the_address():
    tree = assert_sanitised(render("hi @[Bob] [a](https://e.example/cgtok&#48;x)"))
    links = [attrs for tag, attrs in tree.tags if tag == "a"]
    assert links == [
        {"href": "https://e.example/cgtok0x", "rel": "nofollow noopener"},
    ]


@pytest.mark.parametrize(
    ("text", "href"),
    [
        ("[a](https://e.example/?@[bob])", "https://e.example/?@[bob]"),
        ("[a](https://e.example/?x=#proposal-1)", "https://e.example/?x=#proposal-1"),
    ],
)
def test_mentions_and_refs_inside_a_link_address_stay_as_typed(text, href):
    tree = assert_sanitised(render(text))
    assert [(tag, attrs.get("href")) for tag, attrs in tree.tags] == [("p", None), ("a", href)]


def test_mentions_and_refs_still_render_in_text():
    tree = assert_sanitised(render("#proposal-1 for @[Rita Rep], see #action-2 and #meeting-9"))
    assert [(tag, attrs.get("class")) for tag, attrs in tree.tags] == [
        ("p", None),
        ("a", "ref"),
        ("span", "mention"),
        ("a", "ref"),
    ]
    assert "".join(tree.text) == ("#proposal-1 for @Rita Rep, see #action-2 and #meeting-9")


def test_mentions_inside_code_and_links_stay_literal():
    tree = assert_sanitised(render("`@[bob] #proposal-1` and [see #proposal-1](https://e.example)"))
    assert [tag for tag, _ in tree.tags] == ["p", "code", "a"]
    assert "".join(tree.text) == "@[bob] #proposal-1 and see #proposal-1"


# --- property: any text renders, never raises, comes out sanitised ------------------

PIECES = st.sampled_from(
    [
        "cgtok", "cg", "tok", "x", "m", "0", "9", "12", "&#", "&#x", ";", "&#57;", "&#x39;",
        "&#48;", "&amp;", "&lt;", "&#0;", "&#xD800;", "&#1114112;", "@[", "]", "@[Bob]",
        "#proposal-1", "#action-2", "#meeting-3", "#document-4", "[a](", ")", "](", "`",
        "```\n", "\n", "\n\n", "    ", "> ", "* ", "1. ", "# ", '"', "'", "<", ">", "</a>",
        "<a href=", "javascript:", "JaVaScRiPt:", "data:text/html,", "<script>",
        "onerror=alert(1)", "<img src=x onerror=alert(1)>", "<svg onload=alert(1)>",
        "\x00", "\x01", "\x1b", "\r", "\t", "\u202e", "\ufeff", "\U0001f600", "\ud7ff",
        "http://", "https://e.example/", "mailto:a@b", "![i](", "\\",
    ]
)  # fmt: skip
MARKER_LIKE = st.from_regex(r"\Acg(tok)?[0-9a-f]{0,16}[mt]?[0-9]{0,12}x?\Z")
ENTITIES = st.characters().map(lambda c: f"&#{ord(c)};") | st.characters().map(
    lambda c: f"&#x{ord(c):x};"
)


def _encode(text: str, how: list[int]) -> str:
    """Some characters as decimal or hex entities, the rest as they are."""
    out = []
    for i, c in enumerate(text):
        mode = how[i % len(how)] if how else 0
        out.append(c if mode == 0 else f"&#{ord(c)};" if mode == 1 else f"&#x{ord(c):X};")
    return "".join(out)


ENCODED_MARKERS = st.builds(
    _encode,
    st.from_regex(r"\Acg(tok)?[0-9]{0,2}x\Z") | MARKER_LIKE,
    st.lists(st.integers(0, 2), max_size=6),
)
TEXTS = st.lists(
    st.one_of(PIECES, MARKER_LIKE, ENCODED_MARKERS, ENTITIES, st.text(max_size=8)), max_size=30
).map("".join)


@given(TEXTS)
@settings(
    max_examples=400,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
def test_any_text_renders_sanitised(text):
    assert_sanitised(render(text))


@given(st.text())
@settings(max_examples=200, deadline=None, database=None, derandomize=True)
def test_any_unicode_renders_sanitised(text):
    assert_sanitised(render(text))


# --- through the pages and the API ---------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [
        "cgtok&#57;x",
        "cgtok&#48;x and cgtok&#x31;x",
        "hi @[Rita Rep] [a](https://e.example/cgtok&#48;x)",
        "#proposal-1 [a](https://e.example/?x=#proposal-1) cgtok&#49;x",
    ],
)
def test_thread_page_and_api_answer_for_a_forged_marker(world, client_for, body):
    thread = services.thread_create(
        actor=world.user("manager"),
        partnership=world.partnership,
        title="Markers",
        body=body,
        accept_rules=True,
    )
    assert Post.objects.filter(thread=thread).count() == 1
    for role in ("manager", "observer"):
        c = client_for(role)
        page = c.get(thread.get_absolute_url())
        assert page.status_code == 200
        api = c.get(f"/api/conversations/{world.partnership.slug}/threads/{thread.pk}/posts")
        assert api.status_code == 200
        (post,) = json.loads(api.content)["items"]
        assert_sanitised(post["html"])
