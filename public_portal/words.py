"""Words the schema hands the public in Chinese, marked here so the catalog translates them.

``feedbackStatus`` gives each stage and status in words (``label``,
``statusLabel``; see ``schema.oversight.feedback_workflow``). The English page
shows their translation; a word the schema adds later shows in Chinese until
the catalog has it (``tests/public_portal/test_i18n.py`` checks the schema's
current words are all here).
"""

from __future__ import annotations

from public_portal.i18n import N_

SCHEMA_WORDS: tuple[str, ...] = (
    # Stages as the public sees them.
    N_("已提交"),
    N_("已作为紧急情况转交值班人员处理"),
    N_("已受理"),
    N_("已转交相关部门办理"),
    N_("已办理"),
    N_("已答复"),
    N_("已回访"),
    N_("因不满意重新办理"),
    N_("办理期限经批准延长"),
    # Statuses in words.
    N_("待受理"),
    N_("紧急处理中"),
    N_("办理中"),
    N_("已答复，待回访"),
    N_("已办结"),
    N_("重新办理中"),
    # The 24-hour line's default name (hub settings ``feedback.hotline_name``).
    N_("滕州市未成年人保护24小时热线"),
)
