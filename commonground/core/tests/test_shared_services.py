"""The production services, each run for real inside the test: Redis (Debian's
``redis-server`` on a private unix socket) as the shared cache, and an
S3-compatible server (moto's, on a loopback port) as the upload store.
A test skips, saying why, only when the server program is not installed."""

from __future__ import annotations

import shutil
import subprocess
import time
import uuid
from pathlib import Path

import pytest
from django.core.cache import caches
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse

from commonground.accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from commonground.core import ops
from commonground.core.deploy import caches_from_url, storage_from_url

pytestmark = pytest.mark.django_db


# --- Redis -----------------------------------------------------------------------------


@pytest.fixture
def redis_server(tmp_path):
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    socket = tmp_path / "redis.sock"
    process = subprocess.Popen(
        [binary, "--port", "0", "--unixsocket", str(socket), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(200):
        if socket.exists():
            break
        time.sleep(0.05)
    else:
        process.kill()
        pytest.fail("redis-server did not start")
    import redis

    yield {"url": f"unix://{socket}", "client": redis.Redis(unix_socket_path=str(socket))}
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def redis_caches(redis_server):
    with override_settings(CACHES=caches_from_url(redis_server["url"], "", "v-test")):
        yield redis_server
    for alias in ("default", "pages"):
        caches[alias].close()


def sign_in(client, email, password):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_sign_in_throttle_holds_with_redis_across_app_processes(redis_caches):
    """Two clients stand for two app hosts: the counters live in Redis, not in a process."""
    UserFactory(email="kari@example.org")
    first, second = Client(), Client()
    for _ in range(5):
        assert sign_in(first, "kari@example.org", "wrong-password").status_code == 200
    response = sign_in(second, "kari@example.org", DEFAULT_PASSWORD)
    assert b"Too many failed" in response.content
    assert "_auth_user_id" not in second.session
    # The counters are in Redis under the security prefix, not in the database cache.
    keys = redis_caches["client"].keys("security:*")
    assert keys


def test_page_cache_lives_in_redis_with_the_code_version(redis_caches):
    caches["pages"].set("part", "html")
    assert caches["pages"].get("part") == "html"
    assert redis_caches["client"].keys("v-test:*")


def test_readyz_with_redis(client, redis_caches):
    body = client.get(reverse("core:readyz")).json()
    assert body["checks"]["cache:security"] == "ok"
    assert body["checks"]["cache:pages"] == "ok"


def test_an_evicting_redis_is_refused_for_the_security_counters(client, redis_caches):
    server = redis_caches["client"]
    server.config_set("maxmemory", "64mb")
    server.config_set("maxmemory-policy", "allkeys-lru")
    problem = ops.security_cache_problem()
    assert problem and "allkeys-lru" in problem and "noeviction" in problem
    response = client.get(reverse("core:readyz"))
    assert response.status_code == 503
    assert "allkeys-lru" in response.json()["checks"]["cache:security"]
    assert [m.id for m in ops.security_cache_never_evicts()] == ["commonground.E001"]
    # volatile-* is not enough either: every counter has a timeout.
    server.config_set("maxmemory-policy", "volatile-lru")
    assert ops.security_cache_problem()
    server.config_set("maxmemory-policy", "noeviction")
    assert ops.security_cache_problem() is None
    assert client.get(reverse("core:readyz")).status_code == 200
    # No memory limit: nothing is ever evicted, whatever the policy says.
    server.config_set("maxmemory", "0")
    server.config_set("maxmemory-policy", "allkeys-lru")
    assert ops.security_cache_problem() is None


def test_readyz_is_503_when_redis_is_down(client, redis_server, tmp_path):
    gone = f"unix://{tmp_path / 'nothing-here.sock'}"
    with override_settings(CACHES=caches_from_url(gone, "", "v-test")):
        response = client.get(reverse("core:readyz"))
    assert response.status_code == 503
    assert response.json()["checks"]["cache:pages"].startswith("unreachable")


# --- S3-compatible object storage ---------------------------------------------------------


@pytest.fixture
def s3_server():
    try:
        from moto.server import ThreadedMotoServer
    except ImportError as exc:
        pytest.skip(f"moto's S3 server is not installed ({exc})")
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3_storage(s3_server, monkeypatch, request):
    import boto3

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    bucket = f"cg-{uuid.uuid4().hex[:12]}"
    s3 = boto3.client("s3", endpoint_url=s3_server, region_name="eu-north-1")
    s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "eu-north-1"})
    mode = getattr(request, "param", "stream")
    storage, downloads = storage_from_url(
        f"s3://{bucket}/uploads?endpoint_url={s3_server}&region_name=eu-north-1"
        f"&addressing_style=path&downloads={mode}"
    )
    with override_settings(
        STORAGES={
            "default": storage,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
        COMMONGROUND_DOWNLOADS=downloads,
    ):
        yield {"s3": s3, "bucket": bucket, "endpoint": s3_server, "mode": mode}


def _upload(world, client, access_level="managers"):
    """A manager uploads a managers-only document through the page."""
    from commonground.library.models import Document

    url = reverse("library:document_upload", kwargs={"slug": world.partnership.slug})
    form = Client()
    form.force_login(world.users["manager"])
    data = {
        "title": "Budget",
        "kind": "document",
        "access_level": access_level,
        "owner_organisation": world.organisation.pk,
        "purpose": "Test",
        "confidentiality": "internal",
        "end_rule": "archive",
        "file": SimpleUploadedFile("budget.csv", b"a,b\n1,2\n"),
    }
    response = form.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return Document.objects.get(title="Budget")


def _download(world, role, document):
    client = Client()
    client.force_login(world.users[role])
    url = reverse(
        "library:download",
        kwargs={"slug": world.partnership.slug, "pk": document.pk, "version": 1},
    )
    return client.get(url)


@pytest.mark.parametrize("s3_storage", ["stream", "redirect"], indirect=True)
def test_uploads_go_to_a_private_bucket_and_only_members_get_them(world, s3_storage, monkeypatch):
    import requests

    document = _upload(world, None)
    name = document.versions.get().file.name
    s3, bucket = s3_storage["s3"], s3_storage["bucket"]
    stored = s3.get_object(Bucket=bucket, Key=f"uploads/{name}")
    assert stored["Body"].read() == b"a,b\n1,2\n"
    # The bucket is private: the object's plain URL, without a signature, is refused.
    plain = requests.get(f"{s3_storage['endpoint']}/{bucket}/uploads/{name}", timeout=10)
    assert plain.status_code == 403
    grants = s3.get_object_acl(Bucket=bucket, Key=f"uploads/{name}")["Grants"]
    assert all("AllUsers" not in str(g.get("Grantee", {})) for g in grants)

    # A person who may not read it gets a 404, and no signed URL is ever made.
    signed: list[str] = []
    storage_class = type(storages["default"])
    original_url = storage_class.url

    def spy(self, *args, **kwargs):
        signed.append(args[0])
        return original_url(self, *args, **kwargs)

    monkeypatch.setattr(storage_class, "url", spy)
    for role in ("outsider", "observer", "representative"):
        assert _download(world, role, document).status_code == 404
    assert signed == []

    # A manager gets the file: streamed by the app, or through a signed, expiring URL.
    response = _download(world, "manager", document)
    if s3_storage["mode"] == "stream":
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == b"a,b\n1,2\n"
        assert response["Content-Disposition"].startswith("attachment")
        assert signed == []
    else:
        assert response.status_code == 302
        location = response["Location"]
        assert "X-Amz-Signature=" in location and "X-Amz-Expires=60" in location
        fetched = requests.get(location, timeout=10)
        assert fetched.status_code == 200 and fetched.content == b"a,b\n1,2\n"
        assert fetched.headers["Content-Disposition"].startswith("attachment")
        assert signed == [name]


def test_readyz_checks_the_bucket(client, s3_storage, settings):
    assert client.get(reverse("core:readyz")).json()["checks"]["storage"] == "ok"
    storage, _ = storage_from_url(
        f"s3://no-such-bucket-{uuid.uuid4().hex[:8]}?endpoint_url={s3_storage['endpoint']}"
        "&region_name=eu-north-1&addressing_style=path"
    )
    settings.STORAGES = {**settings.STORAGES, "default": storage}
    response = client.get(reverse("core:readyz"))
    assert response.status_code == 503
    assert response.json()["checks"]["storage"].startswith("unreachable")


def test_a_missing_object_is_a_404_not_an_error(world, s3_storage):
    document = _upload(world, None)
    name = document.versions.get().file.name
    s3_storage["s3"].delete_object(Bucket=s3_storage["bucket"], Key=f"uploads/{name}")
    assert _download(world, "manager", document).status_code == 404


def test_no_file_is_left_on_local_disk(world, s3_storage, settings):
    _upload(world, None)
    media = Path(settings.MEDIA_ROOT)
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))
