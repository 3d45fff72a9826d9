from __future__ import annotations

import pytest

from commonground.core.testing import World, build_world


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Argon2 is deliberately slow; tests do not need it (production keeps it).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _tasks_at_commit(settings):
    # Tasks run in the test process when the transaction commits (the same task code a
    # worker runs); core/tests/test_tasks.py runs them through the database backend's
    # worker instead.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def world(db) -> World:
    return build_world()


@pytest.fixture
def client_for(client, world):
    """``client_for("manager")`` gives a test client signed in as that role's person."""
    from django.test import Client

    def make(role: str) -> Client:
        c = Client()
        user = world.user(role)
        if user is not None:
            c.force_login(user)
        return c

    return make
