"""Writes the file-based systems' samples to ``connectors/samples/<system>/``.

The systems are ``child_welfare`` (ledgers, .xlsx and legacy .xls),
``projects`` (purchased-service project sheets, .xlsx) and ``household``
(household-registration extracts, CSV in GBK and in UTF-8 with BOM). Run
``python -m connectors.standins.generate.tabular`` to regenerate: the output
is deterministic (a second run changes no byte). Each folder gets its files,
a ``manifest.json`` saying what reading each file with its spec (``specs.py``)
must give — records, each planted reject by location, sheets rejected whole,
rows skipped — and a README saying that the data is synthetic.

:func:`generate_large` writes big ledgers for memory tests and benchmarks.
The specs (``specs.py``) and ``generate_large`` import without the writers'
development dependencies (xlsxwriter, xlwt), which are imported when used.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from connectors.standins.generate.tabular.expect import FileExpectation, manifest
from connectors.standins.generate.tabular.large import LARGE_SPEC, generate_large
from connectors.systems.table_specs import (
    CHILD_WELFARE_SPEC,
    HOUSEHOLD_SPEC,
    PROJECT_SPEC,
    SERVICE_SPEC,
)

__all__ = [
    "CHILD_WELFARE_SPEC",
    "HOUSEHOLD_SPEC",
    "LARGE_SPEC",
    "PROJECT_SPEC",
    "SAMPLES_DIR",
    "SERVICE_SPEC",
    "SYSTEMS",
    "generate_large",
    "write_samples",
]

SAMPLES_DIR = Path(__file__).resolve().parents[3] / "samples"
SYSTEMS = ("child_welfare", "projects", "household")

_README = {
    "child_welfare": """# 儿童福利台账 Child-welfare ledgers — SAMPLE data

**These are synthetic samples**, not data of real people. They imitate the
Excel ledgers town offices keep of the children in their care, for Tengzhou
(滕州市): real division names (荆河街道 370481001, 滨湖镇 370481104 and their
communities and villages), invented children, guardians, ID numbers (valid
GB 11643 check characters) and phones. The children are those of the
`civil_affairs` samples, plus some the platform does not list.

- `荆河街道儿童福利台账.xlsx`: sheets 困境儿童, 事实无人抚养儿童 and 孤儿
  (the sheet's name is the category), an old sheet 困境儿童（2024旧表） without
  ID numbers, an instructions sheet 填表说明, a hidden lookup sheet 数据字典 and
  an empty Sheet5.
- `滨湖镇儿童福利台账（2025年度）.xls`: the same ledger from another town
  office, saved as Excel 97-2003, with its own header wording.

Messy on purpose, as real ledgers are: title and 填报单位/填报日期 rows above
the header, two-row headers with merged groups (监护人情况 over 姓名 | 关系 |
联系电话; 父亲情况, 母亲情况, 照料人情况), village names merged down over their
children, dates written six ways and as date cells, full-width digits, names
padded with spaces (`张  伟`), money as text with thousands separators, phone
numbers stored as numbers, a blank row, 合计 and 小计 rows, signature and
note rows, a header pasted twice, a 备注 column duplicated. `manifest.json`
lists what reading them with `CHILD_WELFARE_SPEC` must give, and the rows
that must be rejected (an ID number typed into a number cell, one in
scientific notation, an impossible date, a birth month without a day, an
allowance in Chinese numerals, an enrolment date with the year only, two 备注
cells that disagree) and the sheet rejected whole (the old sheet).

Regenerate with `python -m connectors.standins.generate.tabular`.
""",
    "projects": """# 政府购买服务项目台账 Purchased-service project sheets — SAMPLE data

**These are synthetic samples.** They imitate the civil-affairs bureau's
workbook of the year's government-purchased service projects for minors in
Tengzhou (滕州市): social organisations, people and figures are invented
(unified social credit codes carry valid GB 32100 check characters); town
names are real.

`政府购买服务项目台账（2026年度）.xlsx`:

- 项目清单: one row per project (code, name, provider and its credit code,
  towns served, budget in 万元, the period under a merged 实施周期 heading,
  targets, status, manager), read with `PROJECT_SPEC`;
- 服务记录: services delivered per project and month (month, kinds,
  person-times, children, activities), the project's code and name merged
  down over its months, a 小计 row per project and a 合计, read with
  `SERVICE_SPEC`;
- 汇总: a summary (not read).

Messy on purpose: a title and a unit line above two-row headers, budgets
typed with full-width digits, numbers stored as text (`1,230`, `１２０`),
months written six ways (`2026年3月`, `2026-03`, `2026.3`, a date cell,
`202605`, full-width `２０２６/６`). Rejected on purpose (`manifest.json`):
a budget typed with its unit (`45.6万`), an impossible start date, a month
typed as the number `2026.1` (January or October?), person-times as `约120`.

Regenerate with `python -m connectors.standins.generate.tabular`.
""",
    "household": """# 户籍信息 Household-registration extracts — SAMPLE data

**These are synthetic samples**, not data of real people. They imitate the
extracts police stations send the civil-affairs bureau: the minors registered
in their area with where each parent is (在家, 外出务工 and where, 服刑, 失联),
the signal for left-behind children. Places are Tengzhou's (荆河街道,
官桥镇); children, parents and ID numbers (valid check characters) are
invented, and the children of the `civil_affairs` samples are among them.

