"""Static checks of .env.example: it documents every variable docker-compose.yml and
config/settings.py read, each with a comment, production-oriented, without overriding
the compose wiring.

No Docker engine is needed (nor a database): the files are parsed and compared
(tests/config/deployment_files.py)."""

import re

import environ

from tests.config.deployment_files import COMPOSE_FILE, ENV_EXAMPLE, ENV_LINE, SETTINGS, env_example


def compose_variables() -> dict[str, bool]:
    """Variables interpolated in docker-compose.yml -> whether they have a default."""
    lines = COMPOSE_FILE.read_text(encoding="utf-8").splitlines()
    text = "\n".join(line for line in lines if not line.lstrip().startswith("#"))
    text = text.replace("$$", "")  # $$ is a literal $, not an interpolation
    variables: dict[str, bool] = {}
    for match in re.finditer(r"\$\{([A-Za-z_][A-Za-z0-9_]*)([^}]*)\}|\$([A-Za-z_]\w*)", text):
        name = match.group(1) or match.group(3)
        modifier = match.group(2) or ""
        has_default = modifier.startswith((":-", "-"))
        variables[name] = variables.get(name, True) and has_default
    return variables


SETTINGS_READ = re.compile(
    r"""\b(?:env|Env\(\))\s*(?:\.(?:str|bool|int|float|list|tuple|dict|json|url|db|db_url|
    cache|cache_url|email|email_url|search_url|path))?\(\s*["']([A-Z][A-Z0-9_]*)["']""",
    re.VERBOSE,
)


def settings_variables() -> set[str]:
    return set(SETTINGS_READ.findall(SETTINGS.read_text(encoding="utf-8")))


# --- .env.example -------------------------------------------------------------------------


def test_compose_variables_documented_in_env_example():
    active, commented = env_example()
    variables = compose_variables()
    assert "POSTGRES_PASSWORD" in variables  # the parser found the interpolations
    for name, has_default in variables.items():
        if has_default:
            assert name in active or name in commented, f"{name} missing from .env.example"
        else:
            assert name in active, f"{name} (no default in compose) must be set in .env"


def test_settings_variables_documented_in_env_example():
    active, commented = env_example()
    variables = settings_variables()
    # The regex really sees the settings' environment reads.
    assert {"SECRET_KEY", "DEBUG", "DATABASE_URL", "EMAIL_URL", "VAR_DIR"} <= variables
    missing = variables - set(active) - commented
    assert not missing, f"not in .env.example: {sorted(missing)}"


def test_every_env_example_variable_has_a_comment():
    lines = ENV_EXAMPLE.read_text(encoding="utf-8").splitlines()
    for index, line in enumerate(lines):
        match = ENV_LINE.match(line.strip())
        if not match:
            continue
        above = index - 1
        while above >= 0 and ENV_LINE.match(lines[above].strip()):
            above -= 1  # a group of related variables shares its comment
        assert above >= 0, f"{match.group(2)} has no comment"
        assert lines[above].startswith("#"), f"{match.group(2)} has no comment"


def test_env_example_is_production_oriented():
    active, _ = env_example()
    assert active["DEBUG"] == "false"
    assert active["SECRET_KEY"] == "change-me"
    assert active["SMS_BACKEND"] == "http"
    for name in ("ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS", "SITE_URL", "POSTGRES_PASSWORD"):
        assert active[name], name
    for origin in active["CSRF_TRUSTED_ORIGINS"].split(","):
        assert re.match(r"https?://", origin), "CSRF_TRUSTED_ORIGINS need a scheme"
    for name in ("SMS_GATEWAY_URL", "SMS_GATEWAY_USERNAME", "SMS_GATEWAY_PASSWORD"):
        assert active[name], name
    # Values parse as the settings parse them.
    email = environ.Env.email_url_config(active["EMAIL_URL"])
    assert email["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert email["EMAIL_USE_TLS"] is True
    assert email["EMAIL_PORT"] == 587
    int(active["EMAIL_TIMEOUT"])
    int(active["SMS_GATEWAY_TIMEOUT"])
    assert active["SMS_WITH_DIACRITICS"] in ("true", "false")


def test_env_example_does_not_override_compose_wiring():
    # DATABASE_URL and CELERY_BROKER_URL come from docker-compose.yml; active copies in
    # .env would be dead values pointing elsewhere, and VAR_DIR must stay where the
    # volumes are mounted.
    active, commented = env_example()
    for name in ("DATABASE_URL", "CELERY_BROKER_URL", "VAR_DIR"):
        assert name not in active, name
        assert name in commented, name
