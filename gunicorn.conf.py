"""gunicorn settings read by `gunicorn wsgi:app` (and `make run`) from a checkout: survey/gunicorn_conf.py,
which the wheel carries (`gunicorn -c python:survey.gunicorn_conf survey.wsgi:app` where it is installed)."""

from survey.gunicorn_conf import *  # noqa: F403