- `户籍信息_荆河派出所.csv`: **GBK**, CRLF, a title line and an export-time
  line above the header, ID numbers behind a tab, compact dates (`20150612`),
  a few `2015/6/12`, full-width digits, a line of empty cells and a 共计 line.
- `户籍信息_官桥派出所.csv`: **UTF-8 with BOM**, LF, headers worded
  differently (身份证号, 父亲状况, 父亲务工地…), an address holding a comma and
  a line break (quoted).

Rejected on purpose (`manifest.json`, read with `HOUSEHOLD_SPEC`): an ID
number in scientific notation, a line with a byte that is not GBK, an address
with a comma but no quotes (one cell too many), and the 官桥 file's last line,
cut off where the export was interrupted.

Regenerate with `python -m connectors.standins.generate.tabular`.
""",
}


def write_samples(root: Path = SAMPLES_DIR) -> list[Path]:
    """Write the three systems' samples under ``root``; returns the paths written."""
    # The writers need xlsxwriter and xlwt, development dependencies: imported
    # here so that the specs and generate_large import without them.
    from connectors.standins.generate.tabular import (
        child_welfare,
        child_welfare_legacy,
        household,
        projects,
    )

    written: list[Path] = []
    plan: dict[str, list[tuple[str, Callable[[Path], FileExpectation | list[FileExpectation]]]]]
    plan = {
        "child_welfare": [
            (child_welfare.JINGHE_FILE, child_welfare.write_jinghe),
            (child_welfare_legacy.BINHU_FILE, child_welfare_legacy.write_binhu),
        ],
        "projects": [(projects.PROJECTS_FILE, projects.write_projects)],
        "household": [
            (household.JINGHE_FILE, household.write_jinghe),
            (household.GUANQIAO_FILE, household.write_guanqiao),
        ],
    }
    for system, files in plan.items():
        folder = root / system
        folder.mkdir(parents=True, exist_ok=True)
        reads: list[FileExpectation] = []
        for name, write in files:
            result = write(folder / name)
            reads.extend(result if isinstance(result, list) else [result])
            written.append(folder / name)
        (folder / "manifest.json").write_text(
            manifest(reads, "what reading each file with its spec (specs.py) must give"),
            encoding="utf-8",
        )
        (folder / "README.md").write_text(_README[system], encoding="utf-8")
        written += [folder / "manifest.json", folder / "README.md"]
    return written
