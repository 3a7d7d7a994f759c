# Démarche web app. Postgres runs as its own service (see docker-compose.yml).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DEMARCHE_HOST=0.0.0.0 \
    DEMARCHE_PORT=8000

WORKDIR /srv/demarche
COPY pyproject.toml README.md ./
COPY app ./app
COPY migrations ./migrations
COPY templates ./templates
COPY static ./static
# The data folder exists before a volume is mounted on it, so the volume belongs to
# the app's user (the scale profile shares its session key between web processes).
RUN pip install -e . && useradd --create-home demarche \
    && install -d -o demarche /home/demarche/.local/share/demarche
USER demarche

EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=3s --retries=5 \
  CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz')"
CMD ["demarche", "serve"]
