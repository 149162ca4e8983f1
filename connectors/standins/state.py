"""What a running stand-in holds besides its data: credentials, token rules, faults.

Tests keep a reference to the state and change it while the server runs (the
server runs in a thread of the same process), e.g. to make the hotline
unavailable or the volunteer platform's tokens expire after two uses.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from connectors.standins.faults import Faults, default_faults

SAMPLE_HEADER = "X-Sample-Data"
SAMPLE_NOTICE = "SAMPLE: synthetic data from the weibao-hub stand-in, not a real platform"


@dataclass
class StandinState:
    """Credentials the stand-ins accept (SAMPLE values, loopback only) and their behaviour."""

    faults: dict[str, Faults] = field(default_factory=default_faults)
    # SAMPLE credentials of the stand-ins, printed by ``python -m connectors.standins``.
    civil_affairs_token: str = "sample-scas-token"  # noqa: S105
    hotline_token: str = "sample-12345-token"  # noqa: S105
    volunteer_client_id: str = "sample-volunteer-client"
    volunteer_client_secret: str = "sample-volunteer-secret"  # noqa: S105
    token_ttl_s: float = 120.0
    """Lifetime of a volunteer-platform token (they expire quickly, on purpose)."""
    token_max_uses: int = 0
    """Requests a token serves before it is refused (0: no limit); makes expiry deterministic."""

    def faults_of(self, system: str) -> Faults:
        """The platform's faults (a well-behaved default when none is set)."""
        return self.faults.setdefault(system, Faults())
