"""gunicorn configuration of the identity registry (README "Production"): ``gunicorn -c gunicorn.conf.py``.

Every value can be overridden by its environment variable. gunicorn listens on a private address; the TLS
proxy in front terminates HTTPS, sets ``X-Forwarded-Proto`` and forwards to it.
"""

import multiprocessing
import os

wsgi_app = "identity_registry.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", str(multiprocessing.cpu_count() * 2 + 1)))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
# INSi calls may take up to INSI_CONNECT_TIMEOUT + INSI_READ_TIMEOUT (35 s by default).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then (memory), with jitter so they do not all restart together.
max_requests = 2000
max_requests_jitter = 200
# Only the proxy's address may set X-Forwarded-* headers.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
# Access log on stdout without the query string: identity searches never go into URLs, but be safe.
accesslog = "-"
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(L)ss'
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
