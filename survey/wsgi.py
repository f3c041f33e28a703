"""WSGI entry point of an installed service: `gunicorn survey.wsgi:app` (a checkout also has ./wsgi.py)."""

from survey.app import serving_app

app = serving_app()
