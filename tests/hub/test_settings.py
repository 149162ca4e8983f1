"""Settings: environment prefix, nesting, validation, production safety."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from hub.app import graph_config
from hub.settings import Environment, Settings


def test_defaults_are_the_embedded_dev_setup(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(Path(__file__).parent)  # no .env here
    s = Settings()
    assert s.environment is Environment.DEV
    assert s.graph.uri == "embedded"
    assert (s.host, s.port, s.data_dir) == ("127.0.0.1", 8000, Path("var"))


def test_environment_with_prefix_and_nesting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WEIBAO_PORT", "9001")
    monkeypatch.setenv("WEIBAO_GRAPH__URI", "neo4j+s://db.example:7687")
    monkeypatch.setenv("WEIBAO_GRAPH__PASSWORD", "s3cret-long-enough")
    monkeypatch.setenv("WEIBAO_GRAPH__DATABASE", "weibao")
    s = Settings()
    assert s.port == 9001
    cfg = graph_config(s)
    assert (cfg.uri, cfg.password, cfg.database) == (
        "neo4j+s://db.example:7687",
        "s3cret-long-enough",
        "weibao",
    )
    assert "s3cret" not in repr(s)  # SecretStr


def test_unknown_graph_scheme_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WEIBAO_GRAPH__URI", "mysql://x")
    with pytest.raises(ValidationError, match="graph URI must be"):
        Settings()


@pytest.mark.parametrize("password", [None, "changeme", "neo4j", "  "])
def test_production_refuses_placeholder_secrets(
    monkeypatch: pytest.MonkeyPatch, password: str | None
) -> None:
    monkeypatch.setenv("WEIBAO_ENVIRONMENT", "production")
    monkeypatch.setenv("WEIBAO_AUTH__SESSION_SECRET", "s" * 40)
    monkeypatch.setenv("WEIBAO_GRAPH__URI", "neo4j://db:7687")
    if password is not None:
        monkeypatch.setenv("WEIBAO_GRAPH__PASSWORD", password)
    with pytest.raises(ValidationError, match="placeholder graph password"):
        Settings()


@pytest.mark.parametrize("secret", [None, "short", "changeme"])
def test_production_needs_a_session_secret(
    monkeypatch: pytest.MonkeyPatch, secret: str | None
) -> None:
    monkeypatch.setenv("WEIBAO_ENVIRONMENT", "production")
    if secret is not None:
        monkeypatch.setenv("WEIBAO_AUTH__SESSION_SECRET", secret)
    with pytest.raises(ValidationError, match="session secret"):
        Settings()


def test_production_defaults_close_dev_conveniences(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WEIBAO_ENVIRONMENT", "production")
    monkeypatch.setenv("WEIBAO_AUTH__SESSION_SECRET", "s" * 40)
    settings = Settings()
    assert settings.require_totp
    assert not settings.graphiql
    assert not settings.introspection
    assert settings.issuer == "http://127.0.0.1:8000"


def test_dev_accepts_placeholders(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WEIBAO_GRAPH__URI", "neo4j://db:7687")
    monkeypatch.setenv("WEIBAO_GRAPH__PASSWORD", "neo4j")
    assert Settings().graph.password is not None
