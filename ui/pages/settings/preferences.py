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

from storage import preferences
from storage.i18n import LANGUAGES, _
from ui.context import AppContext
from ui.pages.settings.forms import action_button
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
        self.threshold.setValue(preferences.COLLECTIVE_THRESHOLD.read(reg))
        self.mask_ids.setChecked(preferences.MASK_ID_NUMBERS.read(reg))
        self.mask_phones.setChecked(preferences.MASK_PHONES.read(reg))
        self.mask_names.setChecked(preferences.MASK_NAMES.read(reg))
        self.idle.setValue(preferences.IDLE_LOCK_MINUTES.read(reg))
        self.language.setCurrentIndex(max(0, self.language.findData(
            preferences.LANGUAGE.read(reg))))
        self.message.clear()

    def values(self) -> dict[str, Any]:
        return {preferences.COLLECTIVE_THRESHOLD.key: self.threshold.value(),
                preferences.MASK_ID_NUMBERS.key: self.mask_ids.isChecked(),
                preferences.MASK_PHONES.key: self.mask_phones.isChecked(),
                preferences.MASK_NAMES.key: self.mask_names.isChecked(),
                preferences.IDLE_LOCK_MINUTES.key: self.idle.value(),
                preferences.LANGUAGE.key: self.language.currentData()}

    def _save(self) -> bool:
        self.ctx.reg.change_settings(self.values())
        return True

    def save(self) -> None:
        if self.ctx.run(self, self._save, topic="settings"):
            self.message.setText(_("已保存。"))
