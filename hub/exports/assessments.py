"""儿童主任季度考核津贴表: a quarter's assessments for finance, with tier, allowances and bonus.

One row per director (``?subject=supervisor`` for the supervisors), ordered by
village code (so by town, then village); ``?formulaVersion=v2`` keeps one
formula's results when a quarter was computed with several.
"""

from __future__ import annotations

from typing import Any

from hub.exports.base import Export, connection_rows

_rows, _next = connection_rows("assessments")

SUBJECTS = {"director": "儿童主任", "supervisor": "儿童督导员"}


def _flatten(data: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for node in _rows(data):
        kind = str(node.get("subject") or "")
        out.append({**node, "subject": SUBJECTS.get(kind, kind)})
    return out


EXPORT = Export(
    name="assessments",
    title="儿童主任季度考核津贴表",
    query="""
    query AssessmentAllowances(
      $period: String!, $formulaVersion: String, $subject: String = "director",
      $inRegion: String, $after: String
    ) {
      assessments(
        first: 100, after: $after, inRegion: $inRegion,
        filter: { period: { eq: $period }, formulaVersion: { eq: $formulaVersion },
                  subject: { eq: $subject } },
        orderBy: { field: REGION_CODE, direction: ASC }
      ) {
        nodes {
          townName villageName regionCode subjectName subject period formulaVersion
          examScore visitScore total tier allowance vocationalAllowance totalAllowance bonus
        }
        pageInfo { hasNextPage endCursor }
      }
    }
    """,
    rows=_flatten,
    next_page=_next,
    columns=(
        ("period", "考核期"),
        ("townName", "乡镇（街道）"),
        ("villageName", "村（居）委会"),
        ("regionCode", "村居代码"),
        ("subjectName", "姓名"),
        ("subject", "类别"),
        ("examScore", "学习考试得分"),
        ("visitScore", "走访成效得分"),
        ("total", "考核总分"),
        ("tier", "考核等次"),
        ("allowance", "等次津贴（元）"),
        ("vocationalAllowance", "持证职业津贴（元）"),
        ("totalAllowance", "津贴合计（元）"),
        ("bonus", "村（居）委会绩效奖励（元）"),
        ("formulaVersion", "考核公式版本"),
    ),
    params=("period", "formulaVersion", "subject", "inRegion"),
    required=("period",),
)
