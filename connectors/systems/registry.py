"""The registry of systems: what each connector needs and how it is built."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from connectors.core.stream import Source


@dataclass(frozen=True)
class SampleEnv:
    """Where the shipped samples are, and the stand-ins serving the platform samples."""

    samples: Path
    rest_base_url: str
    rest_tokens: dict[str, str]


@dataclass(frozen=True)
class SystemSpec:
    name: str
    title: str
    settings: type[BaseModel]
    build: Callable[[str, BaseModel], Source]
    sample_settings: Callable[[SampleEnv], dict[str, Any]]
    precedence: int = 0  # the samples' precedence (a real deployment configures its own)
    #: Fields this system is the authority on, whatever the sources' order.
    field_precedence: dict[str, int] | None = None


SYSTEMS: dict[str, SystemSpec] = {}


def register(spec: SystemSpec) -> SystemSpec:
    SYSTEMS[spec.name] = spec
    return spec
