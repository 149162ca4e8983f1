"""How to read one kind of spreadsheet or CSV export: the settings a source gives the reader.

Columns are found by their header text, never by position: town offices insert,
drop and reorder columns, and name them a little differently (身份证号,
身份证号码, 公民身份号码). A spec lists, per field, every header it accepts.
"""

from __future__ import annotations

import codecs
from typing import Self

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from connectors.kinds.tabular._cells import header_key

#: Text that starts a row which is not data: totals, signatures, notes.
DEFAULT_FOOTERS = (
    "合计",
    "小计",
    "总计",
    "共计",
    "审核人",
    "审核:",
    "填表人",
    "填报人",
    "制表人",
    "负责人",
    "单位负责人",
    "填报日期",
    "制表日期",
    "注:",
    "备注:",
    "说明:",
    "填表说明",
)

# A legacy Chinese encoding named by a clerk is read as its superset: GB18030
# decodes everything GBK and GB2312 do, and the characters they lack.
_SUPERSETS = {"gbk": "gb18030", "gb2312": "gb18030", "cp936": "gb18030", "euc_cn": "gb18030"}


class TableSpec(BaseModel):
    """What to read from a workbook or CSV file, and how to clean its cells.

    ``columns`` maps our field names to the header texts that name them, e.g.
    ``{"id_number": ["身份证号", "公民身份号码"], "guardian_name": ["监护人情况/姓名"]}``.
    Headers are compared after normalising full-width characters, spaces and
    line breaks. Under a two-row header a column is named ``group/leaf``
    (``监护人情况/姓名``); an alias matches that full name, or the leaf alone
    when only one column has that leaf.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    columns: dict[str, list[str]] = Field(
        min_length=1, description="field name → accepted header texts"
    )
    required: list[str] = Field(
        default_factory=list,
        description="fields whose column must be present, else the sheet is rejected whole",
    )
    sheets: list[str] | None = Field(
        default=None,
        description="sheet names or glob patterns (困境*) to read; None reads every visible sheet",
    )
    include_hidden: bool = Field(
        default=False, description="also read hidden sheets (often lookup lists for drop-downs)"
    )
    encoding: str = Field(
        default="auto",
        description="CSV encoding: auto (UTF-8 with or without BOM, else GB18030) or a codec",
    )
    delimiter: str = Field(default=",", min_length=1, max_length=1)
    date_fields: list[str] = Field(default_factory=list, description="parsed to datetime.date")
    month_fields: list[str] = Field(default_factory=list, description="parsed to 'YYYY-MM'")
    number_fields: list[str] = Field(default_factory=list, description="parsed to int or float")
    id_fields: list[str] = Field(
        default_factory=list,
        description="resident ID numbers etc.: spaces dropped, half-width, upper-case X",
    )
    sheet_field: str | None = Field(
        default=None,
        description="a field to receive the sheet's name (the ledger's category, say)",
    )
    header_min_matches: int = Field(
        default=2, ge=1, description="how many configured headers make a row the header row"
    )
    header_scan_rows: int = Field(
        default=30, ge=1, le=500, description="rows searched for the header, from the top"
    )
    footer_markers: list[str] = Field(
        default_factory=lambda: list(DEFAULT_FOOTERS),
        description="a row whose first non-empty cell starts with one of these is skipped",
    )

    @field_validator("columns")
    @classmethod
    def _aliases_present(cls, columns: dict[str, list[str]]) -> dict[str, list[str]]:
        owner: dict[str, str] = {}
        for name, aliases in columns.items():
            if not aliases:
                raise ValueError(f"column {name!r} needs at least one header text")
            for alias in aliases:
                key = alias_key(alias)
                if not key:
                    raise ValueError(f"column {name!r}: an empty header text")
                if owner.get(key, name) != name:
                    raise ValueError(
                        f"header {alias!r} is given for both {owner[key]!r} and {name!r}"
                    )
                owner[key] = name
        return columns

    @field_validator("encoding")
    @classmethod
    def _known_encoding(cls, encoding: str) -> str:
        if encoding == "auto":
            return encoding
        try:
            name = codecs.lookup(encoding).name
        except LookupError as exc:
            raise ValueError(f"unknown encoding {encoding!r}") from exc
        return _SUPERSETS.get(name.replace("-", "_"), name)

    @model_validator(mode="after")
    def _fields_known(self) -> Self:
        typed: dict[str, str] = {}
        for kind in ("required", "date_fields", "month_fields", "number_fields", "id_fields"):
            for name in getattr(self, kind):
                if name not in self.columns:
                    raise ValueError(f"{kind} names {name!r}, which is not in columns")
                if kind != "required":
                    if name in typed:
                        raise ValueError(f"{name!r} is in both {typed[name]} and {kind}")
                    typed[name] = kind
        if self.sheet_field is not None and self.sheet_field in self.columns:
            raise ValueError(f"sheet_field {self.sheet_field!r} is also a column")
        return self

    @property
    def footer_keys(self) -> tuple[str, ...]:
        """The footer markers, normalised like cell text is before comparing."""
        return tuple(header_key(marker) for marker in self.footer_markers)


def alias_key(alias: str) -> str:
    """An alias as compared: ``"监护人情况 / 姓 名"`` → ``"监护人情况/姓名"``."""
    return "/".join(header_key(part) for part in alias.split("/"))
