"""Probes, metrics, request ids and structured logs (core.ops, core.observability)."""

from __future__ import annotations

import json
import logging

import pytest
from django.apps import apps
from django.core.files.storage import default_storage
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from commonground.core.deploy import caches_from_url, storage_from_url
from commonground.core.observability import JsonFormatter, RequestIdFilter, RequestIdMiddleware

pytestmark = pytest.mark.django_db


def test_readyz_answers_every_check_by_name(client):
    response = client.get(reverse("core:readyz"))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    for name in ("database", "cache:security", "cache:pages", "storage"):
        assert body["checks"][name] == "ok"


def test_readyz_is_503_with_the_reason_when_storage_fails(client, monkeypatch):
    def broken(name):
        raise OSError("disk gone")

    monkeypatch.setattr(default_storage, "exists", broken)
    response = client.get(reverse("core:readyz"))
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["storage"] == "unreachable (OSError)"
    assert "disk gone" not in response.content.decode()  # no details to the public


def test_readyz_reports_the_task_backlog_when_tasks_are_installed(client):
    if not apps.is_installed("django_tasks_db"):
        pytest.skip("the database task backend is not installed")
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="x.y",
        backend_name="default",
        run_after="2030-01-01T00:00:00Z",
        status="FAILED",
    )
    checks = client.get(reverse("core:readyz")).json()["checks"]
    assert checks["tasks"]["failed"] == 1


def test_metrics_are_hidden_without_the_token(client, settings):
    settings.COMMONGROUND_METRICS_TOKEN = ""
    assert client.get("/metrics").status_code == 404
    settings.COMMONGROUND_METRICS_TOKEN = "s3cret-scrape-token"
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 404


def test_metrics_count_requests_latency_and_queries(client, settings):
    settings.COMMONGROUND_METRICS_TOKEN = "s3cret-scrape-token"
    client.get(reverse("core:healthz"))
    response = client.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-scrape-token")
    assert response.status_code == 200
    text = response.content.decode()
    assert 'commonground_http_requests_total{method="GET",status="2xx",view="core:healthz"}' in text
    assert 'commonground_http_request_duration_seconds_count{view="core:healthz"}' in text
    assert 'commonground_http_request_db_queries_sum{view="core:healthz"}' in text


def _log_through_middleware(incoming: str | None) -> tuple[HttpResponse, dict]:
    records: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record):
            records.append(self.format(record))

    handler = Collect()
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("commonground.test_request_id")
    logger.addHandler(handler)
    try:

        def view(request):
            logger.warning("inside %s", "the view")
            return HttpResponse("ok")

        headers = {"HTTP_X_REQUEST_ID": incoming} if incoming is not None else {}
        response = RequestIdMiddleware(view)(RequestFactory().get("/", **headers))
    finally:
        logger.removeHandler(handler)
    assert len(records) == 1
    return response, json.loads(records[0])


def test_a_well_formed_incoming_request_id_runs_through_logs_and_response():
    response, line = _log_through_middleware("proxy-7f3a.42")
    assert response["X-Request-ID"] == "proxy-7f3a.42"
    assert line["request_id"] == "proxy-7f3a.42"
    assert line["message"] == "inside the view"
    assert line["level"] == "WARNING"


@pytest.mark.parametrize("incoming", [None, "", "x" * 129, 'bad"id\nforged: line'])
def test_a_missing_or_malformed_request_id_is_replaced(incoming):
    response, line = _log_through_middleware(incoming)
    assert response["X-Request-ID"] == line["request_id"]
    assert len(line["request_id"]) == 32 and line["request_id"] != incoming


def test_every_response_carries_a_request_id(client):
    assert len(client.get(reverse("core:healthz"))["X-Request-ID"]) == 32


def test_defaults_need_no_service():
    caches = caches_from_url("", "", "v1")
    assert caches["default"]["BACKEND"] == "commonground.core.cache.SecurityCache"
    assert caches["pages"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    assert storage_from_url("") == (
        {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "stream",
    )


def test_urls_are_read_strictly():
    redis = caches_from_url("redis://cache:6379/1", "unix:///run/redis/sec.sock?db=0", "v1")
    assert redis["pages"]["LOCATION"] == "redis://cache:6379/1"
    assert redis["default"]["LOCATION"] == "unix:///run/redis/sec.sock?db=0"
    assert redis["default"]["KEY_PREFIX"] != redis["pages"]["KEY_PREFIX"]
    storage, downloads = storage_from_url(
        "s3://uploads/cg?endpoint_url=https://s3.example&downloads=redirect&expire=30"
    )
    assert storage["OPTIONS"]["default_acl"] == "private"
    assert storage["OPTIONS"]["querystring_auth"] is True
    assert storage["OPTIONS"]["querystring_expire"] == 30
    assert storage["OPTIONS"]["location"] == "cg"
    assert downloads == "redirect"
    for bad in ("memcached://x", "s3://b?acl=public-read", "s3://b?downloads=public", "ftp://x"):
        with pytest.raises(RuntimeError):
            if bad.startswith(("s3", "ftp")):
                storage_from_url(bad)
            else:
                caches_from_url(bad, "", "v1")
