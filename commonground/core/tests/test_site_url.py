"""Emailed links follow the configured site URL, and `make run PORT=…` configures it."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from commonground.organisations.tests.factories import OrganisationFactory
from commonground.partnerships import invitations

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.django_db
@override_settings(SITE_URL="http://127.0.0.1:8123/")
def test_the_invitation_email_links_to_the_configured_site_url(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _invitation, raw = invitations.invitation_create(
            actor=world.users["manager"],
            partnership=world.partnership,
            email="new.person@example.org",
            kind="representative",
            organisation=OrganisationFactory(name="Bike Kitchen"),
            representative_kind="doer",
        )
    body = mail.outbox[0].body
    path = reverse("accounts:invitation", kwargs={"token": raw})
    assert f"http://127.0.0.1:8123{path}" in body
    assert ":8000" not in body


def _run_make(tmp_path: Path, *args: str, env_extra: dict[str, str] | None = None) -> list[str]:
    """Run `make run …` with a stand-in Python that records each call and its site URL."""
    log = tmp_path / "calls.log"
    fake_python = tmp_path / "python"
    fake_python.write_text(
        '#!/bin/sh\nprintf "%s|%s\\n" "${COMMONGROUND_SITE_URL:-unset}" "$*" >> "'
        + str(log)
        + '"\n'
    )
    fake_python.chmod(0o755)
    stamp = tmp_path / "installed"  # newer than pyproject.toml: nothing is installed
    stamp.touch()
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"MAKEFLAGS", "MAKELEVEL", "MFLAGS", "COMMONGROUND_SITE_URL"}
    }
    env.update(env_extra or {})
    subprocess.run(
        ["make", "-s", "-C", str(ROOT), "run", f"PY={fake_python}", f"STAMP={stamp}", *args],
        env=env,
        check=True,
        capture_output=True,
        timeout=60,
    )
    return log.read_text().splitlines()


@pytest.mark.skipif(shutil.which("make") is None, reason="GNU make is not installed")
def test_make_run_on_another_port_sets_the_site_url_for_the_server(tmp_path):
    calls = _run_make(tmp_path, "PORT=8123")
    # scripts/serve.py starts the web server, a worker and the scheduler in this environment.
    served = [c for c in calls if "serve.py" in c]
    assert served == ["http://127.0.0.1:8123|scripts/serve.py --host 127.0.0.1 --port 8123"]
    # Everything `make run` starts (a worker sending the emails too) sees the same URL.
    assert all(c.startswith("http://127.0.0.1:8123|") for c in calls)


@pytest.mark.skipif(shutil.which("make") is None, reason="GNU make is not installed")
def test_make_run_keeps_a_site_url_given_in_the_environment(tmp_path):
    calls = _run_make(
        tmp_path, "PORT=8123", env_extra={"COMMONGROUND_SITE_URL": "https://partners.example.org"}
    )
    served = [c for c in calls if "serve.py" in c]
    assert served == ["https://partners.example.org|scripts/serve.py --host 127.0.0.1 --port 8123"]
