"""One typed Settings object, built once at the edge and passed down."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

from platformdirs import user_data_dir
from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

EXAMPLE_ORG_FILE = Path(__file__).resolve().parent / "organisation" / "example_org.yaml"


def default_data_dir() -> Path:
    """Per-user data directory for the embedded SQLite database and caches."""
    return Path(user_data_dir("catbot", appauthor=False))


def _env(name: str) -> AliasChoices:
    return AliasChoices(name, name.lower())


class Settings(BaseSettings):
    """Runtime configuration; secrets are SecretStr so they never show in logs or reprs."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", populate_by_name=True
    )

    data_dir: Path = Field(default_factory=default_data_dir, validation_alias=_env("CATBOT_DATA_DIR"))
    database_url: str | None = Field(default=None, validation_alias=_env("CATBOT_DATABASE_URL"))
    org_file: Path = Field(default=EXAMPLE_ORG_FILE, validation_alias=_env("CATBOT_ORG_FILE"))
    feeds_file: Path | None = Field(default=None, validation_alias=_env("CATBOT_FEEDS_FILE"))
    model: str | None = Field(default=None, validation_alias=_env("CATBOT_MODEL"))
    # fp32 | int8 (torch dynamic quantisation of the encoder's Linear layers); empty: the encoder's default
    model_precision: str | None = Field(default=None, validation_alias=_env("CATBOT_MODEL_PRECISION"))
    slack_bot_token: SecretStr | None = Field(default=None, validation_alias=_env("SLACK_BOT_TOKEN"))
    slack_app_token: SecretStr | None = Field(default=None, validation_alias=_env("SLACK_APP_TOKEN"))
    slack_signing_secret: SecretStr | None = Field(
        default=None, validation_alias=_env("SLACK_SIGNING_SECRET")
    )
    slack_api_url: str | None = Field(default=None, validation_alias=_env("SLACK_API_URL"))
    requests_channel: str | None = Field(default=None, validation_alias=_env("CATBOT_REQUESTS_CHANNEL"))
    signals_channel: str | None = Field(default=None, validation_alias=_env("CATBOT_SIGNALS_CHANNEL"))
    request_expiry_hours: int = Field(default=24, ge=1, validation_alias=_env("CATBOT_REQUEST_EXPIRY_HOURS"))
    follow_up_days: int = Field(default=14, ge=1, validation_alias=_env("CATBOT_FOLLOW_UP_DAYS"))
    first_statement_minutes: int = Field(default=60, ge=1, validation_alias=_env("CATBOT_FIRST_STATEMENT_MINUTES"))
    gap_escalation_minutes: int = Field(default=30, ge=1, validation_alias=_env("CATBOT_GAP_ESCALATION_MINUTES"))
    retention_days: int = Field(default=365, ge=1, validation_alias=_env("CATBOT_RETENTION_DAYS"))
    log_level: str = Field(default="INFO", validation_alias=_env("CATBOT_LOG_LEVEL"))
    # Scheduler: how often jobs run, the reminders' timing, and how quickly a standby takes over.
    feed_poll_seconds: int = Field(default=300, ge=10, validation_alias=_env("CATBOT_FEED_POLL_SECONDS"))
    reminder_check_seconds: int = Field(default=15, ge=1, validation_alias=_env("CATBOT_REMINDER_CHECK_SECONDS"))
    leader_retry_seconds: float = Field(default=3.0, gt=0, validation_alias=_env("CATBOT_LEADER_RETRY_SECONDS"))
    digest_time: str = Field(default="08:00", pattern=r"^\d{2}:\d{2}$", validation_alias=_env("CATBOT_DIGEST_TIME"))
    # Update cadence per audience, in minutes (0 switches that audience's reminder off).
    cadence_press_minutes: int = Field(default=60, ge=0, validation_alias=_env("CATBOT_CADENCE_PRESS_MINUTES"))
    cadence_internal_minutes: int = Field(default=120, ge=0,
                                          validation_alias=_env("CATBOT_CADENCE_INTERNAL_MINUTES"))
    cadence_units_minutes: int = Field(default=120, ge=0, validation_alias=_env("CATBOT_CADENCE_UNITS_MINUTES"))
    cadence_leadership_minutes: int = Field(default=240, ge=0,
                                            validation_alias=_env("CATBOT_CADENCE_LEADERSHIP_MINUTES"))

    @field_validator("database_url")
    @classmethod
    def _known_scheme(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("sqlite", "postgresql", "postgres://")):
            raise ValueError("CATBOT_DATABASE_URL moet beginnen met sqlite://, postgresql:// of postgres://")
        return value

    @cached_property
    def effective_database_url(self) -> str:
        """The configured database URL, or a SQLite file in the data directory."""
        if self.database_url:
            return normalise_database_url(self.database_url)
        return f"sqlite:///{self.data_dir / 'catbot.sqlite3'}"


def normalise_database_url(url: str) -> str:
    """Use psycopg 3 for plain postgresql:// (and Heroku-style postgres://) URLs; SQLAlchemy would pick psycopg2."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url
