# syntax=docker/dockerfile:1
# The survey service as one image: gunicorn (web) or `survey worker` (background jobs), configured only by
# environment variables (docs/deploy.md). Three stages: the stylesheet (Node), the wheel (Python build
# tools), the runtime (Python, WeasyPrint's system libraries, the wheel and its dependencies; no compilers,
# no Node, no source tree).

FROM node:22-bookworm-slim AS assets
WORKDIR /src
COPY package.json package-lock.json ./
COPY assets ./assets
RUN mkdir -p survey/static/build && npm ci --no-audit --no-fund --loglevel=error

FROM python:3.11-slim-bookworm AS wheel
WORKDIR /src
COPY pyproject.toml README.md ./
COPY survey ./survey
COPY analysis ./analysis
COPY templates ./templates
COPY migrations ./migrations
COPY questionnaires ./questionnaires
COPY scripts/build_wheel.py ./scripts/build_wheel.py
COPY --from=assets /src/survey/static/build ./survey/static/build
COPY --from=assets /src/node_modules/govuk-frontend/dist ./node_modules/govuk-frontend/dist
RUN python scripts/build_wheel.py --out /dist

FROM python:3.11-slim-bookworm AS runtime
# WeasyPrint (PDF reports) needs Pango; DejaVu fonts for PDFs and charts.
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*
COPY --from=wheel /dist/*.whl /tmp/
RUN pip install --no-cache-dir /tmp/*.whl && rm /tmp/*.whl
COPY gunicorn.conf.py /etc/survey/gunicorn.conf.py
RUN useradd --system --home-dir /var/lib/survey --create-home survey
USER survey
WORKDIR /var/lib/survey
ENV SURVEY_ENV=production \
    SURVEY_INSTANCE_DIR=/var/lib/survey/instance \
    SURVEY_BIND=0.0.0.0:8000 \
    SURVEY_JOBS_WORKER=none \
    PYTHONUNBUFFERED=1
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=3s CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2).status == 200 else 1)"
CMD ["gunicorn", "--config", "/etc/survey/gunicorn.conf.py", "survey.wsgi:app"]
