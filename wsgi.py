"""WSGI entry point: `gunicorn wsgi:app`."""

from survey.app import create_app

app = create_app()
