# One image for the web app, the Celery worker and Celery beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1

WORKDIR /app

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
    && mkdir -p /app/var/exports && chown -R app:app /app/var

ENV STATIC_ROOT=/app/static DATA_DIR=/app/var
USER app
EXPOSE 8000

CMD ["gunicorn", "operations.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
