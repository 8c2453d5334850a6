"""Settings of the identity registry, read from environment variables."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    """Read a boolean environment variable ("1", "true", "yes", "on")."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    """Read a comma-separated environment variable."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")
# Required when DEBUG is off: the system check identity_registry.E001 refuses to start without it.
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY and DEBUG:
    SECRET_KEY = "insecure-development-only-key"  # noqa: S105 - only ever used with DEBUG on

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    # Issue 11 (hardening): append-only triggers (AUD-01), log-in lockout, Content-Security-Policy.
    "pgtrigger",
    "identity_registry.apps.LoginAuditConfig",  # django-axes, titled in French
    "csp",
    "identity_registry",
    "patients",
    "insi",
    "consent",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Issue 8: identities are never cached (item 4); a lost database is a 503, not a 500 (item 2).
    "identity_registry.middleware.NoStoreMiddleware",
    "identity_registry.middleware.DatabaseUnavailableMiddleware",
]

# Issue 11 hardening: Content-Security-Policy on every response, log-in lockout (django-axes, kept last).
MIDDLEWARE += [  # kept apart from the list above to ease merges
    "identity_registry.middleware.ContentSecurityPolicyMiddleware",  # django-csp's, its default built once
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "identity_registry.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "identity_registry" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "identity_registry.wsgi.application"

# SQLite file by default (quick start); PostgreSQL in CI and production via DATABASE_URL.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent writers (two desk agents) wait for the lock instead of failing at once.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "fr-fr"
# The screens are in French whatever language the browser asks for.
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
# Dates on every screen as JJ/MM/AAAA (identity_registry/formats/fr/formats.py).
FORMAT_MODULE_PATH = ["identity_registry.formats"]
# Fixes Django admin French titles that would not elide ("Ajout de identité").
LOCALE_PATHS = [BASE_DIR / "identity_registry" / "locale"]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# RNIV ID-09: scans of identity documents are health data. They live outside the static and media files, in a
# directory no URL maps to, and are served only by a view that checks the permission and logs the access.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "private-media"))
# Largest scan accepted (bytes): 5 MB by default.
ID_SCAN_MAX_BYTES = int(os.environ.get("ID_SCAN_MAX_BYTES", str(5 * 1024 * 1024)))
# Idempotency records hold response bodies with traits: purged this many hours after their creation.
IDEMPOTENCY_RETENTION_HOURS = int(os.environ.get("IDEMPOTENCY_RETENTION_HOURS", "24"))

LOGIN_URL = "admin:login"
# RNIV AUD-01: history is never rewritten from a screen (identity_registry/history_admin.py also refuses a POST).
SIMPLE_HISTORY_REVERT_DISABLED = True
SIMPLE_HISTORY_EDIT = False
# Messages to agents may quote traits (TR-03 normalisation): keep them server-side, never in a cookie.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Issue 11: DRF tokens that expire, can be revoked, and record their last use.
        "patients.api_tokens.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "identity_registry.schema.RegistryAutoSchema",
    "EXCEPTION_HANDLER": "identity_registry.exceptions.api_exception_handler",
    # Issue 11: per-account throttling, 429 with Retry-After past API_THROTTLE_RATE.
    "DEFAULT_THROTTLE_CLASSES": ["identity_registry.throttling.AccountRateThrottle"],
}
API_THROTTLE_RATE = os.environ.get("API_THROTTLE_RATE", "120/min")
# Days a token stays valid after its creation (0: no expiry); rotate with create_api_account --rotate.
API_TOKEN_LIFETIME_DAYS = int(os.environ.get("API_TOKEN_LIFETIME_DAYS", "90"))
# Issue 10: seconds an API caller (token, user, role) stays cached in a worker (0: read on every request).
# A change is seen at once by the worker that made it, by the others within this delay.
API_AUTH_CACHE_SECONDS = int(os.environ.get("API_AUTH_CACHE_SECONDS", "10"))
# Issue 10: IPP numbers a worker takes from the sequence at once (1: one round trip per creation).
IPP_BLOCK_SIZE = int(os.environ.get("IPP_BLOCK_SIZE", "20"))

API_DESCRIPTION = """Identity registry API (RNIV, INS). Field names in English, rule IDs from RULES.md.

**Authentication.** Send `Authorization: Token <key>` on every request.
- A software account (the DPI): an administrator runs `manage.py create_api_account <name>` (role
  « Intégration DPI », no password) and hands over the printed token; `--rotate` replaces a leaked one.
- A person (agent, referent, auditor): an administrator runs `manage.py drf_create_token <username>` for
  their existing account; the token acts with that person's role. Signed in to `/admin/`, a person may also
  try the API from `/api/docs/` with their session.

**Roles.** Each operation says which roles may call it (`x-roles`, from the permission it requires,
`x-permission`); any other caller gets a 403.

**Errors** always look like `{"code", "message", "details"}`; a 409's `code` is the rule ID (e.g. ST-05),
listed in each operation's description. A write on a merged identity answers 409 `AUD-05` with
`details.merged_into`: write on its survivor instead.

**Robustness.** Any operation may answer 503 `database_unavailable` with a `Retry-After` header when the
database is briefly lost: nothing was written, retry after the delay. Every answer carries
`Cache-Control: no-store`. Inputs: unknown fields are refused (400); texts must not hold Unicode
bidirectional controls; dates lie between 1900-01-01 and today (birth), today + 5 years (care events) or
today + 30 years (document expiry); an instant's UTC offset is at most ±14:00, by quarter hours."""

