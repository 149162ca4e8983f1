"""How to read one REST/JSON endpoint: the settings a source gives the reader.

Everything is declarative (dlt, Meltano): where the records are, how pages
chain, how to authenticate, how the endpoint filters by update time, and how
patient to be. Secrets are ``SecretStr`` values handed in by the caller (who
reads them from the environment or a file); this package never reads either.
"""

from __future__ import annotations

from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class BearerAuth(_Spec):
    """A static bearer token (an API token issued by the platform's administrators)."""

    kind: Literal["bearer"] = "bearer"
    token: SecretStr = Field(description="the token itself, read by the caller from env or file")


class ClientCredentialsAuth(_Spec):
    """An OAuth 2.0 client-credentials token (RFC 6749 §4.4), fetched and refreshed on 401."""

    kind: Literal["client_credentials"] = "client_credentials"
    token_url: str = Field(description="absolute, or a path resolved against the base URL")
    client_id: str = Field(min_length=1)
    client_secret: SecretStr
    scope: str | None = Field(default=None, description="space-separated scopes to ask for")
    client_auth: Literal["basic", "body"] = Field(
        default="basic",
        description="client_secret_basic (HTTP Basic, the RFC's default) or client_secret_post",
    )


Auth = Annotated[BearerAuth | ClientCredentialsAuth, Field(discriminator="kind")]


class PagePagination(_Spec):
    """Page numbers: ``?page=3&page_size=100``.

    The last page is known from ``total_path`` (records in all) or
    ``total_pages_path`` when the body has one; an empty page ends the read
    in any case. Record counts are never used to stop, because platforms
    repeat records across page boundaries.
    """

    style: Literal["page"] = "page"
    page_param: str = "page"
    size_param: str = "page_size"
    page_size: int = Field(default=100, ge=1, le=10_000)
    first_page: int = Field(default=1, ge=0)
    total_path: str | None = Field(default=None, description="dotted path of the record total")
    total_pages_path: str | None = Field(default=None, description="dotted path of the page count")


class CursorPagination(_Spec):
    """An opaque cursor in the body (``next_cursor``), sent back as ``?cursor=…``."""

    style: Literal["cursor"] = "cursor"
    cursor_param: str = "cursor"
    next_path: str = Field(default="next_cursor", description="dotted path of the next cursor")
    size_param: str | None = "limit"
    page_size: int = Field(default=100, ge=1, le=10_000)


class LinkPagination(_Spec):
    """RFC 8288 ``Link: <…>; rel="next"`` headers (GitHub style); the next URL is followed as is."""

    style: Literal["link"] = "link"
    size_param: str | None = "per_page"
    page_size: int = Field(default=100, ge=1, le=10_000)


Pagination = Annotated[
    PagePagination | CursorPagination | LinkPagination, Field(discriminator="style")
]


class RetryPolicy(_Spec):
    """Patience with a flaky server.

    429 and 5xx answers and transport errors (refused connections, resets,
    timeouts) are retried up to ``max_retries`` times per request, waiting
    ``Retry-After`` when the server gives one, else an exponential backoff
    (``backoff_base_s`` · 2ⁿ, at most ``backoff_max_s``) of which a random
    ``jitter`` fraction is taken off so that many clients do not retry in step.
    Other 4xx answers are never retried.
    """

    max_retries: int = Field(default=5, ge=0, le=20)
    backoff_base_s: float = Field(default=0.5, ge=0)
    backoff_max_s: float = Field(default=30.0, ge=0)
    jitter: float = Field(default=0.5, ge=0, le=1)
    max_retry_after_s: float = Field(
        default=120.0,
        ge=0,
        description="a longer Retry-After fails the read instead of stalling the sync",
    )


class RestSpec(_Spec):
    """One endpoint of a REST/JSON platform, as a source of records."""

    base_url: str = Field(description="scheme, host and optional prefix: https://x.gov.cn/api")
    path: str = Field(description="the endpoint, appended to the base URL: /v1/visits")
    params: dict[str, str] = Field(default_factory=dict, description="fixed query parameters")
    headers: dict[str, str] = Field(default_factory=dict, description="extra request headers")
    auth: Auth | None = None
    pagination: Pagination = Field(default_factory=PagePagination)
    records_path: str = Field(
        default="", description="dotted path of the record list in the body; empty: the body"
    )
    since_param: str | None = Field(
        default=None, description="query parameter of the incremental lower bound (inclusive)"
    )
    cursor_field: str | None = Field(
        default=None, description="the record field the API orders and filters by: updated_at"
    )
    timeout_s: float = Field(default=30.0, gt=0)
    retry: RetryPolicy = Field(default_factory=RetryPolicy)
    max_pages: int | None = Field(
        default=None, ge=1, description="a guard against a server that never ends a listing"
    )

    @field_validator("base_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in {"http", "https"} or not parts.netloc:
            raise ValueError("base_url must be an absolute http(s) URL")
        if parts.query or parts.fragment:
            raise ValueError("base_url takes no query or fragment; use params")
        return value.rstrip("/")

    @field_validator("path")
    @classmethod
    def _relative_path(cls, value: str) -> str:
        if "://" in value or "?" in value:
            raise ValueError("path is a path below base_url; put query parameters in params")
        return "/" + value.lstrip("/")

    @property
    def url(self) -> str:
        """The endpoint's absolute URL."""
        return self.base_url + self.path
