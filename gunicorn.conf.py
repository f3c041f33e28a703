"""gunicorn settings read by `gunicorn wsgi:app` (and `make run`): privacy first.

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
# Reports and exports are built inside the web request: on a loaded machine a big one takes more than
# gunicorn's default 30 seconds, and the worker would be killed mid-report (the user sees an error). Two
# minutes by default; a restart (graceful_timeout) also lets a report being made finish.
timeout = int(os.environ.get("SURVEY_WORKER_TIMEOUT", "120"))
graceful_timeout = int(os.environ.get("SURVEY_GRACEFUL_TIMEOUT", str(timeout)))
