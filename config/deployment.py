"""What production (DEBUG off) refuses to start with: a placeholder or weak SECRET_KEY or
database password. Read by config/settings.py before Django is set up, so it imports only
constants; every process (gunicorn, Celery worker and beat, manage.py) stops the same way."""

from django.core.checks.security.base import (
    SECRET_KEY_MIN_LENGTH,
    SECRET_KEY_MIN_UNIQUE_CHARACTERS,
)
from django.core.exceptions import ImproperlyConfigured

# Words a value copied from .env.example, a tutorial or Django's startproject carries.
PLACEHOLDER_MARKERS = ("change-me", "changeme", "insecure", "placeholder")
DATABASE_PASSWORD_MIN_LENGTH = 16
# Server databases: SQLite (the development default, and the image's collectstatic) has none.
PASSWORD_ENGINES = ("django.db.backends.postgresql",)

GENERATE_SECRET_KEY = "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
GENERATE_PASSWORD = "python -c 'import secrets; print(secrets.token_urlsafe(32))'"


def _placeholder(value: str) -> str | None:
    lowered = value.lower()
    return next((marker for marker in PLACEHOLDER_MARKERS if marker in lowered), None)


def secret_key_problem(value: str) -> str | None:
    """Why the key is not fit for production, or None: Django's `check --deploy` criteria
    (length, distinct characters) and no placeholder word: Django's development keys
    (`django-insecure-…`) are refused by the word "insecure"."""
    if not value:
        return "is not set"
    return _weakness(value, SECRET_KEY_MIN_LENGTH)


def database_password_problem(value: str) -> str | None:
    """Why the database password is not fit for production, or None."""
    if not value:
        return "is empty"
    return _weakness(value, DATABASE_PASSWORD_MIN_LENGTH)


def _weakness(value: str, min_length: int) -> str | None:
    """What the key and the password are refused for alike: a placeholder word, too short,
    too few distinct characters."""
    if marker := _placeholder(value):
        return f"is a placeholder (it contains {marker!r})"
    if len(value) < min_length:
        return f"has {len(value)} characters, fewer than {min_length}"
    if len(set(value)) < SECRET_KEY_MIN_UNIQUE_CHARACTERS:
        return f"has fewer than {SECRET_KEY_MIN_UNIQUE_CHARACTERS} distinct characters"
    return None


def require_production_secrets(secret_key: str, database: dict) -> None:
    """Raises ImproperlyConfigured naming the variable to set and how to generate it."""
    if problem := secret_key_problem(secret_key):
        raise ImproperlyConfigured(
            f"SECRET_KEY {problem}. With DEBUG off a strong key is required: set SECRET_KEY "
            f"in the environment or in .env (see .env.example) to the output of "
            f"`{GENERATE_SECRET_KEY}`."
        )
    if database.get("ENGINE") not in PASSWORD_ENGINES:
        return
    if problem := database_password_problem(database.get("PASSWORD") or ""):
        raise ImproperlyConfigured(
            f"The database password (in DATABASE_URL; POSTGRES_PASSWORD with docker compose) "
            f"{problem}. With DEBUG off at least {DATABASE_PASSWORD_MIN_LENGTH} characters "
            f"are required: set it to the output of `{GENERATE_PASSWORD}`."
        )


def require_https_webhooks(allow_http: bool) -> None:
    """With DEBUG off webhooks go over https only (issue 14): a signed body is no secret
    sent in clear, and a receiver reached over http can be impersonated on the way."""
    if allow_http:
        raise ImproperlyConfigured(
            "WEBHOOK_ALLOW_HTTP is for development: with DEBUG off webhook endpoints must use "
            "https://. Remove WEBHOOK_ALLOW_HTTP from the environment (or .env)."
        )
