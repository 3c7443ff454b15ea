"""Plain names of record kinds (export summaries, dry-run tables) and of their fields (the
conflicts a county reviewer decides). A table or field added later without a name here is shown
by its own name until one is added."""

from __future__ import annotations

from storage.i18n import N_, _

TABLE_LABELS = {
    "stations": N_("工作站"),
    "codes": N_("分类代码"),
    "villages": N_("村（社区）"),
    "grids": N_("网格"),
    "petitioners": N_("信访人"),
    "petitioner_events": N_("信访人记录（更名、更正、合并）"),
    "matters": N_("信访事项"),
    "matter_petitioners": N_("信访事项的信访人"),
    "matter_events": N_("办理记录"),
    "mediations": N_("调解案件"),
    "mediation_parties": N_("调解当事人"),
    "mediation_sessions": N_("调解记录"),
    "mediation_agreements": N_("调解协议"),
    "mediation_followups": N_("调解回访"),
    "mediation_events": N_("调解过程记录"),
    "screening_reports": N_("排查报告"),
    "disputes": N_("矛盾纠纷"),
    "dispute_updates": N_("纠纷进展"),
    "month_locks": N_("月度锁定"),
    "leaders": N_("领导名单"),
    "case_holdings": N_("领导包案"),
    "holding_notes": N_("包案进展"),
    "backlog_cases": N_("积案"),
    "assignments": N_("交办督办单"),
    "assignment_replies": N_("交办督办反馈"),
    "receptions": N_("领导接访下访"),
    "appointments": N_("领导约访"),
}


def table_label(name: str) -> str:
    return _(TABLE_LABELS[name]) if name in TABLE_LABELS else name


# By field name, whatever the table: the same word means the same thing across them.
COLUMN_LABELS = {
    "name": N_("姓名/名称"), "gender": N_("性别"), "ethnic_group": N_("民族"),
    "id_number": N_("身份证号"), "birth_date": N_("出生日期"), "age": N_("年龄"),
    "phone": N_("联系电话"), "address": N_("住址"), "occupation": N_("职业"),
    "village_id": N_("村（社区）"), "number": N_("编号"), "form": N_("信访形式"),
    "received_on": N_("登记日期"), "visitors_count": N_("来访人数"),
    "persons_involved": N_("涉及人数"), "is_collective": N_("集体访"),
    "is_skip_level": N_("越级访"), "proxy_by": N_("代办人"), "summary": N_("主要内容"),
    "request": N_("诉求"), "facts": N_("事实和理由"), "category1": N_("内容分类"),
    "category2": N_("内容分类（二级）"), "purpose": N_("目的"), "status": N_("状态"),
    "decision_reason": N_("决定理由"), "handling_unit": N_("办理单位"),
    "accepted_on": N_("受理日期"), "reply_result": N_("答复结果"), "replied_on": N_("答复日期"),
    "rating": N_("满意度评价"), "due_date": N_("办理期限"), "closed_on": N_("办结日期"),
    "source": N_("来源"), "ledger_key": N_("台账行标识"),
    "title": N_("案由"), "claims": N_("请求事项"), "dispute_type": N_("纠纷类型"),
    "place": N_("地点"), "mediators": N_("调解员"), "applied_on": N_("申请日期"),
    "risk_level": N_("风险等级"), "measures": N_("化解措施"), "deadline": N_("化解时限"),
    "responsible_person": N_("责任人"), "responsible_unit": N_("责任单位"),
    "parties": N_("当事人"), "type": N_("类型"), "note": N_("说明"), "kind": N_("类别"),
    "occurred_on": N_("日期"), "remarks": N_("备注"), "label": N_("名称"),
    "voided": N_("已作废"), "void_reason": N_("作废原因"), "is_representative": N_("代表"),
}


def column_label(name: str) -> str:
    return _(COLUMN_LABELS[name]) if name in COLUMN_LABELS else name
