"""The sources file: checked, secrets from the environment or files, never from the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from connectors import ConfigError, load_sources, parse_sources
from connectors.config import parse_interval

EXAMPLE = Path(__file__).resolve().parents[2] / "sources.example.toml"
ENV = {"SCAS_TOKEN": "t-scas", "XUEJI_DB_PASSWORD": "pw", "HOTLINE_TOKEN": "t-12345"}


def test_the_example_file_loads(tmp_path: Path) -> None:
    secret = tmp_path / "secret"
    secret.write_text("s3cret\n")
    text = EXAMPLE.read_text(encoding="utf-8").replace(
        "/run/secrets/volunteer_client_secret", str(secret)
    )
    path = tmp_path / "sources.toml"
    path.write_text(text, encoding="utf-8")
    sources = load_sources(path, environ=ENV)
    assert set(sources) == {
        "civil_affairs", "child_welfare", "household", "education", "volunteers", "hotline",
        "projects",
    }  # fmt: skip
    assert sources["civil_affairs"].settings["token"] == "t-scas"
    assert sources["volunteers"].settings["client_secret"] == "s3cret"
    assert sources["civil_affairs"].every_s == 900
    assert sources["education"].field_precedence == {"schoolStatus": 100}


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"system": "nope"}, "`system` must be one of"),
        ({"system": "hotline", "base_url": "https://x", "token": "plain"}, "is a secret"),
        ({"system": "hotline", "base_url": "https://x", "token_env": "MISSING"}, "is not set"),
        ({"system": "hotline", "token_env": "HOTLINE_TOKEN"}, "base_url"),
        (
            {
                "system": "hotline",
                "base_url": "https://x",
                "token_env": "HOTLINE_TOKEN",
                "every": "soon",
            },
            "interval",
        ),
        ({"system": "hotline", "precedence": "high"}, "precedence"),
    ],
)
def test_bad_sources_are_refused_naming_the_place(table: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=message) as caught:
        parse_sources({"sources": {"hotline-a": table}}, environ=ENV)
    assert "[sources.hotline-a]" in str(caught.value)


def test_the_hubs_own_source_name_is_refused() -> None:
    table = {"system": "hotline", "base_url": "https://x", "token_env": "HOTLINE_TOKEN"}
    with pytest.raises(ConfigError, match=r"\[sources.hub\]: 'hub' names the hub's own"):
        parse_sources({"sources": {"hub": table}}, environ=ENV)


def test_intervals() -> None:
    assert parse_interval("90s") == 90
    assert parse_interval("2h") == 7200
    with pytest.raises(ConfigError):
        parse_interval("2 weeks")


def test_a_missing_or_broken_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no sources file"):
        load_sources(tmp_path / "none.toml")
    broken = tmp_path / "broken.toml"
    broken.write_text("[sources.x\n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_sources(broken)