SPECTACULAR_SETTINGS = {
    "TITLE": "Référentiel d'identités patient – API",
    "DESCRIPTION": API_DESCRIPTION,
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}
# Choice sets of the consent app whose field names collide (purpose, kind, mode, capacity).
SPECTACULAR_SETTINGS.setdefault("ENUM_NAME_OVERRIDES", {}).update(
    {
        "ConsentPurposeEnum": "consent.codes.ConsentPurpose",
        "AccessPurposeEnum": "consent.codes.AccessPurpose",
        "EpisodeKindEnum": "consent.codes.EpisodeKind",
        "OppositionKindEnum": "consent.codes.OppositionKind",
        "AccessModeEnum": "consent.codes.AccessMode",
        "EmergencyModeEnum": "consent.codes.EmergencyMode",
        "GiverCapacityEnum": "consent.codes.GiverCapacity",
        "ConsentDecisionEnum": "consent.codes.ConsentDecision",
        # One clear name each for the INSi outcomes and the attribute codes (input, with its alias; output).
        "InsiOutcomeEnum": "insi.api.serializers.OUTCOME_CHOICES",
        "InsiCallOutcomeEnum": "insi.models.InsiCall.Outcome",
        "InsiResultCodeEnum": "insi.api.serializers.CR_CHOICES",
        "AttributeEnum": "patients.api.choices.ATTRIBUTE_CHOICES",
        "AttributeInputEnum": "patients.api.choices.ATTRIBUTE_INPUT_CHOICES",
        "EventKindEnum": "patients.api.choices.EVENT_KIND_CHOICES",
        "IncidentKindEnum": "patients.incidents.models.IncidentKind",
        "IncidentStatusEnum": "patients.incidents.models.IncidentStatus",
        # The identity status keeps its name beside the incident status (AUD-04).
        "StatusEnum": "patients.api.choices.STATUS_CHOICES",
    }
)
# Each consent code's rule, appended to its enum description (after the enums are made components).
SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"] = [
    "drf_spectacular.hooks.postprocess_schema_enums",
    "consent.api.enum_notes.describe_consent_enums",
]

# RNIV ST-08: a qualified INS is re-verified through INSi every 3 to 5 years.
INS_REVERIFY_AFTER_DAYS = int(os.environ.get("INS_REVERIFY_AFTER_DAYS", str(3 * 365)))
# RNIV ID-09: scans kept 3 years after the identity's last activity by default (at most 5 years).
ID_SCAN_RETENTION_DAYS = int(os.environ.get("ID_SCAN_RETENTION_DAYS", str(3 * 365)))

