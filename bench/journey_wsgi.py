"""The survey app with a bare Flask hello-world mounted at /hello/, served by one gunicorn (the baseline)."""

from __future__ import annotations

from flask import Flask
from werkzeug.middleware.dispatcher import DispatcherMiddleware

from survey.app import create_app

hello = Flask("hello")


@hello.get("/")
def hello_world() -> str:
    """The smallest Flask page: what gunicorn and Flask cost before the survey does anything."""
    return "Hello, world"


survey_app = create_app()
application = DispatcherMiddleware(survey_app.wsgi_app, {"/hello": hello.wsgi_app})
