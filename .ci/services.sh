#!/usr/bin/env bash
# Makes sure the services the test suite needs are up: starts PostgreSQL and Redis when they
# are installed but stopped, and fails (never skips) when one cannot be reached.
set -euo pipefail

pg_up() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; }
redis_up() { redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG; }

if ! pg_up && command -v pg_ctlcluster >/dev/null; then
  echo "Starting PostgreSQL..."
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
  for _ in $(seq 1 30); do pg_up && break; sleep 1; done
fi
if ! redis_up && command -v redis-server >/dev/null; then
  echo "Starting Redis..."
  mkdir -p /var/lib/redis /var/log/redis 2>/dev/null || true
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log || true
  for _ in $(seq 1 30); do redis_up && break; sleep 1; done
fi

pg_up || { echo "FAIL: PostgreSQL is not reachable on 127.0.0.1:5432 (install and start it)." >&2; exit 1; }
redis_up || { echo "FAIL: Redis is not reachable on 127.0.0.1:6379 (install and start it)." >&2; exit 1; }
echo "PostgreSQL and Redis are up."
