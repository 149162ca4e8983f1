"""`weibao users`: the commands on a real embedded graph in a temporary data dir."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pyotp
import pytest
from typer.testing import CliRunner

from graph import GraphConfig, open_graph
from hub.auth.passwords import PASSWORDS
from hub.auth.users import UserDirectory, UserRecord
from hub.cli import app


@pytest.fixture
def weibao(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Weibao:
    monkeypatch.chdir(tmp_path)  # no .env of the working tree
    return Weibao(tmp_path / "data")


class Weibao:
    """Runs ``weibao users …`` in-process against one data dir."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.runner = CliRunner()

    def __call__(self, *args: str, code: int = 0) -> tuple[str, str]:
        result = self.runner.invoke(app, ["users", *args, "--data-dir", str(self.data_dir)])
        assert result.exit_code == code, (result.stdout, result.stderr, result.exception)
        return result.stdout, result.stderr

    def account(self, username: str) -> UserRecord | None:
        async def read() -> UserRecord | None:
            async with open_graph(GraphConfig(data_dir=self.data_dir)) as store:
                return await UserDirectory(store).get_by_username(username)

        return asyncio.run(read())


def printed(label: str, stdout: str) -> str:
    found = re.search(rf"^{label}: (\S+)$", stdout, re.MULTILINE)
    assert found, stdout
    return found.group(1)


def test_add_prints_the_password_once_and_stores_its_hash(weibao: Weibao) -> None:
    out, err = weibao(
        "add",
        "wangfang",
        "--role",
        "director",
        "--region",
        "370481001001",
        "--region",
        "370481001002",
        "--name",
        "王芳",
        "--person-id",
        "director-0001",
    )
    password = printed("password", out)
    assert "created user wangfang (director)" in err
    record = weibao.account("wangfang")
    assert record is not None
    assert record.password_hash
    assert record.regions == ("370481001001", "370481001002")
    assert (record.display_name, record.person_id) == ("王芳", "director-0001")
    assert PASSWORDS.verify(record.password_hash, password).ok
    assert password not in record.password_hash


def test_add_with_totp_prints_the_secret_and_uri(weibao: Weibao) -> None:
    out, _ = weibao(
        "add", "admin2", "--role", "center_admin", "--region", "370481", "--name", "管理员",
        "--totp",
    )  # fmt: skip
    secret = printed("TOTP secret", out)
    uri = printed("provisioning URI", out)
    assert uri == pyotp.TOTP(secret).provisioning_uri(name="admin2", issuer_name="weibao-hub")
    record = weibao.account("admin2")
    assert record is not None
    assert record.totp_secret == secret


def test_list_disable_enable_reset_and_totp(weibao: Weibao) -> None:
    first, _ = weibao(
        "add", "zhao", "--role", "auditor", "--region", "370481", "--name", "赵审计"
    )  # fmt: skip
    weibao("add", "qian", "--role", "supervisor", "--region", "370481001", "--name", "钱督导")
    weibao("disable", "zhao")
    out, _ = weibao("list")
    assert "$argon2" not in out
    rows = {line.split("│")[1].strip(): line for line in out.splitlines() if "│" in line}
    zhao = [cell.strip() for cell in rows["zhao"].split("│")[1:-1]]
    qian = [cell.strip() for cell in rows["qian"].split("│")[1:-1]]
    assert zhao == ["zhao", "auditor", "370481", "yes", "no", "no"]
    assert qian == ["qian", "supervisor", "370481001", "no", "no", "no"]

    weibao("enable", "zhao")
    out, err = weibao("reset-password", "zhao")
    new = printed("password", out)
    assert new != printed("password", first)
    assert "older sessions are ended" in err
    record = weibao.account("zhao")
    assert record is not None
    assert record.password_hash
    assert not record.disabled
    assert PASSWORDS.verify(record.password_hash, new).ok

    out, _ = weibao("totp", "zhao")
    secret = printed("TOTP secret", out)
    out, _ = weibao("list")
    assert [c.strip() for c in out.split("zhao", 1)[1].splitlines()[0].split("│")][-2] == "yes"
    record = weibao.account("zhao")
    assert record is not None
    assert record.totp_secret == secret


@pytest.mark.parametrize("command", ["disable", "enable", "reset-password", "totp"])
def test_unknown_users_exit_1(weibao: Weibao, command: str) -> None:
    _, err = weibao(command, "nobody", code=1)
    assert "no user 'nobody'" in err


def test_bad_input_exits_2(weibao: Weibao) -> None:
    base = ["add", "li", "--name", "李"]
    _, err = weibao(*base, "--role", "boss", "--region", "370481", code=2)
    assert "must be one of center_admin" in err
    _, err = weibao(*base, "--role", "auditor", "--region", "37a", code=2)
    assert "2–12 digits" in err
    weibao(*base, "--role", "auditor", code=2)  # no region
    weibao(*base, "--role", "auditor", "--region", "370481")
    _, err = weibao(*base, "--role", "auditor", "--region", "370481", code=2)
    assert "exists already" in err
    _, err = weibao("add", "Li Si", "--name", "x", "--role", "auditor", "--region", "3704", code=2)
    assert "user name" in err
