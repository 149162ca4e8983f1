"""What the file-based systems share: which files, in which town, read how."""

from __future__ import annotations

import glob
import hashlib
from collections.abc import Iterator
from itertools import chain
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from connectors.core.records import Extracted, RawRecord
from connectors.errors import ConfigError
from connectors.kinds.tabular import TableSpec, read_table


class FileSet(BaseModel):
    """Files of one office: a path or glob, and the town they cover (``370481001``)."""

    model_config = ConfigDict(extra="forbid")
    path: str
    town_code: str


class FileSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    files: list[FileSet]


def paths_of(files: list[FileSet]) -> list[tuple[Path, str]]:
    out: list[tuple[Path, str]] = []
    for f in files:
        if not (f.town_code.isdigit() and len(f.town_code) == 9):
            raise ConfigError(f"{f.path}: town_code must be a 9-digit division code")
        matched = sorted(glob.glob(f.path)) if any(c in f.path for c in "*?[") else [f.path]
        out.extend((Path(m), f.town_code) for m in matched)
    return out


def read_files(files: list[FileSet], spec: TableSpec) -> Iterator[Extracted]:
    """Every file's records, each with the town its office covers (``_town``)."""

    def one(path: Path, town: str) -> Iterator[Extracted]:
        for item in read_table(path, spec):
            if isinstance(item, RawRecord):
                item.data["_town"] = town
            yield item

    return chain.from_iterable(one(p, t) for p, t in paths_of(files))


def hashed(value: str) -> str:
    """A key for a record known by a person's ID number, without the number in it."""
    return hashlib.sha256(value.encode()).hexdigest()[:20]
