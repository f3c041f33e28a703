"""Helpers shared by the tests and the benchmarks (never shipped): a live gunicorn server on a database of its
own, and residents that walk a questionnaire over HTTP with their own cookies and CSRF tokens."""
