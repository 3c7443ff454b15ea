"""Plain names of record kinds for export summaries and dry-run tables. A table added later
without a name here is shown by its table name until one is added."""

from __future__ import annotations

from storage.i18n import N_, _

TABLE_LABELS = {
    "stations": N_("工作站"),
    "codes": N_("分类代码"),
    "villages": N_("村（社区）"),
    "grids": N_("网格"),
    "petitioners": N_("信访人"),
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
}


def table_label(name: str) -> str:
    return _(TABLE_LABELS[name]) if name in TABLE_LABELS else name
