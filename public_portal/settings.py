"""The portal's settings section (``WEIBAO_PORTAL__…``): abuse limits and sizes.

The hub's settings tree holds it as ``portal``; the portal only reads it.
Rate limits are counted in this process's memory (see :mod:`public_portal.limits`):
with several hub processes behind a balancer each keeps its own count, so the
effective limit is the per-process one times the number of processes.
"""

from __future__ import annotations

from pydantic import BaseModel, Field, model_validator


class PortalSettings(BaseModel):
    """Limits of the public portal's anonymous forms."""

    submit_window_s: int = Field(
        3600, ge=10, le=7 * 24 * 3600, description="Window of the per-address submission limits"
    )
    submit_free_per_ip: int = Field(
        5,
        ge=0,
        description="Feedback submissions from one address per window without a proof of work",
    )
    submit_max_per_ip: int = Field(
        20, ge=1, description="Feedback submissions from one address per window, at most (429)"
    )
    submit_free_total: int = Field(
        300,
        ge=0,
        description="Submissions from all addresses per window before everyone must "
        "show a proof of work (a flood from many addresses)",
    )
    contact_window_s: int = Field(
        24 * 3600, ge=60, description="Window of the per-contact submission limit"
    )
    submit_max_per_contact: int = Field(
        5, ge=1, description="Submissions giving the same contact phone per window, at most"
    )
    status_window_s: int = Field(600, ge=10, description="Window of the status look-up limit")
    status_max_per_ip: int = Field(
        20, ge=1, description="Status look-ups from one address per window, at most (429)"
    )
    pow_bits: int = Field(
        16, ge=1, le=32, description="Proof of work: leading zero bits of SHA-256 at first"
    )
    pow_max_bits: int = Field(
        20,
        ge=1,
        le=32,
        description="Proof of work: at most this many bits (one more per "
        "submission past the free ones)",
    )
    pow_ttl_s: int = Field(
        3600, ge=60, le=24 * 3600, description="How long a proof-of-work challenge stays valid"
    )
    form_ttl_s: int = Field(
        4 * 3600, ge=300, description="How long a form's CSRF token stays valid"
    )
    max_body_bytes: int = Field(
        6 * 1024 * 1024, ge=64 * 1024, description="Largest form post in bytes (larger: 413)"
    )
    max_photo_bytes: int = Field(
        5 * 1024 * 1024, ge=16 * 1024, description="Largest photo in bytes"
    )

    @model_validator(mode="after")
    def _ordered(self) -> PortalSettings:
        if self.submit_free_per_ip > self.submit_max_per_ip:
            raise ValueError("portal.submit_free_per_ip must not exceed submit_max_per_ip")
        if self.pow_bits > self.pow_max_bits:
            raise ValueError("portal.pow_bits must not exceed pow_max_bits")
        if self.max_photo_bytes >= self.max_body_bytes:
            raise ValueError("portal.max_photo_bytes must be below max_body_bytes")
        return self
