"""The key ring: a private JWK set file, rotation without downtime, other processes' changes."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from hub.auth.keys import JWKS_FILE, KeyRing, KeyRingError, KeyState


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_load_creates_a_private_first_key(tmp_path: Path) -> None:
    keys_dir = tmp_path / "keys"
    ring = KeyRing.load(keys_dir)
    assert mode(keys_dir) == 0o700
    assert mode(keys_dir / JWKS_FILE) == 0o600
    stored = json.loads((keys_dir / JWKS_FILE).read_text())
    [entry] = stored["keys"]
    assert entry["kid"] == ring.active.kid
    assert entry["wb_state"] == "active"
    assert [entry[m] for m in ("kty", "crv", "alg", "use")] == ["EC", "P-256", "ES256", "sig"]
    assert "d" in entry  # the file holds the private key
    assert KeyRing.load(keys_dir).active.kid == ring.active.kid  # and loading again keeps it
    assert [p.name for p in keys_dir.iterdir() if p.name.endswith(".tmp")] == []


def test_loose_permissions_are_tightened(tmp_path: Path) -> None:
    keys_dir = tmp_path / "keys"
    KeyRing.load(keys_dir)
    keys_dir.chmod(0o755)
    (keys_dir / JWKS_FILE).chmod(0o644)
    KeyRing.load(keys_dir)
    assert (mode(keys_dir), mode(keys_dir / JWKS_FILE)) == (0o700, 0o600)


def test_public_jwks_has_public_halves_only(tmp_path: Path) -> None:
    ring = KeyRing.load(tmp_path)
    ring.rotate()
    jwks = ring.public_jwks()
    assert [k["kid"] for k in jwks["keys"]] == [k.kid for k in ring.keys]
    for key in jwks["keys"]:
        assert set(key) == {"kty", "crv", "x", "y", "kid", "alg", "use"}
        assert (key["alg"], key["use"]) == ("ES256", "sig")


def test_rotate_keeps_the_old_key_verifying_and_retire_drops_it(tmp_path: Path) -> None:
    ring = KeyRing.load(tmp_path)
    old = ring.active
    new = ring.rotate()
    assert ring.active.kid == new.kid != old.kid
    assert [k.state for k in ring.keys] == [KeyState.VERIFYING, KeyState.ACTIVE]
    assert ring.verification_key(old.kid) is not None

    ring.retire(old.kid)
    assert ring.verification_key(old.kid) is None
    assert [k["kid"] for k in ring.public_jwks()["keys"]] == [new.kid]
    stored = {e["kid"]: e for e in json.loads((tmp_path / JWKS_FILE).read_text())["keys"]}
    assert stored[old.kid]["wb_state"] == "retired"
    assert "d" not in stored[old.kid]  # a retired key's private half is destroyed
    assert "d" in stored[new.kid]


def test_retire_refuses_the_active_and_unknown_keys(tmp_path: Path) -> None:
    ring = KeyRing.load(tmp_path)
    with pytest.raises(KeyRingError, match="active key"):
        ring.retire(ring.active.kid)
    with pytest.raises(KeyRingError, match="no signing key"):
        ring.retire("nope")


def test_reload_picks_up_another_process_rotation(tmp_path: Path) -> None:
    hub = KeyRing.load(tmp_path)
    cli = KeyRing.load(tmp_path)  # another process on the same directory
    assert hub.reload_if_changed() is False
    fresh = cli.rotate()
    assert hub.reload_if_changed() is True
    assert hub.active.kid == fresh.kid
    assert hub.reload_if_changed() is False
    cli.rotate()
    cli.retire(fresh.kid)  # two writes in a row are both seen
    assert hub.reload_if_changed() is True
    assert hub.verification_key(fresh.kid) is None


def test_rotation_reads_the_file_first(tmp_path: Path) -> None:
    # A CLI run with a stale copy must not undo another's rotation.
    first = KeyRing.load(tmp_path)
    second = KeyRing.load(tmp_path)
    a = first.rotate()
    b = second.rotate()
    assert [k.kid for k in KeyRing.load(tmp_path).keys][-2:] == [a.kid, b.kid]


def test_a_broken_file_is_refused_and_a_running_hub_keeps_its_keys(tmp_path: Path) -> None:
    ring = KeyRing.load(tmp_path)
    active = ring.active.kid
    (tmp_path / JWKS_FILE).write_text('{"keys": [{"kid": "x"}]}')
    assert ring.reload_if_changed() is False
    assert ring.active.kid == active
    with pytest.raises(KeyRingError, match="bad entry"):
        KeyRing.load(tmp_path)
    (tmp_path / JWKS_FILE).write_text("not json")
    with pytest.raises(KeyRingError, match="not valid JSON"):
        KeyRing.load(tmp_path)
