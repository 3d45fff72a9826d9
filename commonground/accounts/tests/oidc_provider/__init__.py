"""A small OpenID Connect identity provider (django-oauth-toolkit) for the single
sign-on tests, run as a second process on 127.0.0.1 (``serve.py``). Test use only:
its ``/test-login/`` signs anyone in without a password and ``/test-mode/`` makes
it issue faulty ID tokens."""
