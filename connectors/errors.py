"""The exceptions of :mod:`connectors`, in one tree.

::

    ConnectorError          root: everything this package raises
    ├── ConfigError         the sources file or a source's settings are unusable
    ├── SourceError         a source cannot be read at all (file missing, server down
    │                       after the retries, database unreachable): the stream stops,
    │                       its state is not advanced, nothing half-written is lost
    └── SyncError           the sync engine cannot go on (the graph refused a batch)

A single bad record is not an exception: it becomes a reject (location + reason)
and the sync goes on with the next one.
"""

from __future__ import annotations


class ConnectorError(Exception):
    """Root of the exceptions of the ``connectors`` package."""


class ConfigError(ConnectorError):
    """The sources configuration is unusable; the message names the place."""


class SourceError(ConnectorError):
    """A source cannot be read at all."""


class SyncError(ConnectorError):
    """The sync engine cannot go on."""