# INSi teleservice: the backend is a dotted path, like EMAIL_BACKEND.
INSI_CLIENT = os.environ.get("INSI_CLIENT", "insi.backends.simulator.SimulatorClient")
INSI_SIMULATOR_ALLOWED = env_bool("INSI_SIMULATOR_ALLOWED")
INSI_SIMULATOR_DATA = os.environ.get("INSI_SIMULATOR_DATA", "")
INSI_ENDPOINT_URL = os.environ.get("INSI_ENDPOINT_URL", "")
INSI_CLIENT_CERT = os.environ.get("INSI_CLIENT_CERT", "")
INSI_CLIENT_KEY = os.environ.get("INSI_CLIENT_KEY", "")
INSI_SOFTWARE_AUTHORISATION = os.environ.get("INSI_SOFTWARE_AUTHORISATION", "")
# Issue 14: trust the IGC-Santé roots of this bundle only (never the system store, never unverified).
INSI_CA_BUNDLE = os.environ.get("INSI_CA_BUNDLE", "")
# The establishment certificate's passphrase (PKCS#12 or encrypted PEM key): environment only, never logged.
INSI_CLIENT_CERT_PASSWORD = os.environ.get("INSI_CLIENT_CERT_PASSWORD", "")
# Emetteur of both context headers; empty: the certificate's OU (the structure's identifier).
INSI_EMITTER = os.environ.get("INSI_EMITTER", "")
# LPS Nom and Version: the name and version under which the software was registered.
INSI_SOFTWARE_NAME = os.environ.get("INSI_SOFTWARE_NAME", "REGISTRE-IDENTITES")
INSI_SOFTWARE_VERSION = os.environ.get("INSI_SOFTWARE_VERSION", "1.0")
# Circuit breaker: after this many transient failures in a row, no call for INSI_BREAKER_DELAY seconds.
INSI_BREAKER_THRESHOLD = int(os.environ.get("INSI_BREAKER_THRESHOLD", "5"))
INSI_BREAKER_DELAY = float(os.environ.get("INSI_BREAKER_DELAY", "120"))
INSI_CONNECT_TIMEOUT = float(os.environ.get("INSI_CONNECT_TIMEOUT", "5"))
INSI_READ_TIMEOUT = float(os.environ.get("INSI_READ_TIMEOUT", "30"))
# One deadline for the whole call (connect, send, answer): a server trickling its answer cannot hold it longer.
INSI_CALL_TIMEOUT = float(os.environ.get("INSI_CALL_TIMEOUT", "30"))
# RNIV ST-08 batch re-verification: parallel calls and calls per second (0: no limit).
INSI_REVERIFY_CONCURRENCY = int(os.environ.get("INSI_REVERIFY_CONCURRENCY", "4"))
INSI_REVERIFY_RATE = float(os.environ.get("INSI_REVERIFY_RATE", "5"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

if not DEBUG:
    SESSION_COOKIE_HTTPONLY = True
    CSRF_COOKIE_HTTPONLY = False
    SECURE_CONTENT_TYPE_NOSNIFF = True
    X_FRAME_OPTIONS = "DENY"

# --- RNIV AUD-04: incident alerts go out through Django's mail framework; the backend is a dotted path ----
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "identitovigilance@localhost")
# Where the registry's screens are reached from a mail reader (the alerts' links); empty: a path only.
REGISTRY_BASE_URL = os.environ.get("REGISTRY_BASE_URL", "")

# --- Issue 11: log-in lockout, sessions, production security --------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Five wrong passwords, then the right one logs in; the sixth failure locks the account (django-axes), and any
# attempt after it is refused, even with the right password.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "6"))
# The account is locked, whatever the address: a hospital's desks often share one address behind NAT, and
# locking that address would lock every agent out. Hence axes.W006 (no ip_address) is silenced on purpose.
AXES_LOCKOUT_PARAMETERS = ["username"]
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The search indexes' INCLUDE columns (issue 10) serve index-only scans on PostgreSQL; SQLite, the
    # development database, has no such thing and builds the same indexes without them.
    SILENCED_SYSTEM_CHECKS.append("models.W040")
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "30")))
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_COOLOFF_MESSAGE = "Compte verrouillé après trop d'échecs de connexion : réessayez plus tard."
AXES_PERMALOCK_MESSAGE = "Compte verrouillé après trop d'échecs de connexion : contactez un administrateur."

# Idle timeout: the session expires after SESSION_IDLE_TIMEOUT minutes without a request, and at browser close.
SESSION_IDLE_TIMEOUT = int(os.environ.get("SESSION_IDLE_TIMEOUT", "30"))
SESSION_COOKIE_AGE = SESSION_IDLE_TIMEOUT * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Production behind a TLS proxy (README "Production"): every switch comes from the environment.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT")
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS")
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD")
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE")
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE")
if env_bool("SECURE_PROXY_SSL_HEADER"):
    # Only behind a proxy that sets X-Forwarded-Proto and strips it from the client's request.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# /healthz and /readyz answer the load balancer over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]

# Content-Security-Policy (django-csp 4): only our own scripts, styles and images; nothing inline.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# --- Issue 10: replicas for reads that tolerate lag, a transaction pooler (README "Scaling out") -----------
from identity_registry.database.config import pooled, replica_databases  # noqa: E402

DATABASE_POOLER = os.environ.get("DATABASE_POOLER", "").strip().lower()
DATABASES["default"] = pooled(DATABASES["default"], DATABASE_POOLER)
DATABASES.update(
    replica_databases(
        env_list("DATABASE_REPLICA_URLS"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        pooler=DATABASE_POOLER,
    )
)
DATABASE_REPLICAS = [alias for alias in DATABASES if alias != "default"]
DATABASE_ROUTERS = ["identity_registry.database.routing.PrimaryReplicaRouter"]
# Seconds after a write during which the same browser or client reads the primary (read your own writes).
REPLICA_PIN_SECONDS = int(os.environ.get("REPLICA_PIN_SECONDS", "5"))
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "identity_registry.database.middleware.DatabaseRoutingMiddleware",
)
# Issue 13: the identifier system of the IPP in FHIR (Patient.identifier, type PI). Set it to the
# establishment's own OID (urn:oid:...); the default is a placeholder other systems will not recognise.
FHIR_IPP_SYSTEM = os.environ.get("FHIR_IPP_SYSTEM", "https://identity-registry.invalid/fhir/sid/ipp")
