"""gunicorn settings from the environment, privacy first (`gunicorn -c python:survey.gunicorn_conf ...`).

The module travels in the wheel, so an installed service starts with these settings from any folder; a
checkout's gunicorn.conf.py (read by `gunicorn wsgi:app` and `make run` from the checkout) imports it.
Without either, gunicorn would use its own defaults (one sync worker, 30-second timeout) and ignore
SURVEY_BIND, SURVEY_WORKERS and the rest.

No access log: an access log line carries the client's IP address, user agent and a precise time next to
an opaque survey URL, which the service promises never to keep with answers. Error logs carry no request
data: the address gunicorn names in its warning about a malformed request ("Invalid request from ip=...")
is hidden by the app's log scrubber (survey/web/logs.py), installed in every worker with the app.
Override on the command line only if you have a lawful basis and a retention policy.
"""

import os

bind = os.environ.get("SURVEY_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("SURVEY_WORKERS", "2"))
# Threaded workers keep a browser's connection open between pages (keep-alive): a phone on a slow network
# does not hold a whole worker, and the resident's next page skips a new TCP connection. One worker per
# core (the GIL lets one thread of a worker run Python at a time), two threads each: with 4 threads the
# threads mostly wait for each other's GIL (about 180 futex calls per request under strace against about
# 9 with one thread) and the resident journey completes about 10% fewer questionnaires per second than
# with 2 (bench/RESULTS.md). Idle kept-alive connections wait in the worker's poller, not in a thread.
# SURVEY_WORKER_CLASS=sync goes back to gunicorn's default.
worker_class = os.environ.get("SURVEY_WORKER_CLASS", "gthread")
threads = int(os.environ.get("SURVEY_THREADS", "2"))
accesslog = None
# If an access log is ever switched on (--access-logfile), keep it free of address, agent and referrer.
access_log_format = '"%(r)s" %(s)s %(b)s %(M)sms'
errorlog = "-"
loglevel = "info"
forwarded_allow_ips = os.environ.get("SURVEY_FORWARDED_ALLOW_IPS", "127.0.0.1")
# Reports and exports are background jobs, but a web request may still be slow on a loaded machine (a
# poster, a spreadsheet upload, the dashboard of a big questionnaire): two minutes by default rather than
# gunicorn's 30 seconds, and a restart (graceful_timeout) lets the requests in progress finish.
timeout = int(os.environ.get("SURVEY_WORKER_TIMEOUT", "120"))
graceful_timeout = int(os.environ.get("SURVEY_GRACEFUL_TIMEOUT", str(timeout)))
