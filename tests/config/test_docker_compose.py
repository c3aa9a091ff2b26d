"""Static checks of the container deployment: docker-compose.yml, Dockerfile, deploy/nginx.conf
and .env.example must agree with each other and with config/settings.py.

No Docker engine is needed (nor a database): the files are parsed and compared.
"""

import json
import re
import shlex
from functools import cache
from pathlib import Path

import environ
import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
DOCKERIGNORE = ROOT / ".dockerignore"
ENV_EXAMPLE = ROOT / ".env.example"
NGINX_CONF = ROOT / "deploy" / "nginx.conf"
SETTINGS = ROOT / "config" / "settings.py"

APP_SERVICES = ("migrate", "web", "worker", "beat")
LONG_RUNNING = ("postgres", "redis", "web", "worker", "beat", "nginx")
ALL_SERVICES = {"postgres", "redis", "migrate", "web", "worker", "beat", "nginx"}
VAR_DIR = "/app/var"  # set by the Dockerfile, where the compose volumes are mounted


# --- helpers ------------------------------------------------------------------------------


@cache
def compose() -> dict:
    return yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))


def service(name: str) -> dict:
    return compose()["services"][name]


def command_text(svc: dict) -> str:
    command = svc.get("command", "")
    return command if isinstance(command, str) else " ".join(command)


def healthcheck_text(svc: dict) -> str:
    test = svc["healthcheck"]["test"]
    return test if isinstance(test, str) else " ".join(test)


def volume_mounts(svc: dict) -> dict[str, str]:
    """Named/bind source -> container path, for the short volume syntax."""
    mounts = {}
    for entry in svc.get("volumes", []):
        source, target, *_ = entry.split(":")
        mounts[source] = target
    return mounts


def depends_on(svc: dict) -> dict[str, str]:
    deps = svc.get("depends_on", {})
    if isinstance(deps, list):  # short syntax: no condition (service_started)
        return dict.fromkeys(deps, "service_started")
    return {name: spec.get("condition", "service_started") for name, spec in deps.items()}


