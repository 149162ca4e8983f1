"""The hub's settings: one tree, read once from the environment, passed down.

Environment variables use the prefix ``WEIBAO_`` and ``__`` between sections,
e.g. ``WEIBAO_GRAPH__URI=neo4j+s://db.example:7687``. A ``.env`` file in the
working directory is read too. In ``production`` the settings refuse
placeholder or missing secrets.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from public_portal import PortalSettings
from schema.oversight.feedback_rules import (
    DEFAULT_ACCEPT_DAYS,
    DEFAULT_DANGER_WORDS,
    DEFAULT_REPLY_DAYS,
    FeedbackRules,
)

PLACEHOLDER_SECRETS = frozenset({"", "changeme", "change-me", "password", "secret", "neo4j", "dev"})


class Environment(StrEnum):
    DEV = "dev"
    PRODUCTION = "production"


class GraphSettings(BaseModel):
    """Where the graph lives."""

    uri: str = Field(
        "embedded",
        description="'embedded' (FalkorDB started by the hub in the data dir), "
        "'falkordb://host:port', or a Neo4j URI: neo4j://, neo4j+s://, bolt://",
    )
    user: str = Field("neo4j", description="Neo4j user name")
    password: SecretStr | None = Field(None, description="Neo4j (or external FalkorDB) password")
    database: str | None = Field(None, description="Neo4j database name; server default if unset")
    max_connections: int = Field(16, ge=1, le=512, description="Connection pool size")
    query_timeout_ms: int = Field(60_000, ge=100, description="Per-statement timeout (FalkorDB)")

    @field_validator("uri")
    @classmethod
    def _known_scheme(cls, value: str) -> str:
        ok = (
            "embedded",
            "falkordb://",
            "falkor://",
            "redis://",
            "neo4j://",
            "neo4j+s://",
            "neo4j+ssc://",
            "bolt://",
            "bolt+s://",
            "bolt+ssc://",
        )
        if not value.startswith(ok):
            raise ValueError(
                "graph URI must be 'embedded', 'falkordb://host:port' or a neo4j:// / "
                "neo4j+s:// / bolt:// URI"
            )
        return value


class GraphQLSettings(BaseModel):
    """The GraphQL endpoint: its developer tools and the limits every request meets.

    The limits refuse a request before it touches the graph; each refusal
    names the limit it hit. See ``schema.safety.Limits`` for why the defaults.
    """

    graphiql: bool | None = Field(
        None, description="Serve GraphiQL at /graphql to browsers; default: on in dev only"
    )
    introspection: bool | None = Field(
        None, description="Allow __schema/__type introspection; default: on in dev only"
    )
    max_depth: int = Field(16, ge=1, le=100, description="Deepest nesting of fields")
    max_aliases: int = Field(30, ge=1, description="Aliased fields in one document")
    max_tokens: int = Field(5_000, ge=100, description="Lexical tokens in one document")
    max_cost: int = Field(
        50_000,
        ge=1,
        description="Estimated fields resolved: paged fields multiply their rows by first/last",
    )
    max_body_bytes: int = Field(
        1024 * 1024, ge=1024, description="Largest POST body, in bytes (larger: 413)"
    )
    max_batch: int = Field(
        0, ge=0, le=100, description="Operations in one JSON-array batch; 0 turns batching off"
    )
    timeout_s: float = Field(
        10.0, gt=0, le=600, description="Time limit of one request's execution (then 504)"
    )
    compiled_queries: bool = Field(
        True,
        description="Answer queries of known shape in one graph statement per root field "
        "(schema.core.compiled); off: every query field by field",
    )
    trusted_documents_only: bool = Field(
        False,
        description="Clients may only run the trusted documents of schema/documents/ "
        "(by documentId or persistedQuery hash), no free-form queries",
    )


class AuthSettings(BaseModel):
    """Who may call the hub: partner clients (OAuth 2.0), people (login), tokens, audit."""

    issuer: str | None = Field(
        None,
        description="`iss` of access tokens (a URL); default: http://<host>:<port>",
    )
    audience: str = Field("weibao-hub", description="`aud` of access tokens for the GraphQL API")
    client_token_ttl_s: int = Field(
        600, ge=60, le=3600, description="Lifetime of a partner client's access token"
    )
    user_token_ttl_s: int = Field(
        900, ge=60, le=12 * 3600, description="Lifetime of a person's (program app) token"
    )
    keys_dir: Path | None = Field(
        None, description="Signing keys (JWK set, 0600); default: <data_dir>/keys"
    )
    session_secret: SecretStr | None = Field(
        None,
        description="Key signing session cookies; dev: generated into keys_dir; "
        "production: required",
    )
    session_max_age_s: int = Field(8 * 3600, ge=300, description="Session cookie lifetime")
    require_totp: bool | None = Field(
        None,
        description="TOTP second factor required for totp_roles; default: on in production",
    )
    totp_roles: tuple[str, ...] = Field(
        ("center_admin", "auditor", "commissioner"),
        description="Roles that must use a second factor when require_totp is on",
    )
    max_failed_logins: int = Field(
        5, ge=1, le=100, description="Failed logins in a row before an account locks"
    )
    lockout_s: int = Field(900, ge=10, description="How long a locked account stays locked")
    backoff_base_s: float = Field(
        1.0, ge=0, le=60, description="Delay after the 2nd failed login, doubling per failure"
    )
    break_glass_s: int = Field(
        3 * 3600, ge=60, le=24 * 3600, description="How long a break-the-glass grant lasts"
    )


class BlobSettings(BaseModel):
    """Where visit photos are kept (by content hash), and the secret of their signed links."""

    kind: Literal["file", "s3"] = Field(
        "file", description="'file' (a directory) or 's3' (any S3-compatible store)"
    )
    dir: Path | None = Field(None, description="Blob directory (file); default <data_dir>/blobs")
    s3_endpoint: str | None = Field(
        None, description="S3 endpoint URL (MinIO, Ceph…); unset: AWS itself"
    )
    s3_bucket: str | None = Field(None, description="S3 bucket; required when kind is 's3'")
    s3_region: str | None = Field(None, description="S3 region, e.g. 'us-east-1'")
    s3_prefix: str = Field("", description="Prefix of the object names, e.g. 'photos/'")
    s3_access_key_env: str | None = Field(
        None,
        description="Name of the environment variable holding the S3 access key "
        "(never the key itself); unset: boto3's default credential chain",
    )
    s3_secret_key_env: str | None = Field(
        None, description="Name of the environment variable holding the S3 secret key"
    )
    url_secret: SecretStr | None = Field(
        None,
        description="Key signing photo links (>= 32 characters); "
        "unset: generated into <keys_dir>/photo-url.key (0600)",
    )
    url_ttl_s: int = Field(600, ge=30, le=24 * 3600, description="Lifetime of a photo link")

    @model_validator(mode="after")
    def _s3_needs_bucket(self) -> BlobSettings:
        if self.kind == "s3" and not self.s3_bucket:
            raise ValueError("blobs.kind 's3' needs a bucket: set WEIBAO_BLOBS__S3_BUCKET")
        return self


class ReportSettings(BaseModel):
    """Mandatory reports (强制报告): the acknowledgement timer and its escalation."""

    ack_window_s: int = Field(
        3600, ge=60, le=24 * 3600, description="Time those on duty have to acknowledge a report"
    )
    escalation_window_s: int = Field(
        3600, ge=60, le=24 * 3600, description="Time to acknowledge after each escalation"
    )
    escalation_every_s: float = Field(
        30.0, ge=1, le=3600, description="How often overdue reports are looked for and escalated"
    )


class SupervisionSettings(BaseModel):
    """Rectifications (督促整改): escalation when overdue, 催办 then 通报."""

    escalation_every_s: float = Field(
        300.0,
        ge=1,
        le=24 * 3600,
        description="How often overdue rectifications are looked for and escalated",
    )
    notice_after_working_days: int = Field(
        3, ge=1, le=30, description="Working days from 催办 to 通报 when still not signed off"
    )


class FeedbackSettings(BaseModel):
    """Feedback from the public: working-day deadlines per kind, danger words, whom to call."""

    accept_days: dict[str, int] = Field(
        default_factory=lambda: dict(DEFAULT_ACCEPT_DAYS),
        description="Working days to accept (受理) per kind: complaint, suggestion, concern, "
        "praise; counted from the submission day",
    )
    reply_days: dict[str, int] = Field(
        default_factory=lambda: dict(DEFAULT_REPLY_DAYS),
        description="Working days to reply (答复) per kind, counted from the acceptance day",
    )
    max_extension_days: int = Field(
        20, ge=1, le=60, description="Most working days one approved extension may add"
    )
    danger_words: tuple[str, ...] = Field(
        DEFAULT_DANGER_WORDS,
        description="Words that make a submission a danger disclosure (a mandatory report)",
    )
    police_number: str = Field("110", description="Shown at once with a danger disclosure")
    hotline_number: str = Field(
        "12345", description="The 24-hour minor-protection line shown with a danger disclosure"
    )
    hotline_name: str = Field("滕州市未成年人保护24小时热线", description="Its name")

    def rules(self) -> FeedbackRules:
        """The rules every request's context carries."""
        return FeedbackRules(
            accept_days=dict(self.accept_days),
            reply_days=dict(self.reply_days),
            max_extension_days=self.max_extension_days,
            danger_words=tuple(self.danger_words),
            police_number=self.police_number,
            hotline_number=self.hotline_number,
            hotline_name=self.hotline_name,
        )

    @model_validator(mode="after")
    def _valid_rules(self) -> FeedbackSettings:
        self.rules()  # refuses a kind without a deadline, or a deadline out of range
        return self


