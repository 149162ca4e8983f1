"""The exceptions of ``schema.media``, in one tree.

::

    SchemaError (schema.errors)
    └── MediaError        root: everything this package raises
        ├── PhotoError    the bytes are not a photo we accept (also a ValueError):
        │                 not an image, too big, too many pixels, unsupported type
        └── BlobError     the blob store failed or was misused (bad key, I/O, S3)

Neither is a ``PublicError``: the caller (``recordVisit``) turns a
``PhotoError`` into a ``BadArgument`` with its message; a ``BlobError`` is an
operational failure, masked for clients and logged.
"""

from __future__ import annotations

from schema.errors import SchemaError


class MediaError(SchemaError):
    """Root of the exceptions of ``schema.media``."""


class PhotoError(MediaError, ValueError):
    """The bytes are not a photo we accept; the message says why, for the uploader."""


class BlobError(MediaError):
    """The blob store cannot do it: an invalid key, an I/O or S3 failure, a corrupt blob."""
