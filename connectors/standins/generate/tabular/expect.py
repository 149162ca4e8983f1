"""What reading a sample must give: the manifest the tests check the reader against.

Each generator notes, as it writes, every row that is wrong on purpose (with
its exact location) and every row that is there but is not data, so the
sample's ``manifest.json`` says precisely what a correct reader returns.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any


@dataclass
class FileExpectation:
    """One sample file read with one of the specs of ``specs.py``."""

    file: str
    spec: str  # the spec's name in ``specs.py``
    records: int = 0
    rejects: dict[str, str] = field(default_factory=dict)  # location → the fault planted
    sheet_rejects: dict[str, str] = field(default_factory=dict)  # sheet location → fault
    skipped: dict[str, int] = field(default_factory=dict)  # blank_rows, footer_rows, …

    def skip(self, kind: str, count: int = 1) -> None:
        self.skipped[kind] = self.skipped.get(kind, 0) + count

    def as_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "read_with": self.spec,
            "records": self.records,
            "rejects": self.rejects,
            "sheet_rejects": self.sheet_rejects,
            "skipped": dict(sorted(self.skipped.items())),
        }


def manifest(reads: list[FileExpectation], note: str) -> str:
    """The manifest's text: synthetic, and what each read of a file must give."""
    body = {
        "synthetic": True,
        "note": note,
        "reads": [expectation.as_json() for expectation in reads],
    }
    return json.dumps(body, ensure_ascii=False, indent=2) + "\n"
