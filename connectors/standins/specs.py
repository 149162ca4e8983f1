"""How to read each stand-in endpoint with :func:`~connectors.kinds.rest.read_rest`.

These are the settings a real deployment would give for the real platforms
(with their real URLs and secrets); ``weibao sync --samples`` and the tests use
them against the stand-ins. Keys are ``<system>.<stream>``.
"""

from __future__ import annotations

from pydantic import SecretStr

from connectors.kinds.rest import (
    BearerAuth,
    ClientCredentialsAuth,
    CursorPagination,
    LinkPagination,
    PagePagination,
    RestSpec,
    RetryPolicy,
)
from connectors.standins.server import StandinInfo


def standin_specs(
    info: StandinInfo, *, page_size: int = 100, retry: RetryPolicy | None = None
) -> dict[str, RestSpec]:
    """A :class:`RestSpec` per stand-in endpoint."""
    retry = retry or RetryPolicy()
    civil = BearerAuth(token=SecretStr(info.civil_affairs_token))
    volunteer = ClientCredentialsAuth(
        token_url="/volunteer/oauth/token",  # noqa: S106 - a URL, not a secret
        client_id=info.volunteer_client_id,
        client_secret=SecretStr(info.volunteer_client_secret),
    )
    specs: dict[str, RestSpec] = {}
    for stream in ("directors", "children", "visits"):
        specs[f"civil_affairs.{stream}"] = RestSpec(
            base_url=info.base_url,
            path=f"/scas/api/v1/{stream}",
            auth=civil,
            pagination=PagePagination(page_size=page_size, total_path="data.total"),
            records_path="data.items",
            since_param="updated_since",
            cursor_field="updated_at",
            retry=retry,
        )
    for stream in ("volunteers", "teams", "service-hours"):
        specs[f"volunteers.{stream.replace('-', '_')}"] = RestSpec(
            base_url=info.base_url,
            path=f"/volunteer/api/{stream}",
            auth=volunteer,
            pagination=CursorPagination(page_size=min(page_size, 100)),
            records_path="data",
            since_param="updated_since",
            cursor_field="update_time",
            retry=retry,
        )
    specs["hotline.orders"] = RestSpec(
        base_url=info.base_url,
        path="/hotline/api/orders",
        auth=BearerAuth(token=SecretStr(info.hotline_token)),
        pagination=LinkPagination(page_size=min(page_size, 100)),
        since_param="updated_since",
        cursor_field="updated_at",
        retry=retry,
    )
    return specs
