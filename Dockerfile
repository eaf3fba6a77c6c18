# The portal's production image: gunicorn for the web, the same image for the Celery worker and
# beat (docker-compose.yml). Settings come from environment variables (README, Configuration).
FROM python:3.13-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    STATIC_ROOT=/app/staticfiles \
    MEDIA_ROOT=/data/media \
    VAR_DIR=/app/var

# WeasyPrint needs Pango and HarfBuzz's subsetter (without it PDFs are ~2x slower and larger);
# fonts for PDFs; gettext for compilemessages.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 \
        fonts-dejavu-core fonts-liberation gettext \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --system --create-home --home-dir /home/portal --uid 10001 portal
WORKDIR /app

# Dependencies first (from pyproject.toml only), so code changes do not reinstall them.
COPY pyproject.toml README.md ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
        > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

# The code runs from /app (manage.py, gunicorn and celery put the working directory first on
# sys.path), next to its templates, static files and catalogues.
COPY . .

# Build-time only values: the real SECRET_KEY and database come from the environment at run time.
RUN DEBUG=0 SECRET_KEY=build-only-not-a-secret-$(python -c "import secrets; print(secrets.token_hex(32))") \
        DATABASE_URL=sqlite:////tmp/build.sqlite3 ALLOWED_HOSTS=localhost \
        sh -c "python manage.py compilemessages --ignore=tests -v 0 \
            && python manage.py collectstatic --no-input -v 0" \
    && rm -f /tmp/build.sqlite3 \
    && mkdir -p /data/media /app/var \
    && chown -R portal:portal /data/media /app/var

USER portal
EXPOSE 8000
VOLUME ["/data/media"]

# WEB_CONCURRENCY sets the number of gunicorn workers (default 1 + 2 per CPU is a good start).
CMD ["gunicorn", "mainstreaming.wsgi:application", "--bind", "0.0.0.0:8000", \
     "--access-logfile", "-"]
