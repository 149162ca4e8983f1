"""The sources file: which systems to sync, how to reach them, with what precedence.

One TOML file (``sources.toml``; ``WEIBAO_SOURCES_FILE``) with a table per
source::

    [sources.ledgers-jinghe]
    system = "child_welfare"          # which connector (see ``weibao sync --list``)
    precedence = 5                    # higher wins a field two sources disagree on
    every = "1h"                      # `weibao serve` runs it on this interval (optional)
    paths = ["/srv/ledgers/荆河街道/*.xlsx"]

    [sources.scas]
    system = "civil_affairs"
    precedence = 10
    base_url = "https://scas.example.gov.cn/api/v1"
    token_env = "SCAS_TOKEN"          # secrets come from the environment …
    # token_file = "/run/secrets/scas"  # … or from a file, never from this file

A key ending in ``_env`` or ``_file`` names where a secret is; the loader reads
it and passes the value on as the key without the suffix. A secret written in
the file itself (``token = "…"``, ``password = "…"``) is refused.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from connectors.core.engine import SyncEngine
from connectors.core.stream import Source
from connectors.errors import ConfigError
from graph import GraphStore
from graph.queries.screening import DECISION_SOURCE

SECRET_KEYS = frozenset({"token", "password", "secret", "client_secret", "api_key"})
_INTERVAL = re.compile(r"^(\d+)\s*(s|m|h|d)$")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass(frozen=True)
class SourceConfig:
    """One configured source: its name, connector, precedence, schedule and settings."""

    name: str
    system: str
    precedence: int
    every_s: int | None
    settings: Mapping[str, Any]  # secrets resolved
    field_precedence: Mapping[str, int] | None = None


def parse_interval(text: str) -> int:
    """``"15m"`` → 900 seconds."""
    match = _INTERVAL.match(text.strip())
    if match is None:
        raise ConfigError(f"interval {text!r}: use a number and s, m, h or d, e.g. '15m'")
    return int(match.group(1)) * _UNITS[match.group(2)]


def load_sources(
    path: Path, *, environ: Mapping[str, str] | None = None
) -> dict[str, SourceConfig]:
    """Read and check the sources file; every problem names its place."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"no sources file at {path}") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
    return parse_sources(data, where=str(path), environ=environ)


def parse_sources(
    data: Mapping[str, Any], *, where: str = "sources", environ: Mapping[str, str] | None = None
) -> dict[str, SourceConfig]:
    from connectors.systems import SYSTEMS

    env = os.environ if environ is None else environ
    unknown = set(data) - {"sources"}
    if unknown:
        raise ConfigError(f"{where}: unknown top-level keys {sorted(unknown)}; use [sources.NAME]")
    tables = data.get("sources", {})
    if not isinstance(tables, dict) or not tables:
        raise ConfigError(f"{where}: no [sources.NAME] tables")
    out: dict[str, SourceConfig] = {}
    for name, table in tables.items():
        place = f"{where}: [sources.{name}]"
        if not re.fullmatch(r"[a-z0-9][a-z0-9_-]{0,62}", name):
            raise ConfigError(f"{place}: a source name is lower-case letters, digits, - and _")
        if name == DECISION_SOURCE:
            raise ConfigError(f"{place}: {name!r} names the hub's own decisions; choose another")
        if not isinstance(table, dict):
            raise ConfigError(f"{place}: must be a table")
        settings = dict(table)
        system = settings.pop("system", None)
        if system not in SYSTEMS:
            raise ConfigError(
                f"{place}: `system` must be one of {', '.join(sorted(SYSTEMS))} (got {system!r})"
            )
        precedence = settings.pop("precedence", 0)
        if not isinstance(precedence, int):
            raise ConfigError(f"{place}: `precedence` must be a whole number")
        fields = settings.pop("field_precedence", SYSTEMS[system].field_precedence)
        if fields is not None and not (
            isinstance(fields, dict) and all(isinstance(v, int) for v in fields.values())
        ):
            raise ConfigError(f"{place}: `field_precedence` maps field names to whole numbers")
        every = settings.pop("every", None)
        try:
            every_s = None if every is None else parse_interval(str(every))
        except ConfigError as exc:
            raise ConfigError(f"{place}: `every`: {exc}") from exc
        resolved = _secrets(settings, place, env)
        try:
            SYSTEMS[system].settings.model_validate(resolved)
        except ValueError as exc:
            raise ConfigError(f"{place}: {exc}") from exc
        out[name] = SourceConfig(name, system, precedence, every_s, resolved, fields)
    return out


def _secrets(settings: dict[str, Any], place: str, env: Mapping[str, str]) -> dict[str, Any]:
    resolved: dict[str, Any] = {}
    for key, value in settings.items():
        if key in SECRET_KEYS:
            raise ConfigError(
                f"{place}: `{key}` is a secret: give `{key}_env` (an environment variable) "
                f"or `{key}_file` (a file) instead of the value"
            )
        if key.endswith("_env"):
            target = key.removesuffix("_env")
            if str(value) not in env:
                raise ConfigError(f"{place}: environment variable {value} ({key}) is not set")
            resolved[target] = env[str(value)]
        elif key.endswith("_file"):
            target = key.removesuffix("_file")
            try:
                resolved[target] = Path(str(value)).read_text(encoding="utf-8").strip()
            except OSError as exc:
                raise ConfigError(f"{place}: cannot read {key} {value}: {exc}") from exc
        else:
            resolved[key] = value
    return resolved


def build_source(config: SourceConfig) -> Source:
    """The source a configured entry describes (its settings checked by its system)."""
    from connectors.systems import SYSTEMS

    spec = SYSTEMS[config.system]
    return spec.build(config.name, spec.settings.model_validate(dict(config.settings)))


def engine_for(
    store: GraphStore, configs: Mapping[str, SourceConfig], *, batch_size: int = 1000
) -> SyncEngine:
    """A sync engine ranking the configured sources (and their fields) as configured."""
    return SyncEngine(
        store,
        precedence={n: c.precedence for n, c in configs.items()},
        field_precedence={n: c.field_precedence for n, c in configs.items() if c.field_precedence},
        batch_size=batch_size,
    )
