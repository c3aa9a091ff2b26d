"""Settings of a live server the tests start (gunicorn on the test database): the project's,
with the fast password hasher the test processes use, so that the users they create can
sign in over HTTP."""

from config.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
