# syntax=docker/dockerfile:1
# Production image for Đôn đốc: one image, several roles (web, worker, beat, migrate);
# docker-compose.yml picks the role with `command`. The default command is the web server.

FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore

WORKDIR /app

# Dependencies first, so that code changes do not invalidate this layer. Every
# distribution is pinned by hash in requirements.lock (all of them ship wheels).
COPY requirements.lock ./
RUN pip install --require-hashes -r requirements.lock

# The application runs as an unprivileged user; the code stays owned by root (read-only
# for the app), only var/ (static files, uploaded media) is writable. Named volumes
# mounted on /app/var/static and /app/var/media start as copies of these directories,
# so they inherit the ownership set here.
RUN groupadd --system --gid 1000 dondoc \
    && useradd --system --uid 1000 --gid dondoc --create-home --home-dir /home/dondoc dondoc

# The compiled translations (config/locale/*/LC_MESSAGES/*.mo) are committed, so they
# come with the source.
COPY . .
RUN python -m compileall -q . \
    && mkdir -p /app/var/static /app/var/media \
    && chown -R dondoc:dondoc /app/var

ENV DJANGO_SETTINGS_MODULE=config.settings \
    VAR_DIR=/app/var

USER dondoc

# Static files for the admin and the API docs, into VAR_DIR/static. The settings refuse
# to load with DEBUG off and no strong SECRET_KEY, hence a random throw-away key that
# exists only for this command (the database is the default SQLite, which needs no
# password); the in-memory broker keeps settings from creating var/celery.
RUN SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
    DEBUG=false \
    CELERY_BROKER_URL=memory:// \
    python manage.py collectstatic --noinput --verbosity 0

EXPOSE 8000

# config/gunicorn.conf.py: port 8000, gthread workers sized from the container's cores
# (a process of 4 threads per core, at least 2; WEB_CONCURRENCY and WEB_THREADS in .env
# override them), each thread keeping its database session (docs/deployment.md).
CMD ["gunicorn", "--config", "config/gunicorn.conf.py", "config.wsgi:application"]