@cache
def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, with line continuations joined and comments dropped."""
    instructions, current = [], ""
    for raw in DOCKERFILE.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not current and (not line or line.startswith("#")):
            continue
        if current and line.startswith("#"):
            continue
        if line.endswith("\\"):
            current += line[:-1] + " "
            continue
        current += line
        keyword, _, args = current.partition(" ")
        instructions.append((keyword.upper(), args.strip()))
        current = ""
    return instructions


def dockerfile_env() -> dict[str, str]:
    env = {}
    for keyword, args in dockerfile_instructions():
        if keyword == "ENV":
            for item in shlex.split(args):
                key, _, value = item.partition("=")
                env[key] = value
    return env


def dockerfile_cmd() -> list[str]:
    cmds = [args for keyword, args in dockerfile_instructions() if keyword == "CMD"]
    assert cmds, "Dockerfile has no CMD"
    cmd = json.loads(cmds[-1])  # exec form, so that gunicorn is PID 1 and gets signals
    assert isinstance(cmd, list)
    return cmd


ENV_LINE = re.compile(r"^(#\s*)?([A-Z][A-Z0-9_]*)=(.*)$")


@cache
def env_example() -> tuple[dict[str, str], set[str]]:
    """(active VARIABLE -> value, documented-but-commented-out variables)."""
    active, commented = {}, set()
    for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines():
        match = ENV_LINE.match(line.strip())
        if not match:
            continue
        hash_, name, value = match.groups()
        if hash_:
            commented.add(name)
        else:
            assert name not in active, f"{name} is set twice in .env.example"
            active[name] = value.strip().strip('"').strip("'")
    return active, commented


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


# --- files --------------------------------------------------------------------------------


def test_referenced_files_exist():
    for path in (COMPOSE_FILE, DOCKERFILE, DOCKERIGNORE, ENV_EXAMPLE, NGINX_CONF):
        assert path.is_file(), f"{path.relative_to(ROOT)} is missing"
    assert (ROOT / "requirements.lock").is_file()
    # Bind mounts in the compose file point at files of the repository.
    for name, svc in compose()["services"].items():
        for source in volume_mounts(svc):
            if source.startswith("."):
                assert (ROOT / source).exists(), f"{name} mounts missing {source}"
    # Build contexts exist and hold a Dockerfile.
    for name in APP_SERVICES:
        build = service(name)["build"]
        context = build if isinstance(build, str) else build.get("context", ".")
        assert (ROOT / context / "Dockerfile").is_file()


# --- docker-compose.yml -------------------------------------------------------------------


def test_compose_has_the_services_and_no_version_key():
    data = compose()
    assert "version" not in data, "the Compose spec has no `version:` key"
    assert set(data["services"]) == ALL_SERVICES
    assert "x-app" in data, "the app services share an x-app anchor"


def test_images_pinned():
    assert service("postgres")["image"] == "postgres:16-alpine"
    assert service("redis")["image"] == "redis:7-alpine"
    assert service("nginx")["image"] == "nginx:1.27-alpine"


def test_app_services_share_image_build_and_env_file():
    shared = compose()["x-app"]
    assert shared["env_file"] in (".env", [".env"])
    for name in APP_SERVICES:
        svc = service(name)
        assert svc["build"] == shared["build"], name
        assert svc["image"] == shared["image"], name
        assert svc["env_file"] in (".env", [".env"]), name
    # The infrastructure services do not receive the application's secrets.
    for name in ("postgres", "redis", "nginx"):
        assert "env_file" not in service(name), name


def test_app_services_point_at_postgres_and_redis():
    postgres_env = service("postgres")["environment"]
    for name in APP_SERVICES:
        env = service(name)["environment"]
        assert env["CELERY_BROKER_URL"] == "redis://redis:6379/0", name
        assert re.fullmatch(
            r"postgres://dondoc:\$\{POSTGRES_PASSWORD(:\?[^}]*)?\}@postgres:5432/dondoc",
            env["DATABASE_URL"],
        ), name
        # Interpolated, the URL parses to the database the postgres service creates.
        password = env_example()[0]["POSTGRES_PASSWORD"]
        url = re.sub(r"\$\{POSTGRES_PASSWORD[^}]*\}", password, env["DATABASE_URL"])
        db = environ.Env.db_url_config(url)
        assert db["ENGINE"] == "django.db.backends.postgresql"
        assert (db["HOST"], db["PORT"], db["NAME"], db["USER"], db["PASSWORD"]) == (
            "postgres",
            5432,
            postgres_env["POSTGRES_DB"],
            postgres_env["POSTGRES_USER"],
            password,
        )
        assert postgres_env["POSTGRES_PASSWORD"].startswith("${POSTGRES_PASSWORD")


def test_healthchecks():
    for name in ("postgres", "redis", "web", "worker"):
        assert "healthcheck" in service(name), f"{name} has no healthcheck"
    assert "pg_isready" in healthcheck_text(service("postgres"))
    assert "redis-cli ping" in healthcheck_text(service("redis"))
    web = healthcheck_text(service("web"))
    assert "urllib" in web, "python:3.11-slim has no curl: check with urllib"
    assert "http://127.0.0.1:8000/api/v1/schema/" in web
    worker = healthcheck_text(service("worker"))
    assert "celery -A config inspect ping" in worker
    # $$ so that the container's shell, not compose, expands HOSTNAME.
    assert "celery@$$HOSTNAME" in worker


def test_web_healthcheck_host_is_allowed():
    # The healthcheck's Host header is 127.0.0.1: without it in ALLOWED_HOSTS Django
    # answers 400 and the web service never becomes healthy.
    allowed = service("web")["environment"]["ALLOWED_HOSTS"].split(",")
    assert "127.0.0.1" in allowed


def test_dependencies():
    expected = {
        "migrate": {"postgres": "service_healthy"},
        "web": {
            "postgres": "service_healthy",
            "redis": "service_healthy",
            "migrate": "service_completed_successfully",
        },
        "worker": {
            "postgres": "service_healthy",
            "redis": "service_healthy",
            "migrate": "service_completed_successfully",
        },
        "beat": {
            "postgres": "service_healthy",
            "redis": "service_healthy",
            "migrate": "service_completed_successfully",
        },
        "nginx": {"web": "service_healthy"},
    }
    for name, deps in expected.items():
        assert depends_on(service(name)) == deps, name


def test_dependency_conditions_are_satisfiable():
    for name, svc in compose()["services"].items():
        for dep, condition in depends_on(svc).items():
            assert dep in compose()["services"], f"{name} depends on unknown {dep}"
            if condition == "service_healthy":
                assert "healthcheck" in service(dep), f"{name} waits for {dep} health"
            if condition == "service_completed_successfully":
                assert service(dep).get("restart") == "no", f"{dep} must run once"


def test_migrate_runs_once():
    migrate = service("migrate")
    # Quoted in YAML: a bare `no` is the boolean false, which compose rejects.
    assert migrate["restart"] == "no"
    assert re.search(r"\bpython manage\.py migrate --noinput\b", command_text(migrate))


def test_long_running_services_restart():
    for name in LONG_RUNNING:
        assert service(name)["restart"] == "unless-stopped", name


def test_commands():
    web = command_text(service("web"))
    assert "gunicorn config.wsgi:application" in web
    assert "--bind 0.0.0.0:8000" in web
    assert re.search(r"\bcelery -A config worker\b", command_text(service("worker")))
    assert re.search(r"\bcelery -A config beat\b", command_text(service("beat")))
    # The scheduler comes from the settings (CELERY_BEAT_SCHEDULER), not a local file.
    assert "--scheduler" not in command_text(service("beat"))
    assert "CELERY_BEAT_SCHEDULER" in SETTINGS.read_text(encoding="utf-8")


def test_redis_persists_queue():
    redis = service("redis")
    assert "--appendonly yes" in command_text(redis)
    assert volume_mounts(redis) == {"redisdata": "/data"}


def test_named_volumes_declared_and_used():
    declared = set(compose()["volumes"])
    assert declared == {"pgdata", "redisdata", "media", "static"}
    assert volume_mounts(service("postgres"))["pgdata"] == "/var/lib/postgresql/data"
    for name in ("web", "worker"):
        assert volume_mounts(service(name))["media"] == f"{VAR_DIR}/media", name
    assert volume_mounts(service("web"))["static"] == f"{VAR_DIR}/static"
    assert "static" in volume_mounts(service("nginx"))
    # Every named volume a service mounts is declared.
    for name, svc in compose()["services"].items():
        for source in volume_mounts(svc):
            if not source.startswith((".", "/")):
                assert source in declared, f"{name} mounts undeclared volume {source}"


def test_only_nginx_publishes_a_port():
    for name, svc in compose()["services"].items():
        if name != "nginx":
            assert "ports" not in svc, f"{name} should not be published"
    assert service("nginx")["ports"] == ["${HTTP_PORT:-8000}:80"]


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


# --- Dockerfile ---------------------------------------------------------------------------


def test_dockerfile_base_and_user():
    instructions = dockerfile_instructions()
    froms = [args.split()[0] for keyword, args in instructions if keyword == "FROM"]
    assert froms, "Dockerfile has no FROM"
    assert set(froms) == {"python:3.11-slim"}, "Django 5.2 here needs Python 3.11"
    users = [args for keyword, args in instructions if keyword == "USER"]
    assert users, "the image must not run as root"
    assert users[-1] not in ("root", "0", "0:0")


def test_dockerfile_installs_the_lock_with_hashes():
    runs = [args for keyword, args in dockerfile_instructions() if keyword == "RUN"]
    assert any(
        "pip install" in run and "--require-hashes" in run and "-r requirements.lock" in run
        for run in runs
    )


def test_dockerfile_environment():
    env = dockerfile_env()
    assert env["DJANGO_SETTINGS_MODULE"] == "config.settings"
    assert env["VAR_DIR"] == VAR_DIR
    assert env["PYTHONUNBUFFERED"] == "1"


def test_dockerfile_collects_static_files_with_a_dummy_key():
    runs = [args for keyword, args in dockerfile_instructions() if keyword == "RUN"]
    collect = [run for run in runs if "collectstatic" in run]
    assert len(collect) == 1
    assert "--noinput" in collect[0]
    assert re.search(r"\bSECRET_KEY=\S+", collect[0])
    assert re.search(r"\bDEBUG=false\b", collect[0])


def test_dockerfile_cmd_matches_compose_web():
    cmd = dockerfile_cmd()
    assert cmd[:2] == ["gunicorn", "config.wsgi:application"]
    assert cmd[cmd.index("--bind") + 1] == "0.0.0.0:8000"
    assert "--timeout" in cmd
    assert "--workers" in cmd or "WEB_CONCURRENCY" in dockerfile_env()
    # The web service runs collectstatic first, then exactly the image's command.
    web = command_text(service("web"))
    assert " exec " in web
    assert shlex.split(web.split(" exec ", 1)[1]) == cmd
    # The wsgi target is the one the settings declare.
    assert "config.wsgi.application" in SETTINGS.read_text(encoding="utf-8")
    assert (ROOT / "config" / "wsgi.py").is_file()


def test_dockerignore_keeps_local_state_out():
    patterns = {
        line.strip().rstrip("/")
        for line in DOCKERIGNORE.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    }
    for pattern in (".venv", "var", ".git", ".env", ".pytest_cache"):
        assert pattern in patterns, pattern
    assert any("__pycache__" in pattern for pattern in patterns)
    # What the build needs is not excluded.
    for needed in ("requirements.lock", "manage.py", "config", "*.mo", "**/*.mo", "locale"):
        assert needed not in patterns, needed


# --- nginx --------------------------------------------------------------------------------


def nginx_conf() -> str:
    text = NGINX_CONF.read_text(encoding="utf-8")
    return "\n".join(line.split("#", 1)[0] for line in text.splitlines())


def test_nginx_conf_is_mounted():
    mounts = volume_mounts(service("nginx"))
    assert mounts["./deploy/nginx.conf"] == "/etc/nginx/conf.d/default.conf"


def test_nginx_proxies_to_web():
    conf = nginx_conf()
    assert re.search(r"\bproxy_pass\b", conf)
    assert re.search(r"(proxy_pass|set \$\w+|server)\s+(http://)?web:8000\b", conf)
    assert re.search(r"proxy_set_header\s+X-Forwarded-Proto\b", conf), (
        "Django's SECURE_PROXY_SSL_HEADER relies on X-Forwarded-Proto"
    )
    assert re.search(r"\blisten\s+80\b", conf)


def test_nginx_serves_static_from_the_static_volume():
    conf = nginx_conf()
    match = re.search(r"location\s+/static/\s*\{[^}]*\balias\s+([^;\s]+);", conf)
    assert match, "nginx must serve /static/"
    static_mount = volume_mounts(service("nginx"))["static"]
    assert match.group(1).rstrip("/") == static_mount.rstrip("/")
    # STATIC_URL in the settings is the location nginx serves.
    assert re.search(r'^STATIC_URL = "/?static/"', SETTINGS.read_text(encoding="utf-8"), re.M)
    # Private attachments are never served by nginx.
    assert "/media/" not in conf
