"""Which errors a client may read: GraphQL's own and :class:`PublicError`; the rest is masked."""

from __future__ import annotations

from collections.abc import Iterable

from graphql import GraphQLError
from strawberry.extensions import MaskErrors

from schema.errors import PublicError

MASKED_MESSAGE = "Unexpected error."


def should_mask_error(error: GraphQLError) -> bool:
    """Mask everything a resolver raised, except :class:`PublicError` and its kin.

    An error without an ``original_error`` was made by graphql-core itself
    (syntax, validation, variable coercion, null in a non-null field): its
    message is about the request and safe to show.
    """
    original = error.original_error
    if original is None or isinstance(original, PublicError):
        return False
    if isinstance(original, GraphQLError):
        return should_mask_error(original)
    return True


_masker = MaskErrors(should_mask_error=should_mask_error, error_message=MASKED_MESSAGE)


def mask_errors(errors: Iterable[GraphQLError]) -> list[GraphQLError]:
    """The errors as a client may see them (the originals are logged by strawberry)."""
    return [_masker.anonymise_error(e) if should_mask_error(e) else e for e in errors]
