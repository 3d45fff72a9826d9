"""Request ids, structured logs and Prometheus metrics.

- ``RequestIdMiddleware`` gives every request an id: the incoming ``X-Request-ID``
  when it is well formed (so a reverse proxy's id runs through), a fresh one
  otherwise. Every log line written while the request runs carries it
  (``RequestIdFilter``) and the response returns it in ``X-Request-ID``.
- ``JsonFormatter`` writes one JSON object per log line (production default;
  ``COMMONGROUND_LOG_FORMAT=plain|json`` chooses).
- ``MetricsMiddleware`` counts requests, their latency and database queries by
  route name (never by raw path, so the series stay few). ``metrics`` serves them
  in Prometheus' text format only to a scraper presenting
  ``COMMONGROUND_METRICS_TOKEN`` as a bearer token; to anyone else (and when no
  token is configured) it is a 404. With several gunicorn workers, set
  ``PROMETHEUS_MULTIPROC_DIR`` so the scrape adds up every worker.
"""

from __future__ import annotations

import contextvars
import json
import logging
import os
import re
import secrets
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import REGISTRY, Collector

REQUEST_ID_HEADER = "X-Request-ID"
# Letters, digits and - _ . : up to 128 characters (UUIDs, proxy ids such as nginx's
# $request_id); anything else is replaced, so a log line cannot be forged through it.
REQUEST_ID_RE = re.compile(r"[A-Za-z0-9._:-]{1,128}")

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")


def current_request_id() -> str:
    return _request_id.get()


class RequestIdFilter(logging.Filter):
    """Puts the current request id on every log record (``-`` outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id, exception."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S") + f".{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", _request_id.get()),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


JsonFormatter.converter = time.gmtime  # type: ignore[assignment]


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        request_id = incoming if REQUEST_ID_RE.fullmatch(incoming) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        token = _request_id.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            _request_id.reset(token)
        response[REQUEST_ID_HEADER] = request_id
        return response


# --- metrics ---------------------------------------------------------------------------

REQUESTS = Counter(
    "commonground_http_requests",
    "HTTP requests answered, by route name, method and status class.",
    ["view", "method", "status"],
)
LATENCY = Histogram(
    "commonground_http_request_duration_seconds",
    "Time to answer a request, by route name.",
    ["view"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
QUERIES = Histogram(
    "commonground_http_request_db_queries",
    "Database queries per request, by route name.",
    ["view"],
    buckets=(1, 2, 5, 10, 20, 50, 100, 200),
)


class MetricsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        count = 0

        def counter(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        started = time.perf_counter()
        with connection.execute_wrapper(counter):
            response = self.get_response(request)
        elapsed = time.perf_counter() - started
        match = getattr(request, "resolver_match", None)
        view = (match.view_name if match else "") or "unresolved"
        REQUESTS.labels(view, request.method or "", f"{response.status_code // 100}xx").inc()
        LATENCY.labels(view).observe(elapsed)
        QUERIES.labels(view).observe(count)
        return response


class TaskCollector(Collector):
    """Background task queue depth and failures, read from the database at scrape time."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        from commonground.core.ops import task_backlog

        try:
            backlog = task_backlog()
        except Exception:
            return
        if backlog is None:
            return
        gauge = GaugeMetricFamily(
            "commonground_tasks",
            "Background tasks by status (ready, running, failed).",
            labels=["status"],
        )
        for status, value in backlog.items():
            gauge.add_metric([status], value)
        yield gauge


def registry() -> CollectorRegistry:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        combined = CollectorRegistry()
        multiprocess.MultiProcessCollector(combined)  # type: ignore[no-untyped-call]
        combined.register(TaskCollector())
        return combined
    return REGISTRY


_task_collector = TaskCollector()
if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    REGISTRY.register(_task_collector)


@login_not_required
@require_GET
@never_cache
def metrics(request: HttpRequest) -> HttpResponse:
    """Prometheus text format, only for a bearer of ``COMMONGROUND_METRICS_TOKEN``."""
    expected = settings.COMMONGROUND_METRICS_TOKEN
    scheme, _, presented = request.headers.get("Authorization", "").partition(" ")
    if (
        not expected
        or scheme.lower() != "bearer"
        or not secrets.compare_digest(presented.strip().encode(), expected.encode())
    ):
        raise Http404
    return HttpResponse(generate_latest(registry()), content_type=CONTENT_TYPE_LATEST)
