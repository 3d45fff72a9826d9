import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import call_command

from commonground.accounts.models import User
from commonground.organisations.models import Organisation
from commonground.partnerships.models import Partnership, Role

pytestmark = pytest.mark.django_db


def test_demo_loads_once_and_is_idempotent(client):
    call_command("load_demo", verbosity=0)
    counts = (
        Partnership.objects.count(),
        Organisation.objects.count(),
        User.objects.count(),
        Role.objects.count(),
    )
    call_command("load_demo", verbosity=0)
    assert counts == (
        Partnership.objects.count(),
        Organisation.objects.count(),
        User.objects.count(),
        Role.objects.count(),
    )
    demo = Partnership.objects.get(slug="fjordvik-circular")
    assert demo.memberships.count() >= 10
    assert demo.roles.count() >= 25
    assert set(demo.memberships.values_list("organisation__sector", flat=True)) >= {
        "public",
        "private",
        "civil",
        "knowledge",
        "funder",
        "residents",
        "multilateral",
    }
    # every role kind, the translator between sectors included
    assert len(set(demo.roles.values_list("kind", flat=True))) == 10
    # The convener sees it; the outsider (README's table) sees the listed partnership's
    # overview with its name and purpose only, 404 on the rest of the workspace, and 404
    # on the overview too once it is private.
    client.force_login(User.objects.get(email="ingrid@fjordvik.example"))
    assert client.get(demo.get_absolute_url()).status_code == 200
    client.force_login(User.objects.get(email="outsider@elsewhere.example"))
    assert demo.visibility == "listed"
    overview = client.get(demo.get_absolute_url())
    assert overview.status_code == 200
    assert demo.purpose in overview.content.decode()
    assert client.get(f"/p/{demo.slug}/documents/").status_code == 404
    assert client.get(f"/p/{demo.slug}/contributions/").status_code == 404
    demo.visibility = "private"
    demo.save()
    assert client.get(demo.get_absolute_url()).status_code == 404


def test_production_settings_pass_the_deploy_check(tmp_path):
    env = {
        **os.environ,
        "DJANGO_ENV": "production",
        "DJANGO_SECRET_KEY": "k" * 64 + "-production-test-secret-0123456789",
        "DJANGO_ALLOWED_HOSTS": "commonground.example",
        "COMMONGROUND_VAR_DIR": str(tmp_path),
    }
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_security_headers_on_every_page(client):
    response = client.get("/about/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
