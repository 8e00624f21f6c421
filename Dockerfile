# One image for the web server, the Celery worker and beat (see docker-compose.yml).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# gettext: compilemessages below turns the translation catalogues into .mo files.
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .

# Static files and translations are built into the image. The key only lets the
# settings load for these two commands; it is not the running service's key.
RUN export DJANGO_SECRET_KEY=build-only-not-a-secret \
    && python manage.py collectstatic --noinput -v0 \
    && if [ -d locale ]; then python manage.py compilemessages -v0; fi

# var/media exists in the image so that a volume mounted there is the service's to write.
RUN useradd --system --uid 10001 --home-dir /app whistle \
    && mkdir -p /app/var/media \
    && chown whistle /app/var /app/var/media
USER whistle

EXPOSE 8000
CMD ["gunicorn", "portal.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--worker-class", "gthread", "--threads", "4", "--no-control-socket", "--access-logfile", "-"]
