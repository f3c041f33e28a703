"""WSGI entry point of an installed service: `gunicorn survey.wsgi:app` (a checkout also has ./wsgi.py)."""

from survey.app import create_app

app = create_app()
