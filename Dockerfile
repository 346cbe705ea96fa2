# One image for the web app, the Celery worker and Celery beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1

WORKDIR /app

# pg_dump and pg_restore for `manage.py backup` and `restore`. Their major
# version must be at least the server's (pg_dump refuses a newer server), so
# they come from PostgreSQL's own apt repository at the version of the
# postgres image in docker-compose.yml: change both together.
ARG POSTGRES_MAJOR=16
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates curl \
    && install -d /usr/share/postgresql-common/pgdg \
    && curl -fsSL -o /usr/share/postgresql-common/pgdg/apt.postgresql.org.asc https://www.postgresql.org/media/keys/ACCC4CF8.asc \
    && echo "deb [signed-by=/usr/share/postgresql-common/pgdg/apt.postgresql.org.asc] https://apt.postgresql.org/pub/repos/apt bookworm-pgdg main" \
        > /etc/apt/sources.list.d/pgdg.list \
    && apt-get update \
    && apt-get install -y --no-install-recommends "postgresql-client-${POSTGRES_MAJOR}" \
    && apt-get purge -y curl && apt-get autoremove -y \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system app && useradd --system --gid app --home-dir /app app

COPY pyproject.toml constraints.txt README.md ./
COPY operations ./operations
COPY referrals ./referrals
COPY volunteers ./volunteers
COPY templates ./templates
COPY manage.py ./
RUN pip install -c constraints.txt .

# Static files are collected at build time and served by WhiteNoise.
# collectstatic needs settings, not secrets: a throwaway key is enough here.
RUN DEBUG=0 SECRET_KEY=build-only-not-secret-0123456789abcdefghijklmnopqrstuvwxyz \
    ALLOWED_HOSTS=build DATABASE_URL=sqlite:////tmp/build.sqlite3 STATIC_ROOT=/app/static \
    python manage.py collectstatic --noinput \
    && mkdir -p /app/var/exports /app/var/receipts /app/var/backups && chown -R app:app /app/var

ENV STATIC_ROOT=/app/static DATA_DIR=/app/var
USER app
EXPOSE 8000

CMD ["gunicorn", "operations.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
