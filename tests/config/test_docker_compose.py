"""Static checks of docker-compose.yml: the referenced files exist, the services, images,
healthchecks, dependencies, commands, volumes and ports agree with each other.

No Docker engine is needed (nor a database): the files are parsed and compared
(tests/config/deployment_files.py)."""

import re

import environ

from tests.config.deployment_files import (
    COMPOSE_FILE,
    DOCKERFILE,
    DOCKERIGNORE,
    ENV_EXAMPLE,
    NGINX_CONF,
    ROOT,
    SETTINGS,
    VAR_DIR,
    command_text,
    compose,
    env_example,
    service,
    volume_mounts,
)

APP_SERVICES = ("migrate", "web", "worker", "beat")


LONG_RUNNING = ("postgres", "redis", "web", "worker", "beat", "nginx")


ALL_SERVICES = {"postgres", "redis", "migrate", "web", "worker", "beat", "nginx"}


def healthcheck_text(svc: dict) -> str:
    test = svc["healthcheck"]["test"]
    return test if isinstance(test, str) else " ".join(test)


def depends_on(svc: dict) -> dict[str, str]:
    deps = svc.get("depends_on", {})
    if isinstance(deps, list):  # short syntax: no condition (service_started)
        return dict.fromkeys(deps, "service_started")
    return {name: spec.get("condition", "service_started") for name, spec in deps.items()}


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
    assert "gunicorn --config config/gunicorn.conf.py config.wsgi:application" in web
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
