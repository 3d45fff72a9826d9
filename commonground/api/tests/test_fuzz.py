"""Property-based fuzzing of the JSON API against its own OpenAPI schema (schemathesis).

Bounded: a few generated requests per operation, signed in with a manager's
token in the permission-matrix world, so both refusals and real data paths are
exercised. Every answer must be a non-5xx response that matches the schema.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from commonground.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    # Called straight through WSGI (not Django's test client), a request would close the
    # database connection at its end, in the middle of the test's transaction. The test
    # client avoids that the same way: by not closing connections between requests.
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def bearer(world):
    from commonground.accounts.services import api_token_create

    _token, raw = api_token_create(user=world.users["manager"], name="fuzz")
    return {"Authorization": f"Bearer {raw}"}


@schema.parametrize()
@settings(max_examples=4, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
@pytest.mark.django_db
def test_api_answers_without_server_errors_and_matches_its_schema(case, bearer, world):
    # Path parameters named slug point at the world's partnership half of the time.
    if (
        case.path_parameters
        and "slug" in case.path_parameters
        and hash(str(case.path_parameters)) % 2
    ):
        case.path_parameters["slug"] = world.partnership.slug
    case.call_and_validate(headers=bearer, checks=[not_a_server_error, response_schema_conformance])
