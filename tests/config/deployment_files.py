"""The container deployment's files parsed for the static checks (test_docker_compose.py,
test_env_example.py, test_dockerfile_and_nginx.py): docker-compose.yml, Dockerfile,
deploy/nginx.conf and .env.example, and the variables config/settings.py reads."""

import re
from functools import cache
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


COMPOSE_FILE = ROOT / "docker-compose.yml"


DOCKERFILE = ROOT / "Dockerfile"


DOCKERIGNORE = ROOT / ".dockerignore"


ENV_EXAMPLE = ROOT / ".env.example"


NGINX_CONF = ROOT / "deploy" / "nginx.conf"


SETTINGS = ROOT / "config" / "settings.py"


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


def volume_mounts(svc: dict) -> dict[str, str]:
    """Named/bind source -> container path, for the short volume syntax."""
    mounts = {}
    for entry in svc.get("volumes", []):
        source, target, *_ = entry.split(":")
        mounts[source] = target
    return mounts


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
