"""Settings built from ``CACHE_URL`` and ``STORAGE_URL`` (read by ``settings.py``).

Plain functions with no Django import, so settings can call them and tests can
check what a URL turns into without reloading settings.

- ``CACHE_URL`` unset (or ``db``): both caches in the database (zero setup).
  ``redis://``, ``rediss://`` or ``unix://``: both caches in Redis through Django's
  own ``RedisCache``. ``SECURITY_CACHE_URL`` may put the security counters on
  another Redis (recommended: one whose ``maxmemory-policy`` is ``noeviction``).
- ``STORAGE_URL`` unset (or ``file``): uploads on local disk under ``MEDIA_ROOT``.
  ``s3://BUCKET[/PREFIX]?endpoint_url=...&region_name=...&addressing_style=path``:
  S3-compatible object storage through django-storages, private objects only;
  credentials from ``AWS_ACCESS_KEY_ID`` / ``AWS_SECRET_ACCESS_KEY``.
  ``&downloads=redirect`` hands a permitted reader a signed URL valid for
  ``&expire=`` seconds (60 by default) instead of streaming through the app.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

REDIS_SCHEMES = ("redis", "rediss", "unix")
SECURITY_KEY_PREFIX = "security"
S3_BACKEND = "storages.backends.s3.S3Storage"
# Query parameters of STORAGE_URL passed to S3Storage as they are.
S3_OPTIONS = ("endpoint_url", "region_name", "addressing_style", "signature_version")


def _scheme(url: str) -> str:
    return urlsplit(url).scheme.lower() if "://" in url else url.strip().lower()


def caches_from_url(
    cache_url: str, security_cache_url: str, page_key_prefix: str
) -> dict[str, dict[str, Any]]:
    """The ``CACHES`` setting: "default" (security counters) and "pages"."""
    scheme = _scheme(cache_url)
    if scheme in ("", "db"):
        if security_cache_url:
            raise RuntimeError("SECURITY_CACHE_URL needs CACHE_URL to name a Redis server too")
        return {
            "default": {
                "BACKEND": "commonground.core.cache.SecurityCache",
                "LOCATION": "commonground_security_cache",
                "OPTIONS": {"MAX_ENTRIES": 5000},
            },
            "pages": {
                "BACKEND": "django.core.cache.backends.db.DatabaseCache",
                "LOCATION": "commonground_cache",
                "KEY_PREFIX": page_key_prefix,
            },
        }
    security_url = security_cache_url or cache_url
    for url in (cache_url, security_url):
        if _scheme(url) not in REDIS_SCHEMES:
            raise RuntimeError(
                "CACHE_URL and SECURITY_CACHE_URL take redis://, rediss:// or unix:// "
                "(or CACHE_URL=db for the database cache)"
            )
    redis = "django.core.cache.backends.redis.RedisCache"
    return {
        # Counters never expire early: Redis removes a key only when its timeout
        # has passed, as long as the server never evicts (checked by /readyz and
        # `manage.py check`: core.ops.security_cache_problem).
        "default": {
            "BACKEND": redis,
            "LOCATION": security_url,
            "KEY_PREFIX": SECURITY_KEY_PREFIX,
        },
        "pages": {"BACKEND": redis, "LOCATION": cache_url, "KEY_PREFIX": page_key_prefix},
    }


def storage_from_url(storage_url: str) -> tuple[dict[str, Any], str]:
    """The "default" entry of ``STORAGES`` and how downloads are served
    (``"stream"`` through the app, or ``"redirect"`` to a short-lived signed URL)."""
    scheme = _scheme(storage_url)
    if scheme in ("", "file"):
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}, "stream"
    if scheme != "s3":
        raise RuntimeError("STORAGE_URL takes s3://BUCKET[/PREFIX]?endpoint_url=... (or file)")
    parts = urlsplit(storage_url)
    if not parts.hostname:
        raise RuntimeError("STORAGE_URL needs a bucket: s3://BUCKET[/PREFIX]")
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    downloads = query.pop("downloads", "stream")
    if downloads not in ("stream", "redirect"):
        raise RuntimeError("STORAGE_URL: downloads= takes stream or redirect")
    expire = int(query.pop("expire", "60"))
    unknown = set(query) - set(S3_OPTIONS)
    if unknown:
        raise RuntimeError(f"STORAGE_URL: unknown options {', '.join(sorted(unknown))}")
    options: dict[str, Any] = {
        "bucket_name": parts.hostname,
        "location": parts.path.strip("/"),
        # Never a public object: private ACL, every URL signed and short-lived,
        # never overwrite an existing object under the same name.
        "default_acl": "private",
        "querystring_auth": True,
        "querystring_expire": expire,
        "file_overwrite": False,
        **query,
    }
    return {"BACKEND": S3_BACKEND, "OPTIONS": options}, downloads
