"""其他设置: the station's preferences (collective-visit threshold, masking, idle lock,
language), saved together as one change."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from storage.i18n import LANGUAGES, _
from storage.petitions import collective_threshold
from ui.context import AppContext
from ui.pages.settings.forms import IDLE_LOCK_DEFAULT, action_button
from ui.widgets import form_row


class OtherTab(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        layout = QVBoxLayout(self)
        form = QFormLayout()
        form.setVerticalSpacing(12)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        self.threshold = form_row(form, _("集体访人数(&J)"), QSpinBox())
        self.threshold.setRange(2, 999)
        self.threshold.setSuffix(_(" 人及以上"))
        self.mask_ids = QCheckBox(_("遮盖公民身份号码（如 110105********002X）(&I)"))
        self.mask_phones = QCheckBox(_("遮盖电话号码（如 138****5678）(&P)"))
        self.mask_names = QCheckBox(_("遮盖姓名（如 王*英）(&N)"))
        masks = QVBoxLayout()
        for box in (self.mask_ids, self.mask_phones, self.mask_names):
            masks.addWidget(box)
        form.addRow(_("打印件和屏幕上"), masks)
        self.idle = form_row(form, _("无人操作自动锁屏(&L)"), QSpinBox())
        self.idle.setRange(1, 240)
        for spin in (self.threshold, self.idle):
            spin.setMinimumWidth(200)
        self.idle.setSuffix(_(" 分钟后"))
        self.language = form_row(form, _("界面语言(&Y)"), QComboBox())
        self.language.setMinimumWidth(200)
        for key, label in LANGUAGES.items():
            self.language.addItem(label, key)
        layout.addLayout(form)
        layout.addWidget(QLabel(_("锁屏时间和界面语言在下次启动程序后生效。")))
        self.message = QLabel()
        layout.addWidget(self.message)
        row = QHBoxLayout()
        row.addWidget(action_button(_("保存这些设置(&V)"), self.save))
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(1)

    def refresh(self) -> None:
        reg = self.ctx.reg
        self.threshold.setValue(collective_threshold(reg))
        self.mask_ids.setChecked(bool(reg.setting("mask_id_numbers", True)))
        self.mask_phones.setChecked(bool(reg.setting("mask_phones", True)))
        self.mask_names.setChecked(bool(reg.setting("mask_names", False)))
        self.idle.setValue(int(reg.setting("idle_lock_minutes", IDLE_LOCK_DEFAULT)))
        self.language.setCurrentIndex(max(0, self.language.findData(
            reg.setting("language", "zh_CN"))))
        self.message.clear()

    def values(self) -> dict[str, Any]:
        return {"collective_threshold": self.threshold.value(),
                "mask_id_numbers": self.mask_ids.isChecked(),
                "mask_phones": self.mask_phones.isChecked(),
                "mask_names": self.mask_names.isChecked(),
                "idle_lock_minutes": self.idle.value(),
                "language": self.language.currentData()}

    def _save(self) -> bool:
        self.ctx.reg.change_settings(self.values())
        return True

    def save(self) -> None:
        if self.ctx.run(self, self._save, topic="settings"):
            self.message.setText(_("已保存。"))
