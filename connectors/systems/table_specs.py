"""How the samples of the three file-based systems are read: one :class:`TableSpec` each.

Starting points for the connectors of these systems: every header text a town
office was seen to use is listed, so the samples' different offices (荆河街道's
.xlsx, 滨湖镇's legacy .xls, two police stations' CSV extracts) all read with
one spec per system.
"""

from __future__ import annotations

from connectors.kinds.tabular import TableSpec

#: 儿童福利台账: one spec for every category's sheet; the sheet's name is the category.
CHILD_WELFARE_SPEC = TableSpec(
    columns={
        "village": ["村（居）", "所在村居", "村居", "所在村（居）"],
        "name": ["姓名", "儿童姓名"],
        "gender": ["性别"],
        "id_number": ["身份证号", "身份证号码", "公民身份号码"],
        "birth_date": ["出生日期", "出生年月日"],
        "category_detail": ["困境类型", "困境类别", "孤儿类型"],
        "address": ["家庭住址", "户籍地址"],
        "guardian_name": ["监护人情况/姓名", "照料人情况/姓名", "监护人", "监护人姓名"],
        "guardian_relation": ["监护人情况/关系", "照料人情况/关系", "与儿童关系"],
        "guardian_phone": [
            "监护人情况/联系电话",
            "照料人情况/联系电话",
            "联系电话",
            "监护人电话",
        ],
        "father_name": ["父亲情况/姓名"],
        "father_status": ["父亲情况/状况"],
        "mother_name": ["母亲情况/姓名"],
        "mother_status": ["母亲情况/状况"],
        "enrolled_date": ["纳入时间", "纳入保障日期", "发放起始时间"],
        "allowance": ["保障金额（元/月）", "月保障金（元）", "基本生活费（元/月）"],
        "school_status": ["就学情况"],
        "health": ["健康状况"],
        "note": ["备注"],
    },
    required=["name", "id_number"],
    sheets=["困境儿童*", "事实无人抚养儿童", "孤儿*"],
    date_fields=["birth_date", "enrolled_date"],
    number_fields=["allowance"],
    id_fields=["id_number"],
    sheet_field="sheet",
)

#: 政府购买服务项目台账, sheet 项目清单: one row per project.
PROJECT_SPEC = TableSpec(
    columns={
        "code": ["项目编号"],
        "name": ["项目名称"],
        "provider": ["承接机构", "承接单位"],
        "provider_credit_code": ["统一社会信用代码"],
        "towns": ["服务镇街", "服务区域"],
        "budget_wan": ["项目预算（万元）", "预算金额（万元）"],
        "start_date": ["实施周期/开始日期", "开始日期"],
        "end_date": ["实施周期/结束日期", "结束日期"],
        "target_services": ["目标服务人次"],
        "target_children": ["目标服务儿童数"],
        "status": ["项目状态"],
        "manager": ["项目负责人"],
        "phone": ["联系电话"],
    },
    required=["code", "name", "provider"],
    sheets=["项目清单"],
    date_fields=["start_date", "end_date"],
    number_fields=["budget_wan", "target_services", "target_children"],
    id_fields=["provider_credit_code"],
)

#: 政府购买服务项目台账, sheet 服务记录: services delivered per project and month.
SERVICE_SPEC = TableSpec(
    columns={
        "project_code": ["项目编号"],
        "project_name": ["项目名称"],
        "month": ["月份", "服务月份"],
        "town": ["服务镇街"],
        "kind": ["服务类型", "服务类别"],
        "person_times": ["服务人次"],
        "children": ["服务儿童数"],
        "activities": ["开展活动（次）"],
        "note": ["备注"],
    },
    required=["project_code", "month", "person_times"],
    sheets=["服务记录"],
    month_fields=["month"],
    number_fields=["person_times", "children", "activities"],
)

#: 户籍信息 extracts: a child, the household, and where each parent is.
HOUSEHOLD_SPEC = TableSpec(
    columns={
        "household_no": ["户号"],
        "name": ["姓名"],
        "id_number": ["公民身份号码", "身份证号"],
        "gender": ["性别"],
        "birth_date": ["出生日期"],
        "relation_to_head": ["与户主关系"],
        "address": ["户籍地址", "住址"],
        "village": ["所属居（村）委会", "所属村居"],
        "father_name": ["父亲姓名"],
        "father_id_number": ["父亲公民身份号码", "父亲身份证号"],
        "father_whereabouts": ["父亲去向", "父亲状况"],
        "father_away_place": ["父亲外出地点", "父亲务工地"],
        "mother_name": ["母亲姓名"],
        "mother_id_number": ["母亲公民身份号码", "母亲身份证号"],
        "mother_whereabouts": ["母亲去向", "母亲状况"],
        "mother_away_place": ["母亲外出地点", "母亲务工地"],
        "left_behind": ["是否留守儿童", "是否留守"],
        "registered_date": ["登记日期", "数据日期"],
    },
    required=["name", "id_number"],
    date_fields=["birth_date", "registered_date"],
    id_fields=["id_number", "father_id_number", "mother_id_number"],
)
