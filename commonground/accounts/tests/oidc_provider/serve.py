"""Run the test identity provider: migrate its database, register the client, listen
on 127.0.0.1 on a free port and print that port as the first line of output.

Environment: OIDC_TEST_DB, OIDC_TEST_KEY (PEM), OIDC_TEST_CLIENT_ID,
OIDC_TEST_CLIENT_SECRET, OIDC_TEST_REDIRECT_URI. Stops when its parent closes stdin."""

from __future__ import annotations

import os
import sys
import threading
from wsgiref.simple_server import WSGIRequestHandler, make_server


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def main() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "commonground.accounts.tests.oidc_provider.settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.core.wsgi import get_wsgi_application
    from oauth2_provider.models import Application

    call_command("migrate", verbosity=0)
    Application.objects.create(
        name="Common Ground",
        client_id=os.environ["OIDC_TEST_CLIENT_ID"],
        client_secret=os.environ["OIDC_TEST_CLIENT_SECRET"],
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=os.environ["OIDC_TEST_REDIRECT_URI"],
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    )
    server = make_server("127.0.0.1", 0, get_wsgi_application(), handler_class=QuietHandler)
    sys.stdout.write(f"{server.server_port}\n")
    sys.stdout.flush()

    # The test closes our stdin (or dies): then stop.
    def stop_when_stdin_closes() -> None:
        sys.stdin.read()
        server.shutdown()

    threading.Thread(target=stop_when_stdin_closes, daemon=True).start()
    server.serve_forever()


if __name__ == "__main__":
    main()
