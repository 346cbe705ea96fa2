"""The one settings module. Everything varies by environment variable only.

Defaults are safe for production (DEBUG off, secure cookies, HSTS). `make run`
and the test suite switch development mode on explicitly with DEBUG=1, which
also supplies throwaway values for the settings production must be given.
Every variable is described in .env.example, the one source of the
documentation's settings reference (docs/admin/settings.md, built from it).
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import dj_database_url

from operations.env import SettingError, env_bool, env_int, env_list, env_prefixed, env_str, env_url
from operations.formats.en import formats as _formats

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", default=False)

# The embedded default keeps its SQLite file and the Celery filesystem
# transport's folders together in one data folder (git ignores var/).
DATA_DIR = Path(env_str("DATA_DIR", str(BASE_DIR / "var"))).resolve()

if DEBUG:
    SECRET_KEY = env_str("SECRET_KEY", "development-only-insecure-key-never-use-in-production")
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])
else:
    SECRET_KEY = env_str("SECRET_KEY")
    if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
        raise SettingError("SECRET_KEY must be at least 50 random characters")
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
    if not ALLOWED_HOSTS:
        raise SettingError("ALLOWED_HOSTS is required when DEBUG is off (comma-separated host names)")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "operations.core",
    "referrals",
    # The public online referral forms (issue 21): the referrals layer.
    "referrals.online",
    # Partner systems' credentials and their referrals (referrals.partners): the referrals layer.
    "referrals.partners",
    "volunteers",
    "volunteers.matching",
    "volunteers.safeguarding",
    # Volunteer expenses (issue 23): claims against contacts, paid in batches.
    "volunteers.expenses",
    # The outcome measures read a PSO's caseload from matching: top layer.
    "operations.outcomes",
    "operations.notifications",
    # Word back to referrers writes to the outbox: above notifications.
    "operations.referrer_updates",
    "operations.groups",
    "operations.dashboard",
    "operations.coverage",
    "operations.closures",
    "operations.evaluation",
    # The federation officer's roll-up and coverage, a member's sharing switch: reads dashboard and coverage.
    "operations.federation",
    # The calendar reads matching, groups and volunteers: the top layer.
    "operations.calendar",
    # The home page reads every app above: the top layer.
    "operations.home",
    # The search box reads referrals, volunteers and groups: the top layer.
    "operations.search",
    # Importing spreadsheets and other systems' exports (issue 25): the top layer.
    "operations.imports",
    "operations.core.apps.OperationsAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    # Single-use recovery codes for a lost phone (operations.core.services).
    "django_otp.plugins.otp_static",
]

MIDDLEWARE = [
    # Answers /healthz before host validation and the HTTPS redirect, so a
    # container healthcheck on plain http://localhost works in production.
    "operations.core.middleware.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Near the top, so redirects and lockout pages made further in get the CSP too.
    "operations.core.middleware.SecurityHeaders",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages compressed for phones on a slow rural network (issue 23: a page
    # weighs a quarter as much). Django's GZip adds random padding against
    # BREACH, and CSRF tokens are masked per response. Static files come
    # compressed from whitenoise, above.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "operations.core.middleware.SessionIdleRefresh",
    # Before anything reads a form or query: a control character is a 400.
    "operations.core.middleware.RefuseControlCharacters",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Deny by default: every page needs a login unless marked public.
    "operations.core.middleware.LoginRequired",
    "operations.core.middleware.CurrentMembershipMiddleware",
    # Once the user and their organisation are known: who acts and from where,
    # for the audit log, without handing the request to every service.
    "operations.core.middleware.ActingContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After the membership is known: roles in TWO_FACTOR_REQUIRED_ROLES verify first.
    "operations.core.middleware.TwoFactorRequired",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # Refuses sign-in while a username + address pair is locked out.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "operations.urls"
WSGI_APPLICATION = "operations.wsgi.application"
AUTH_USER_MODEL = "core.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "operations.core.context_processors.membership",
                "operations.notifications.context_processors.unread_notifications",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
DATABASE_URL = env_url(
    "DATABASE_URL",
    f"sqlite:///{DATA_DIR / 'db.sqlite3'}",
    schemes=("sqlite", "postgres", "postgresql", "pgsql"),
)
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A fresh clone has no data folder yet; SQLite cannot create the folder itself.
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    # Web server, worker and beat share one file: WAL lets readers and one
    # writer proceed together, IMMEDIATE takes the write lock at BEGIN so two
    # writers queue (for up to `timeout` seconds) instead of failing with
    # "database is locked" half-way through a transaction.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # A file, not memory, so a real worker started by a test sees the test data.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test-db.sqlite3")}
else:
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    if env_bool("DB_PREPARED_STATEMENTS", default=True):
        # Parameters sent apart from the SQL: psycopg prepares a statement
        # run five times on a connection, and PostgreSQL then stops planning
        # it afresh. Planning, not running, is most of a page's SQL time
        # (a home page's profile query: 1.1 ms planning, 0.2 ms running), so
        # pages' SQL time about halves. Off for a pooler that cannot keep
        # prepared statements (PgBouncer before 1.21 in transaction mode).
        # Django turns psycopg's preparing off unless asked (prepare_threshold).
        DATABASES["default"].setdefault("OPTIONS", {}).update(server_side_binding=True, prepare_threshold=5)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis, cache and Celery ----------------------------------------------
REDIS_URL = env_url("REDIS_URL", None, schemes=("redis", "rediss", "unix"))
CELERY_BROKER_URL = env_url(
    "CELERY_BROKER_URL",
    REDIS_URL or "filesystem://",
    schemes=("redis", "rediss", "filesystem", "memory", "amqp", "unix"),
)
if CELERY_BROKER_URL == "filesystem://":
    # One folder for both directions: the web process writes, the worker reads.
    BROKER_FOLDER = DATA_DIR / "broker"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_FOLDER / "queue"),
        "data_folder_out": str(BROKER_FOLDER / "queue"),
        "processed_folder": str(BROKER_FOLDER / "processed"),
        # Broadcast exchanges (worker control): kept in the data folder, not the working directory.
        "control_folder": str(BROKER_FOLDER / "control"),
        "store_processed": False,
    }
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_BEAT_SCHEDULE_FILE = str(DATA_DIR / "celerybeat-schedule")
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_SERIALIZER = "json"
# No result backend: what a task achieved is recorded in our own models.
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True  # a task lost with its worker is delivered again
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 60, minimum=1)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 120, minimum=1)
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ROUTES = {
    "operations.notifications.*": {"queue": "reminders"},
    "operations.evaluation.*": {"queue": "exports"},
    "operations.imports.*": {"queue": "exports"},
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "Europe/London"
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

if REDIS_URL:
    # Forgiving: while Redis is down a read is a miss (operations.core.cache);
    # short timeouts, so a page never waits long on a cache that is gone.
    CACHES = {
        "default": {
            "BACKEND": "operations.core.cache.ForgivingRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Passwords and sessions -----------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 30, minimum=1) * 60
# The age above is an idle timeout, not a fixed one: SessionIdleRefresh moves
# the expiry on at most once a minute, instead of a session write per request.
SESSION_SAVE_EVERY_REQUEST = False

# Lockout (django-axes): after LOGIN_FAILURE_LIMIT failed sign-ins for one
# username from one address, that pair is refused for LOGIN_LOCKOUT_MINUTES.
# Keyed on both so a stranger cannot lock a colleague out from elsewhere.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 60, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "operations.core.security.lockout_response"
# One function decides the client address for the lockout and the audit log.
AXES_CLIENT_IP_CALLABLE = "operations.core.network.client_ip"
# Our audit log already records every sign-in and failure (without the typed
# username); axes keeps only the counters the lockout needs.
AXES_DISABLE_ACCESS_LOG = True

# Two-factor authentication (TOTP, django-otp). Required for these roles;
# anyone else may enrol from their account page. Development mode (DEBUG=1:
# `make run`, the tests) requires it of nobody unless the variable is set, so
# the demo logins keep working. "none" switches it off explicitly.
_TWO_FACTOR_ROLES = env_str("TWO_FACTOR_REQUIRED_ROLES", "none" if DEBUG else "coordinator,manager").strip().lower()
TWO_FACTOR_REQUIRED_ROLES = (
    [] if _TWO_FACTOR_ROLES == "none" else [role.strip() for role in _TWO_FACTOR_ROLES.split(",") if role.strip()]
)
if unknown_roles := set(TWO_FACTOR_REQUIRED_ROLES) - {"volunteer", "pso", "coordinator", "manager"}:
    raise SettingError(
        f"TWO_FACTOR_REQUIRED_ROLES must list volunteer, pso, coordinator or manager, got {sorted(unknown_roles)}"
    )
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "Peer support")

# --- Security: safe unless development mode is switched on ----------------
SECURE_HTTPS = env_bool("SECURE_HTTPS", default=not DEBUG)
SESSION_COOKIE_SECURE = SECURE_HTTPS
CSRF_COOKIE_SECURE = SECURE_HTTPS
SECURE_SSL_REDIRECT = SECURE_HTTPS
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if SECURE_HTTPS else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)
BEHIND_PROXY = env_bool("BEHIND_PROXY", default=not DEBUG)
if BEHIND_PROXY:
    # A TLS-terminating proxy (nginx, Caddy, a load balancer) sets this header.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many proxies in front of the app append to X-Forwarded-For (0: use the
# connection's address). Behind one TLS proxy (the compose setup) that is 1.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 1 if BEHIND_PROXY else 0, minimum=0)
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
# Sent on every response by operations.core.middleware.SecurityHeaders. No
# 'unsafe-inline': scripts and styles come from our own static files only.
CONTENT_SECURITY_POLICY = env_str(
    "CONTENT_SECURITY_POLICY",
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'",
)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
# Joining the browsers' HSTS preload list binds the whole domain and its
# subdomains for months: the domain's owner opts in with SECURE_HSTS_PRELOAD.
SILENCED_SYSTEM_CHECKS: list[str] = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
# Covering indexes (Index(include=...)) are a PostgreSQL read optimisation;
# SQLite builds the same index without the extra column, which is harmless.
SILENCED_SYSTEM_CHECKS.append("models.W040")

# --- Email ----------------------------------------------------------------
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 587, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=True)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Peer support <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# A provider through django-anymail: EMAIL_BACKEND=anymail.backends.<provider>.EmailBackend
# and the provider's settings as ANYMAIL_<NAME> variables (each also as ANYMAIL_<NAME>_FILE),
# e.g. ANYMAIL_POSTMARK_SERVER_TOKEN. Sending needs no installed app; only webhooks would.
ANYMAIL = env_prefixed("ANYMAIL_")

# --- Notifications --------------------------------------------------------
# SMS: "console" prints (development), "file" appends JSON lines to
# SMS_FILE_PATH (tests), "twilio" or "vonage" (operations.notifications.providers),
# "http" posts to a generic provider, or a dotted class path.
SMS_BACKEND = env_str("SMS_BACKEND", "console" if DEBUG else "http")
SMS_FILE_PATH = env_str("SMS_FILE_PATH", str(DATA_DIR / "sms.jsonl"))
SMS_HTTP_URL = env_str("SMS_HTTP_URL", "")
SMS_HTTP_TOKEN = env_str("SMS_HTTP_TOKEN", "")
# The sender of an organisation's texts when it has set no SMS number of its own.
SMS_SENDER = env_str("SMS_SENDER", "PeerSupport")
# The public address providers call back (delivery receipts, replies), as they
# reach it through any proxy: builds the callback URLs and checks Twilio's signatures.
SMS_PUBLIC_BASE_URL = (env_url("SMS_PUBLIC_BASE_URL", "", schemes=("https", "http")) or "").rstrip("/")
# The providers' webhooks: the largest body taken, and posts per address per hour (then 429).
SMS_WEBHOOK_MAX_BYTES = env_int("SMS_WEBHOOK_MAX_BYTES", 16384, minimum=2048)
SMS_WEBHOOK_LIMIT_PER_ADDRESS = env_int("SMS_WEBHOOK_LIMIT_PER_ADDRESS", 3000, minimum=1)
# Twilio (SMS_BACKEND=twilio): the account, and its REST API's address (a test server in tests).
TWILIO_ACCOUNT_SID = env_str("TWILIO_ACCOUNT_SID", "")
TWILIO_AUTH_TOKEN = env_str("TWILIO_AUTH_TOKEN", "")
TWILIO_API_URL = (env_url("TWILIO_API_URL", "https://api.twilio.com", schemes=("https", "http")) or "").rstrip("/")
# Vonage's SMS API (SMS_BACKEND=vonage): the key, and the signature secret that signs the
# sends and checks the signed webhooks (its method as chosen in Vonage's dashboard);
# VONAGE_API_SECRET is used to send only when no signature secret is set.
VONAGE_API_KEY = env_str("VONAGE_API_KEY", "")
VONAGE_API_SECRET = env_str("VONAGE_API_SECRET", "")
VONAGE_SIGNATURE_SECRET = env_str("VONAGE_SIGNATURE_SECRET", "")
VONAGE_SIGNATURE_METHOD = env_str("VONAGE_SIGNATURE_METHOD", "sha256")
if VONAGE_SIGNATURE_METHOD not in {"md5hash", "md5", "sha1", "sha256", "sha512"}:
    raise SettingError(
        f"VONAGE_SIGNATURE_METHOD must be md5hash, md5, sha1, sha256 or sha512, got {VONAGE_SIGNATURE_METHOD!r}"
    )
VONAGE_API_URL = (env_url("VONAGE_API_URL", "https://rest.nexmo.com", schemes=("https", "http")) or "").rstrip("/")
# A transient failure is retried with backoff up to this many attempts, then the row is marked failed.
NOTIFICATION_MAX_ATTEMPTS = env_int("NOTIFICATION_MAX_ATTEMPTS", 5, minimum=1)
# A row claimed this long ago by a worker that never finished is offered again.
NOTIFICATION_CLAIM_TIMEOUT_SECONDS = env_int("NOTIFICATION_CLAIM_TIMEOUT_SECONDS", 600, minimum=1)
# Only for the delivery tests' worker processes, which may run at night: never in production.
NOTIFICATION_IGNORE_QUIET_HOURS = DEBUG and env_bool("NOTIFICATION_TEST_IGNORE_QUIET_HOURS", default=False)

# --- Licence ----------------------------------------------------------------
# The AGPL asks an installation that changed the code to offer its users that
# code: the About page links here when it is set.
SOURCE_CODE_URL = env_url("SOURCE_CODE_URL", "", schemes=("https", "http")) or ""

# --- Word back to referrers -------------------------------------------------
# Emails to people without an account (a referrer's status link) need the site's full address.
SITE_URL = env_url(
    "SITE_URL",
    "http://localhost:8000" if DEBUG else f"https://{ALLOWED_HOSTS[0].lstrip('.')}",
    schemes=("https", "http"),
)
# The private status link in each update to a referrer works this many days.
REFERRER_STATUS_LINK_DAYS = env_int("REFERRER_STATUS_LINK_DAYS", 90, minimum=1)
# Status pages one address may open per window (then 429): links are signed, this keeps guessing slow.
REFERRER_STATUS_RATE_LIMIT = env_int("REFERRER_STATUS_RATE_LIMIT", 30, minimum=1)
REFERRER_STATUS_RATE_WINDOW_SECONDS = env_int("REFERRER_STATUS_RATE_WINDOW_SECONDS", 600, minimum=1)

# --- Dashboard and aggregate figures ----------------------------------------
# Counts from 1 to this minus one are published as "<10" (domain.md, "Evaluation exports").
DISCLOSURE_SUPPRESS_BELOW = env_int("DISCLOSURE_SUPPRESS_BELOW", 10, minimum=2)
# How long the dashboard's rendered figures are kept per organisation and filters (0: not kept).
DASHBOARD_CACHE_SECONDS = env_int("DASHBOARD_CACHE_SECONDS", 300, minimum=0)

# --- Volunteer expenses (volunteers.expenses) ------------------------------
# Photos of receipts: kept in a private folder that is never served as static
# or media files, shown only through the app to the claimant and her staff.
EXPENSE_RECEIPTS_DIR = Path(env_str("EXPENSE_RECEIPTS_DIR", str(DATA_DIR / "receipts"))).resolve()
# A receipt photo larger than this (bytes) is refused with a field error.
EXPENSE_RECEIPT_MAX_BYTES = env_int("EXPENSE_RECEIPT_MAX_BYTES", 5 * 1024 * 1024, minimum=10240)

# --- Online referral forms (referrals.online) ------------------------------
# Form posts (checks and sends) accepted per hour from one address, and for
# one organisation from everywhere; more is answered 429 and nothing is written.
ONLINE_REFERRAL_LIMIT_PER_ADDRESS = env_int("ONLINE_REFERRAL_LIMIT_PER_ADDRESS", 20, minimum=1)
ONLINE_REFERRAL_LIMIT_PER_ORGANISATION = env_int("ONLINE_REFERRAL_LIMIT_PER_ORGANISATION", 200, minimum=1)
# A form post larger than this (bytes) is refused with 413: the forms have no upload.
ONLINE_REFERRAL_MAX_BYTES = env_int("ONLINE_REFERRAL_MAX_BYTES", 32768, minimum=4096)

# --- Evaluation exports ---------------------------------------------------
# Built files hold pseudonymised health data: kept in a private folder that is
# never served as static or media files, downloaded only through the app.
EXPORTS_DIR = Path(env_str("EXPORTS_DIR", str(DATA_DIR / "exports"))).resolve()
# Files and their records are deleted this many days after they were built.
EXPORT_RETENTION_DAYS = env_int("EXPORT_RETENTION_DAYS", 30, minimum=1)
# A download link works for this many seconds after the page showed it.
EXPORT_LINK_MAX_AGE_SECONDS = env_int("EXPORT_LINK_MAX_AGE_SECONDS", 900, minimum=30)
# Progress is written, and a cancel looked for, every this many rows.
EXPORT_PROGRESS_EVERY = env_int("EXPORT_PROGRESS_EVERY", 2000, minimum=1)
# An export at national scale takes minutes, not the default task's seconds.
EXPORT_TASK_SOFT_TIME_LIMIT = env_int("EXPORT_TASK_SOFT_TIME_LIMIT", 1800, minimum=10)

# --- Imports (operations.imports) -------------------------------------------
# Uploaded files are kept in a private folder (never served as static or media
# files) until the batch is imported, undone or past the retention period.
IMPORTS_DIR = Path(env_str("IMPORTS_DIR", str(DATA_DIR / "imports"))).resolve()
# A file larger than this (bytes) is refused on the page: use `manage.py import_data`.
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_BYTES", 20 * 1024 * 1024, minimum=1024)
# A file with more columns than this is refused with a clear message.
IMPORT_MAX_COLUMNS = env_int("IMPORT_MAX_COLUMNS", 100, minimum=5)
# Batches' files and problem lists are deleted this many days after upload.
IMPORT_RETENTION_DAYS = env_int("IMPORT_RETENTION_DAYS", 30, minimum=1)
# Progress is written, and a cancel looked for, every this many rows.
IMPORT_PROGRESS_EVERY = env_int("IMPORT_PROGRESS_EVERY", 500, minimum=1)
# A file with more data rows than this is checked and imported by the worker; smaller ones at once.
IMPORT_WORKER_ROWS = env_int("IMPORT_WORKER_ROWS", 200, minimum=0)
# A check or import of a national-sized file takes minutes, not the default task's seconds.
IMPORT_TASK_SOFT_TIME_LIMIT = env_int("IMPORT_TASK_SOFT_TIME_LIMIT", 1800, minimum=10)

# --- Private files and backups ---------------------------------------------
# Every folder of people's files the app keeps privately (never served as
# static or media files), by name: `manage.py backup` copies each one, and
# `restore` puts each back where this setting says. A new private folder
# is added here and is backed up from then on.
PRIVATE_FILE_DIRS: dict[str, Path] = {
    "exports": EXPORTS_DIR,
    "receipts": EXPENSE_RECEIPTS_DIR,
    "imports": IMPORTS_DIR,
}
# The key that encrypts backups (`manage.py backup --new-key` makes one).
# Backups refuse to run without it; keep a copy away from the backups.
BACKUP_KEY = env_str("BACKUP_KEY", "")
# Where `manage.py backup` writes its dated files when no --output is given.
BACKUP_DIR = Path(env_str("BACKUP_DIR", str(DATA_DIR / "backups"))).resolve()
# How many dated backups to keep in BACKUP_DIR; older ones are deleted after each backup (0: keep all).
BACKUP_KEEP = env_int("BACKUP_KEEP", 14, minimum=0)

# --- Internationalisation -------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = env_str("TIME_ZONE", "Europe/London")
USE_I18N = True
USE_TZ = True
# Dates read "14 Feb 2028" everywhere, times "14:05". With translation on,
# Django takes formats from the format module first (operations/formats/en),
# then its en-GB locale; the settings say the same for code that reads them.
FORMAT_MODULE_PATH = ["operations.formats"]
DATE_FORMAT = _formats.DATE_FORMAT
SHORT_DATE_FORMAT = _formats.SHORT_DATE_FORMAT
DATETIME_FORMAT = _formats.DATETIME_FORMAT
SHORT_DATETIME_FORMAT = _formats.SHORT_DATETIME_FORMAT
TIME_FORMAT = _formats.TIME_FORMAT

# --- Static files ---------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "var" / "static")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- API ------------------------------------------------------------------
REST_FRAMEWORK = {
    # Both refuse a user whose role requires two-factor authentication and
    # who has not passed it (see operations.core.security).
    # The token first: its challenge (WWW-Authenticate: Token) makes a
    # missing, invalid or forged token a 401 that API clients understand.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "operations.core.security.TwoFactorTokenAuthentication",
        "operations.core.security.TwoFactorSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["operations.core.permissions.IsMember"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "operations.core.api_fields.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "operations.core.api_errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Perinatal peer support operations API",
    "DESCRIPTION": "Every endpoint is scoped to the caller's active organisation and role.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI and Redoc are served from our own static files: docs work offline.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # Request bodies are documented as JSON, the API's contract (the form
    # parsers stay for DRF's test client and browsable API).
    "PARSER_WHITELIST": ["rest_framework.parsers.JSONParser"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        # 400, 401 (with its challenge), 403 and 404 on every operation they apply to.
        "operations.core.api_schema.document_common_responses",
    ],
    # Several apps have a "role" or "status" field with their own choices.
    "ENUM_NAME_OVERRIDES": {
        "MembershipRoleEnum": "operations.core.models.Role.choices",
        "ParentRoleEnum": "referrals.models.ParentRole.choices",
        "ReferralStatusEnum": "referrals.workflow.Status.choices",
        "VolunteerStatusEnum": "volunteers.models.Status.choices",
        "NotificationStatusEnum": "operations.notifications.models.Status.choices",
        "BookingStatusEnum": "operations.groups.models.BookingStatus.choices",
        # Assessments' "measure" and exports' "measures" filter share one enum.
        "MeasureCodeEnum": "operations.outcomes.models.MeasureCode.choices",
        # A referral's "channel" and a team's "kind", beside notifications' channels and other kinds.
        "ReferralChannelEnum": "referrals.models.Channel.choices",
        "ReferrerKindEnum": "referrals.models.ReferrerKind.choices",
    },
}

# --- Logging: structured enough to grep, never personal data --------------
LOG_LEVEL = env_str("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # The request id (a web request's X-Request-ID, a task's id) ties a line to its audit entries.
    "filters": {"request_id": {"()": "operations.core.context.RequestIdFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["request_id"]}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    # django-axes reports every sign-in at INFO; lockouts still show as warnings.
    "loggers": {"django.db.backends": {"level": "INFO"}, "axes": {"level": "WARNING"}},
}

# --- Product settings -----------------------------------------------------
# Demo data refuses to load into a production database unless forced.
DEMO_PASSWORD = "demo-pass-2026"  # noqa: S105 - fictional demo users, development only
