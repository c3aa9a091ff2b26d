"""What a benchmark's process is, before Django starts: production's settings (DEBUG off, so
no query log), on a database of the benchmark's own."""

import os
import secrets


def production_like(database: str) -> None:
    """DATABASE_URL (unless given) names `database` on the local PostgreSQL. Production
    refuses a weak key or database password (config/deployment.py): a random key, and a
    password the local trust authentication ignores. Requests are made over plain HTTP."""
    os.environ.setdefault(
        "DATABASE_URL", f"postgres://postgres:bench-local-trust-auth@127.0.0.1:5432/{database}"
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
