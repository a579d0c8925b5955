"""Tiny typed readers for environment variables; a bad value stops start-up naming the variable."""

import os
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

REQUIRED = object()
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _raw(name: str, default):
    value = os.environ.get(name)
    if value is None:
        if default is REQUIRED:
            raise ImproperlyConfigured(f"Environment variable {name} is required but not set.")
        return None
    return value.strip()


def env_str(name: str, default=REQUIRED) -> str:
    value = _raw(name, default)
    return default if value is None else value


def env_bool(name: str, default: bool) -> bool:
    value = _raw(name, default)
    if value is None:
        return default
    if value.lower() in _TRUE:
        return True
    if value.lower() in _FALSE:
        return False
    raise ImproperlyConfigured(f"Environment variable {name} must be true or false, not {value!r}.")


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    value = _raw(name, default)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"Environment variable {name} must be a whole number, not {value!r}.") from None
    if number < minimum:
        raise ImproperlyConfigured(f"Environment variable {name} must be at least {minimum}, not {number}.")
    return number


def env_choice(name: str, default: str, *, choices: tuple[str, ...]) -> str:
    value = env_str(name, default).lower()
    if value not in choices:
        raise ImproperlyConfigured(f"Environment variable {name} must be one of {', '.join(choices)}, not {value!r}.")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    value = _raw(name, default)
    if value is None:
        return default
    return [part.strip() for part in value.split(",") if part.strip()]


def env_database(name: str, *, default_sqlite: Path) -> dict:
    """DATABASES["default"] from a URL: postgres://user:password@host:port/name or sqlite:///path."""
    url = _raw(name, "")
    if not url:
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": default_sqlite}
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        path = unquote(parts.path.removeprefix("/")) if parts.netloc == "" else ""
        if not path:
            raise ImproperlyConfigured(f"Environment variable {name}: write sqlite:///relative/path or sqlite:////abs.")
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": path}
    if parts.scheme not in {"postgres", "postgresql"}:
        raise ImproperlyConfigured(
            f"Environment variable {name} must start with postgres:// or sqlite:///, not {parts.scheme!r}."
        )
    try:
        port = parts.port
    except ValueError:
        raise ImproperlyConfigured(f"Environment variable {name} has a port that is not a number.") from None
    database = unquote(parts.path.removeprefix("/"))
    if not database:
        raise ImproperlyConfigured(f"Environment variable {name} names no database (…/DATABASE_NAME).")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": database,
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": str(port or ""),
        "CONN_MAX_AGE": env_int("DATABASE_CONN_MAX_AGE", 60),
        "CONN_HEALTH_CHECKS": True,
    }


def s3_storage() -> dict:
    """STORAGES["default"] for an S3-compatible store (MinIO, Ceph, OSS, COS, AWS) from EVIDENCE_S3_* variables."""
    endpoint = env_str("EVIDENCE_S3_ENDPOINT_URL", "")
    if endpoint and urlsplit(endpoint).scheme not in {"http", "https"}:
        raise ImproperlyConfigured(
            f"Environment variable EVIDENCE_S3_ENDPOINT_URL must start with http:// or https://, not {endpoint!r}."
        )
    from botocore.config import Config  # only when the store is S3: a local install does not pay for boto

    style = env_choice("EVIDENCE_S3_ADDRESSING_STYLE", "path", choices=("path", "virtual"))
    # A store that does not answer fails a request within seconds (then 503) instead of holding it for minutes.
    client = Config(
        s3={"addressing_style": style},
        connect_timeout=5,
        read_timeout=60,
        retries={"max_attempts": 3, "mode": "standard"},
    )
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("EVIDENCE_S3_BUCKET"),
            "endpoint_url": endpoint or None,
            "region_name": env_str("EVIDENCE_S3_REGION", "") or None,
            "access_key": env_str("EVIDENCE_S3_ACCESS_KEY_ID"),
            "secret_key": env_str("EVIDENCE_S3_SECRET_ACCESS_KEY"),
            "addressing_style": style,
            "client_config": client,
            # Private objects: no ACL is sent (the bucket's own, private, applies), links are signed and short-lived.
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": 300,
            "file_overwrite": False,
            # Reads spill to a temporary file past this size instead of holding the whole object in memory.
            "max_memory_size": 4 * 1024 * 1024,
        },
    }
