"""Sub-commands of ``weibao``, one module per concern; :mod:`hub.cli` mounts them."""
