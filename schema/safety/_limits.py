"""The limits one GraphQL endpoint enforces, with the reasons for their defaults."""

from __future__ import annotations

from dataclasses import dataclass

MIB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """What a request may ask for. The hub fills it from ``Settings.graphql``.

    The defaults leave room for every query a partner app or the portal needs
    while refusing the classic abuses before they reach the graph.
    """

    max_depth: int = 16
    """Nested fields, introspection excluded (it has graphql-core's own rule). The
    deepest real query, towns → villages → directors → children → last visit, nests
    16 levels in Relay's ``edges { node }`` form (11 with ``nodes``)."""

    max_aliases: int = 30
    """Aliased fields in one document: enough for a dashboard, not for a field bomb."""

    max_tokens: int = 5_000
    """Lexical tokens; bounds parsing work (the full introspection query is ~300)."""

    max_cost: int = 50_000
    """Estimated fields resolved: a paged field multiplies its subtree by its page size."""

    max_page_size: int = 100
    """The connections' own cap on ``first``/``last``, refused here already."""

    default_page_size: int = 20
    """What a connection returns when neither ``first`` nor ``last`` is given."""

    introspection: bool = True
    """``__schema``/``__type`` allowed (dev); production turns it off by default."""

    max_body_bytes: int = MIB
    """A POST body larger than this is refused with 413 before it is all read."""

    max_batch: int = 0
    """Operations in one JSON-array body; 0 turns batching off (400)."""

    max_upload_bytes: int = 32 * MIB
    """A multipart request (GraphQL multipart request spec: photos of a visit) larger
    than this is refused with 413."""

    max_files: int = 6
    """Files in one multipart request."""

    timeout_s: float = 10.0
    """Wall-clock limit of executing one request (all operations of a batch)."""

    def __post_init__(self) -> None:
        for name in ("max_depth", "max_aliases", "max_tokens", "max_cost", "max_page_size"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1")
        if not 0 <= self.default_page_size <= self.max_page_size:
            raise ValueError("default_page_size must be between 0 and max_page_size")
        if self.max_upload_bytes < 1 or self.max_files < 0:
            raise ValueError("max_upload_bytes must be positive, max_files >= 0")
        if self.max_body_bytes < 1 or self.max_batch < 0 or self.timeout_s <= 0:
            raise ValueError("max_body_bytes and timeout_s must be positive, max_batch >= 0")
