import json

import pytest
from django.urls import reverse

from commonground.accounts import services

pytestmark = pytest.mark.django_db


def bearer(raw):
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_a_token_authenticates_api_calls_with_the_owners_permissions(world, client):
    _token, raw = services.api_token_create(user=world.users["manager"], name="script")
    url = reverse("api:partnership_detail", kwargs={"slug": world.partnership.slug})
    assert client.get(url).status_code == 401
    response = client.get(url, **bearer(raw))
    assert response.status_code == 200
    assert response.json()["name"] == world.partnership.name


def test_revoked_and_forged_tokens_are_refused(world, client):
    token, raw = services.api_token_create(user=world.users["manager"], name="script")
    services.api_token_revoke(user=world.users["manager"], token=token)
    url = reverse("api:partnership_list")
    assert client.get(url, **bearer(raw)).status_code == 401
    assert client.get(url, **bearer("cg_forged")).status_code == 401


def test_outsider_gets_json_404_and_bad_input_json_400(world, client):
    _t, outsider = services.api_token_create(user=world.users["outsider"], name="x")
    _t, manager = services.api_token_create(user=world.users["manager"], name="y")
    response = client.get(
        reverse("api:partnership_detail", kwargs={"slug": world.partnership.slug}),
        **bearer(outsider),
    )
    assert response.status_code == 404
    assert response.json() == {"detail": "not found"}
    response = client.post(
        reverse("api:organisation_create"),
        data=json.dumps({"name": "", "sector": "martian"}),
        content_type="application/json",
        **bearer(manager),
    )
    assert response.status_code == 400
    assert response.json()["detail"] == "invalid input"


def test_member_lacking_the_capability_gets_json_403(world, client):
    _t, raw = services.api_token_create(user=world.users["observer"], name="x")
    response = client.post(
        reverse("api:partnership_member_set", kwargs={"slug": world.partnership.slug}),
        data=json.dumps({"organisation": world.organisation.slug}),
        content_type="application/json",
        **bearer(raw),
    )
    assert response.status_code == 403
    assert "does not allow" in response.json()["detail"]


def test_openapi_schema_lists_the_endpoints(client):
    schema = client.get("/api/openapi.json").json()
    assert "/api/partnerships/{slug}/members" in schema["paths"]
    assert "/api/organisations/" in schema["paths"]
