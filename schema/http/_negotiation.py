"""Content negotiation: which media type answers, and which request bodies we read.

GraphQL over HTTP defines two response types: ``application/graphql-response+json``
(status codes carry meaning) and the legacy ``application/json`` (200 for
anything that reached GraphQL). We answer in the first when the client names
it at least as highly as the second, and in ``application/json`` when the
client names neither (no ``Accept``, ``*/*``, ``application/*``), as the spec
asks of servers during the watershed.
"""

from __future__ import annotations

from dataclasses import dataclass

GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"
JSON = "application/json"
HTML = "text/html"


@dataclass(frozen=True)
class MediaRange:
    """One entry of an ``Accept`` header."""

    type: str
    subtype: str
    q: float

    def specificity(self, media_type: str) -> int:
        """2 for an exact match, 1 for ``type/*``, 0 for ``*/*``, -1 for no match."""
        type_, _, subtype = media_type.partition("/")
        if self.type == "*" and self.subtype == "*":
            return 0
        if self.type != type_:
            return -1
        if self.subtype == "*":
            return 1
        return 2 if self.subtype == subtype else -1


def parse_accept(header: str) -> list[MediaRange]:
    """The media ranges of an ``Accept`` header; malformed entries are skipped."""
    ranges: list[MediaRange] = []
    for item in header.split(","):
        media, *params = (part.strip() for part in item.split(";"))
        type_, slash, subtype = media.lower().partition("/")
        if not slash or not type_ or not subtype:
            continue
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = min(max(float(value.strip()), 0.0), 1.0)
                except ValueError:
                    q = 0.0
        ranges.append(MediaRange(type_, subtype, q))
    return ranges


def quality(ranges: list[MediaRange], media_type: str) -> tuple[float, int]:
    """``(q, specificity)`` of ``media_type``: the most specific matching range decides."""
    best: tuple[int, float] = (-1, 0.0)
    for media_range in ranges:
        specificity = media_range.specificity(media_type)
        if specificity > best[0]:
            best = (specificity, media_range.q)
    return best[1], best[0]


def negotiate(accept: str | None) -> str | None:
    """The response media type for this ``Accept`` header; ``None`` means 406."""
    if accept is None or not accept.strip():
        return JSON
    ranges = parse_accept(accept)
    graphql_q, graphql_specificity = quality(ranges, GRAPHQL_RESPONSE_JSON)
    json_q, json_specificity = quality(ranges, JSON)
    if graphql_q <= 0 and json_q <= 0:
        return None
    if graphql_q != json_q:
        return GRAPHQL_RESPONSE_JSON if graphql_q > json_q else JSON
    # Equal weight: an explicit mention earns the newer type, a wildcard the legacy one.
    explicit = graphql_specificity == 2 and graphql_specificity >= json_specificity
    return GRAPHQL_RESPONSE_JSON if explicit else JSON


def prefers_html(accept: str | None) -> bool:
    """A browser asking for a page: ``text/html`` named explicitly, above any JSON."""
    if not accept:
        return False
    ranges = parse_accept(accept)
    html_q, html_specificity = quality(ranges, HTML)
    if html_specificity < 2 or html_q <= 0:
        return False
    return html_q >= max(quality(ranges, JSON)[0], quality(ranges, GRAPHQL_RESPONSE_JSON)[0])


def is_json_body(content_type: str | None) -> bool:
    """Whether a POST body is ``application/json`` in UTF-8 (the only encoding JSON has)."""
    if not content_type:
        return False
    media, *params = (part.strip() for part in content_type.split(";"))
    if media.lower() != JSON:
        return False
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset" and value.strip().strip('"').lower() not in (
            "utf-8",
            "utf8",
        ):
            return False
    return True
