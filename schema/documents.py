"""Trusted documents: the registry of operations a restricted client may run.

The registry is the folder ``schema/documents/``: one ``.graphql`` file per
operation, loaded once at start. A document's id is the sha256 hex of the
file's bytes exactly as stored, so a client build and the hub agree on ids
without sharing anything but the files. Clients name one in either
convention:

* Apollo's automatic persisted queries:
  ``"extensions": {"persistedQuery": {"version": 1, "sha256Hash": "<hex>"}}``;
* the GraphQL trusted-documents convention: ``"documentId": "sha256:<hex>"``.

Documents are only looked up here, never registered from requests: the
registry is what was reviewed and committed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graphql import GraphQLError, OperationDefinitionNode, parse

from schema.errors import BadRequest, DocumentsError, PersistedQueryNotFound

DEFAULT_FOLDER = Path(__file__).with_name("documents")
PREFIX = "sha256:"
APQ_VERSION = 1


def document_id(text: str | bytes) -> str:
    """The id of a document: the sha256 hex of its UTF-8 text as stored."""
    raw = text.encode("utf-8") if isinstance(text, str) else text
    return hashlib.sha256(raw).hexdigest()


@dataclass(frozen=True)
class TrustedDocuments(Mapping[str, str]):
    """Document text by id (sha256 hex), with the file each came from."""

    texts: Mapping[str, str] = field(default_factory=dict)
    files: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, folder: Path = DEFAULT_FOLDER) -> TrustedDocuments:
        """Read every ``*.graphql`` file of ``folder``; each must hold one operation."""
        texts: dict[str, str] = {}
        files: dict[str, str] = {}
        for path in sorted(folder.glob("*.graphql")):
            raw = path.read_bytes()
            try:
                text = raw.decode("utf-8")
                document = parse(text)
            except (UnicodeDecodeError, GraphQLError) as exc:
                raise DocumentsError(f"{path}: not a GraphQL document: {exc}") from exc
            operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
            if len(operations) != 1:
                raise DocumentsError(f"{path}: holds {len(operations)} operations, not one")
            key = document_id(raw)
            if key in texts:
                raise DocumentsError(f"{path}: same text as {files[key]}")
            texts[key] = text
            files[key] = path.name
        return cls(texts, files)

    def __getitem__(self, key: str) -> str:
        return self.texts[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.texts)

    def __len__(self) -> int:
        return len(self.texts)

    def resolve(self, key: str) -> str:
        """The text of document ``key``, or :class:`PersistedQueryNotFound`."""
        try:
            return self.texts[key]
        except KeyError:
            raise PersistedQueryNotFound(
                f"PersistedQueryNotFound: no trusted document has the id sha256:{key}",
                documentId=f"{PREFIX}{key}",
            ) from None


def requested_id(document_ref: Any, extensions: Mapping[str, Any] | None) -> str | None:
    """The document id a request names (``documentId`` or Apollo's hash), if any.

    Raises :class:`BadRequest` for a malformed reference, so a typo is not
    silently treated as "no reference".
    """
    if document_ref is not None:
        if not isinstance(document_ref, str) or not document_ref.startswith(PREFIX):
            raise BadRequest(f"documentId must be a string '{PREFIX}<hex>'")
        return _hex(document_ref.removeprefix(PREFIX), "documentId")
    persisted = (extensions or {}).get("persistedQuery")
    if persisted is None:
        return None
    if not isinstance(persisted, Mapping):
        raise BadRequest("extensions.persistedQuery must be an object")
    if persisted.get("version") != APQ_VERSION:
        raise BadRequest(f"extensions.persistedQuery.version must be {APQ_VERSION}")
    return _hex(persisted.get("sha256Hash"), "extensions.persistedQuery.sha256Hash")


def _hex(value: Any, where: str) -> str:
    if (
        not isinstance(value, str)
        or len(value) != 64
        or any(c not in "0123456789abcdefABCDEF" for c in value)
    ):
        raise BadRequest(f"{where} must be a sha256 hex digest (64 hex digits)")
    return value.lower()
