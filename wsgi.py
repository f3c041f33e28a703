"""WSGI entry point: `gunicorn wsgi:app`."""

from survey.app import serving_app

app = serving_app()