class Settings(BaseSettings):
    """All settings of one hub process."""

    model_config = SettingsConfigDict(
        env_prefix="WEIBAO_",
        env_nested_delimiter="__",
        env_file=".env",
        extra="ignore",
    )

    environment: Environment = Field(Environment.DEV, description="dev or production")
    data_dir: Path = Field(Path("var"), description="Where the embedded graph and blobs live")
    host: str = Field("127.0.0.1", description="Address to serve on")
    port: int = Field(8000, ge=0, le=65535, description="Port to serve on")
    graph: GraphSettings = Field(default_factory=GraphSettings)
    graphql: GraphQLSettings = Field(default_factory=GraphQLSettings)
    auth: AuthSettings = Field(default_factory=AuthSettings)
    reports: ReportSettings = Field(default_factory=ReportSettings)
    feedback: FeedbackSettings = Field(default_factory=FeedbackSettings)
    supervision: SupervisionSettings = Field(default_factory=SupervisionSettings)
    blobs: BlobSettings = Field(default_factory=BlobSettings)
    portal: PortalSettings = Field(
        default_factory=PortalSettings, description="The public portal's abuse limits and sizes"
    )
    log_level: str = Field("info", description="Log level of the hub")
    sources_file: Path = Field(
        Path("sources.toml"), description="The connectors' sources file (TOML, no secrets)"
    )

    @property
    def is_dev(self) -> bool:
        return self.environment is Environment.DEV

    @property
    def graphiql(self) -> bool:
        """GraphiQL is served: as configured, else in dev only."""
        return self.is_dev if self.graphql.graphiql is None else self.graphql.graphiql

    @property
    def introspection(self) -> bool:
        """Introspection is allowed: as configured, else in dev only."""
        return self.is_dev if self.graphql.introspection is None else self.graphql.introspection

    @property
    def issuer(self) -> str:
        return self.auth.issuer or f"http://{self.host}:{self.port}"

    @property
    def keys_dir(self) -> Path:
        return self.auth.keys_dir or self.data_dir / "keys"

    @property
    def blobs_dir(self) -> Path:
        return self.blobs.dir or self.data_dir / "blobs"

    @property
    def photo_url_key_file(self) -> Path:
        """Where the generated photo link secret is kept when none is configured."""
        return self.keys_dir / "photo-url.key"

    @property
    def require_totp(self) -> bool:
        """TOTP is required for the totp roles: as configured, else in production only."""
        return not self.is_dev if self.auth.require_totp is None else self.auth.require_totp

    @model_validator(mode="after")
    def _no_placeholders_in_production(self) -> Settings:
        if self.is_dev:
            return self
        session = self.auth.session_secret.get_secret_value() if self.auth.session_secret else ""
        if len(session) < 32 or session.strip().lower() in PLACEHOLDER_SECRETS:
            raise ValueError(
                "production needs a session secret of at least 32 characters: "
                "set WEIBAO_AUTH__SESSION_SECRET"
            )
        if self.graph.uri == "embedded":
            return self
        secret = self.graph.password.get_secret_value() if self.graph.password else ""
        if secret.strip().lower() in PLACEHOLDER_SECRETS:
            raise ValueError(
                "production refuses a missing or placeholder graph password: "
                "set WEIBAO_GRAPH__PASSWORD"
            )
        return self
