"""API pages are bounded: an absurd page number is a clear JSON 4xx, never a server error."""

import pytest


def members_url(world, page: str) -> str:
    return f"/api/partnerships/{world.partnership.slug}/members?page={page}"


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["138186782201484545097728", "1000001", "0", "-1"])
def test_out_of_range_page_numbers_are_refused_as_json(world, client_for, page):
    response = client_for("manager").get(members_url(world, page))
    assert 400 <= response.status_code < 500
    assert response["Content-Type"].startswith("application/json")
    assert "page" in response.content.decode()


@pytest.mark.django_db
def test_the_largest_allowed_page_is_an_empty_page(world, client_for):
    response = client_for("manager").get(members_url(world, "1000000"))
    assert response.status_code == 200 and response.json()["items"] == []
