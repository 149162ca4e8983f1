"""The exceptions of the ``public_portal`` package, in one tree.

::

    PortalError              root: everything this package raises
    └── PortalUnavailable    the schema could not answer a page's operation (the graph
                             is down or an operation failed): the page says so (503)
"""

from __future__ import annotations


class PortalError(Exception):
    """Root of the exceptions of the ``public_portal`` package."""


class PortalUnavailable(PortalError):
    """A page's data could not be read; the visitor gets a 503 page, not a traceback."""
