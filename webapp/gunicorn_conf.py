"""gunicorn settings for `make run`: workers sized to the cores, each loading its own KB replica after the fork.

Read by `gunicorn -c webapp/gunicorn_conf.py`; HOST, PORT, TIPKB_WORKERS and TIPKB_THREADS override the defaults.
"""

import os

wsgi_app = "webapp:create_app()"
bind = f"{os.environ.get('HOST') or '127.0.0.1'}:{os.environ.get('PORT') or '5000'}"
workers = int(os.environ.get("TIPKB_WORKERS") or max(2, len(os.sched_getaffinity(0))))
worker_class = "gthread"
threads = int(os.environ.get("TIPKB_THREADS") or 4)
preload_app = False  # never: a store or a process pool shared across the fork breaks; each worker loads its own
timeout = 60  # a worker silent this long (its main loop stuck) is replaced; requests run in threads
graceful_timeout = 30  # on shutdown or reload, requests in flight get this long to finish
keepalive = 5
accesslog = "-"
# The path without its query string, and no referrer or browser: search words, report choices (a cover's contact)
# and one-time links never reach the log (the privacy page says so).
access_log_format = '%(t)s %(h)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'
errorlog = "-"
control_socket_disable = True  # gunicorn's control socket has one default path per user: two servers would clash
# One SPARQL query process per web worker (not the two a lone server gets): the total stays at the worker count.
os.environ.setdefault("TIPKB_SPARQL_WORKERS", "1")
# At most one query fewer than the threads is in flight per web worker (more get 503 at once): pages keep a thread.
os.environ.setdefault("TIPKB_SPARQL_MAX_PENDING", str(max(1, threads - 1)))


def worker_exit(server, worker):
    """Stop the web worker's helper processes (the SPARQL query workers) as it exits."""
    app = getattr(worker, "wsgi", None)
    runner = getattr(app, "extensions", {}).get("tipkb_sparql")
    if runner is not None:
        runner.close()
