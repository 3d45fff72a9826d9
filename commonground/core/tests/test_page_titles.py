"""Every page has its own <title>: a tab, a bookmark or a screen reader's page list tells
the pages apart (issue: "Every page has a specific <title>")."""

from __future__ import annotations

import html
import re
from collections import defaultdict
from pathlib import Path

import pytest
from django.test import Client

from commonground.core.testing import add_every_role_kind

from .test_permission_matrix import matrix_rows, send

TITLE = re.compile(rb"<title>(.*?)</title>", re.S)


def page_titles(world, role: str) -> dict[str, str]:
    """The <title> of every HTML page in the permission matrix that ``role`` may open."""
    add_every_role_kind(world)
    client = Client(raise_request_exception=False)
    client.force_login(world.user(role))
    titles: dict[str, str] = {}
    for row in matrix_rows(world):
        if row.method != "get" or row.api or row.name in titles:
            continue
        response = send(client, row)
        if response.status_code != 200 or not response.get("Content-Type", "").startswith(
            "text/html"
        ):
            continue
        if getattr(response, "streaming", False):
            continue
        match = TITLE.search(response.content)
        if match is None:
            continue  # an htmx fragment, not a page
        titles[row.name] = " ".join(html.unescape(match.group(1).decode()).split())
    return titles


@pytest.mark.django_db
def test_every_page_a_manager_opens_has_a_specific_title(world):
    titles = page_titles(world, "manager")
    assert len(titles) > 50  # the matrix's pages were rendered
    site = "Common Ground"  # core.context_processors SITE_NAME
    partnership = world.partnership.name
    generic = {site, f"{partnership} · {site}"}
    bare = sorted(name for name, title in titles.items() if title in generic)
    assert not bare, "pages with only the site or partnership name as title:\n" + "\n".join(
        f"{name}: {titles[name]}" for name in bare
    )
    shared: dict[str, list[str]] = defaultdict(list)
    for name, title in titles.items():
        shared[title].append(name)
    same = {title: names for title, names in shared.items() if len(names) > 1}
    assert not same, "different pages with the same title:\n" + "\n".join(
        f"{title}: {', '.join(sorted(names))}" for title, names in sorted(same.items())
    )


def test_every_page_links_the_favicon_served_from_static(client, db):
    # (the sign-in page lists the single sign-on providers allauth keeps in the database)
    from django.contrib.staticfiles import finders
    from django.templatetags.static import static
    from django.urls import reverse

    page = client.get(reverse("account_login")).content.decode()
    href = static("favicon.svg")
    assert f'<link rel="icon" href="{href}" type="image/svg+xml">' in page
    found = finders.find("favicon.svg")
    assert found and Path(found).read_text().startswith("<svg")
