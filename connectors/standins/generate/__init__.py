"""Writes the REST platforms' samples to ``connectors/samples/<system>/``.

The systems are ``civil_affairs``, ``volunteers`` and ``hotline``. Run
``python -m connectors.standins.generate`` to regenerate (the output is
deterministic: a second run changes no byte). Each folder gets one JSON array
per endpoint (one record per line, so diffs stay readable), a
``manifest.json`` naming the records that are messy on purpose, and a README
saying that the data is synthetic.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from connectors.standins.generate import civil_affairs, hotline, volunteers

SAMPLES_DIR = Path(__file__).resolve().parents[2] / "samples"
SYSTEMS = ("civil_affairs", "volunteers", "hotline")

_README = {
    "civil_affairs": """# 智慧民政 Smart Civil Affairs platform — SAMPLE data

**These are synthetic samples**, not data of real people. They imitate what the
platform's REST API returns for Tengzhou (滕州市): children's directors
(`directors.json`), the children in care (`children.json`) and the directors'
visits with phone GPS and photo hashes (`visits.json`). Places are real
division codes (荆河街道 370481001, 滨湖镇 370481104, 官桥镇 370481110); names,
ID numbers, phones and coordinates are invented.

The local stand-in (`python -m connectors.standins`) serves them at
`/scas/api/v1/{directors,children,visits}`: bearer token, `page`/`page_size`,
`updated_since` (inclusive), ascending `updated_at` then id, the total in
`data.total`, and the platform's known bug of repeating the last record of a
page at the top of the next one.

Messy on purpose, as real exports are (`manifest.json` names the records): ID
numbers with a lower-case x, 15-digit first-generation numbers, wrong check
characters, a birth date that disagrees with the ID number, null fields, phone
visits without GPS, a fix at (0, 0), a reused photo, a device clock hours off, a
visit of an unknown child, and records saved in the same second.

Regenerate with `python -m connectors.standins.generate`.
""",
    "volunteers": """# 志愿服务平台 Volunteer service platform — SAMPLE data

**These are synthetic samples**, not data of real people. They imitate the
platform's REST API for Tengzhou: volunteers (`volunteers.json`), the "1+X+N"
teams led by children's directors (`teams.json`, leaders are directors of the
civil-affairs samples) and service-hour records (`service_hours.json`).

The local stand-in serves them at `/volunteer/api/{volunteers,teams,service-hours}`
with an OAuth 2.0 client-credentials token from `/volunteer/oauth/token` (tokens
expire quickly: clients must fetch a new one on 401), cursor pagination
(`limit`, `cursor`, `next_cursor` in the body) and `updated_since` on
`update_time` (`2026-03-05 09:30:00`, Beijing time without an offset, as the
platform writes it).

Messy on purpose (`manifest.json`): skills as one string with mixed commas,
hour totals as strings, a lower-case x, a wrong check character, missing
background checks and coordinates, hours of an unknown volunteer, negative and
absurd hours, a missing end time.

Regenerate with `python -m connectors.standins.generate`.
""",
    "hotline": """# 12345 government hotline — SAMPLE data

**These are synthetic samples**, not real citizens' requests. They imitate the
hotline's work orders (工单) about minors in Tengzhou (`orders.json`): channel,
category, content, location, the child's age, status from 已受理 to 已回访, the
handling unit and the reply. Callers' phones are masked as the hotline masks them.

The local stand-in serves them at `/hotline/api/orders`: bearer token,
`page`/`per_page` with RFC 8288 `Link` headers (`next`, `last`) and
`X-Total-Count`, `updated_since` on `updated_at`, and the hotline's rate limit:
every few requests answer 429 with `Retry-After`, now and then 503.

Messy on purpose (`manifest.json`): locations by town name only or missing,
content with line breaks and stray spaces, a child's age as text, an order
re-opened after it was closed.

Regenerate with `python -m connectors.standins.generate`.
""",
}


def _dump(records: list[dict[str, Any]]) -> str:
    lines = (json.dumps(r, ensure_ascii=False, sort_keys=False) for r in records)
    return "[\n" + ",\n".join(lines) + "\n]\n"


def sample_files() -> dict[str, dict[str, str]]:
    """Every file's text, by system folder and file name."""
    civil = civil_affairs.generate()
    vol = volunteers.generate(civil.directors)
    hot = hotline.generate()

    def manifest(faults: dict[str, list[str]], counts: dict[str, int]) -> str:
        body = {"synthetic": True, "counts": counts, "deliberate_faults": faults}
        return json.dumps(body, ensure_ascii=False, indent=2) + "\n"

    return {
        "civil_affairs": {
            "directors.json": _dump(civil.directors),
            "children.json": _dump(civil.children),
            "visits.json": _dump(civil.visits),
            "manifest.json": manifest(
                civil.manifest,
                {
                    "directors": len(civil.directors),
                    "children": len(civil.children),
                    "visits": len(civil.visits),
                },
            ),
            "README.md": _README["civil_affairs"],
        },
        "volunteers": {
            "volunteers.json": _dump(vol.volunteers),
            "teams.json": _dump(vol.teams),
            "service_hours.json": _dump(vol.service_hours),
            "manifest.json": manifest(
                vol.manifest,
                {
                    "volunteers": len(vol.volunteers),
                    "teams": len(vol.teams),
                    "service_hours": len(vol.service_hours),
                },
            ),
            "README.md": _README["volunteers"],
        },
        "hotline": {
            "orders.json": _dump(hot.orders),
            "manifest.json": manifest(hot.manifest, {"orders": len(hot.orders)}),
            "README.md": _README["hotline"],
        },
    }


def write_samples(root: Path = SAMPLES_DIR) -> list[Path]:
    """Write every sample file under ``root``; returns the paths written."""
    written = []
    for system, files in sample_files().items():
        folder = root / system
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in files.items():
            path = folder / name
            path.write_text(text, encoding="utf-8")
            written.append(path)
    return written
