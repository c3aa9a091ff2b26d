"""Static checks of the Dockerfile, .dockerignore and deploy/nginx.conf, and their agreement
with docker-compose.yml.

No Docker engine is needed (nor a database): the files are parsed and compared
(tests/config/deployment_files.py)."""

import json
import re
import shlex
from functools import cache

from tests.config.deployment_files import (
    DOCKERFILE,
    DOCKERIGNORE,
    NGINX_CONF,
    ROOT,
    SETTINGS,
    VAR_DIR,
    command_text,
    service,
    volume_mounts,
)


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
    # Bind address, workers, timeouts: the project's file (tests/config/test_gunicorn_conf.py),
    # its path relative to the image's WORKDIR, where the source is copied.
    assert cmd == ["gunicorn", "--config", "config/gunicorn.conf.py", "config.wsgi:application"]
    assert (ROOT / "config" / "gunicorn.conf.py").is_file()
    workdirs = [args for keyword, args in dockerfile_instructions() if keyword == "WORKDIR"]
    assert workdirs[-1] == "/app"
    # The workers follow the container's cores unless .env says otherwise.
    assert "WEB_CONCURRENCY" not in dockerfile_env()
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
