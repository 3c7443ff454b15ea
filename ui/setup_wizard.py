"""First run: create the station (name, 12-digit area code, villages and grids, the station
head's account). Nothing is written until the last page is confirmed, and a refusal keeps
everything typed and points at the field."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from storage import station
from storage.errors import PetitionDeskError, ValidationError
from storage.i18n import N_, _
from storage.register import Register
from storage.sync import signkey
from ui.widgets import ERROR_STYLE, form_row

KINDS = [("township", N_("乡镇（街道）信访工作站")),
         ("county", N_("县级信访部门（汇总各乡镇数据）")),
         ("liaison", N_("信访联络员的笔记本（只录入自己的网格）"))]


class SetupWizard(QWizard):
    def __init__(self, reg: Register, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.reg = reg
        self.setWindowTitle(_("信访工作台 — 首次设置"))
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage)
        self.setButtonText(QWizard.WizardButton.NextButton, _("下一步(&N) >"))
        self.setButtonText(QWizard.WizardButton.BackButton, _("< 上一步(&B)"))
        self.setButtonText(QWizard.WizardButton.FinishButton, _("完成(&F)"))
        self.setButtonText(QWizard.WizardButton.CancelButton, _("取消"))

        p1 = QWizardPage()
        p1.setTitle(_("第一步：工作站"))
        p1.setSubTitle(_("这些信息会印在回执和告知书上，以后可在“设置”中修改。"))
        f1 = QFormLayout(p1)
        self.kind = QComboBox()
        for key, label in KINDS:
            self.kind.addItem(_(label), key)
        form_row(f1, _("单位类型(&K)"), self.kind)
        self.name = form_row(f1, _("名称(&M)"), QLineEdit())
        self.name.setPlaceholderText(_("如：花园镇信访工作站"))
        self.short_name = form_row(f1, _("简称(&S)"), QLineEdit())
        self.short_name.setPlaceholderText(_("如：花园（用于调解案号）"))
        self.code = form_row(f1, _("12位区划代码(&C)"), QLineEdit())
        self.code.setPlaceholderText("320508102000")
        self.code.setMaxLength(12)
        self.office = form_row(f1, _("登记机关名称(&O)"), QLineEdit())
        self.office.setPlaceholderText(_("如：花园镇人民政府"))
        self.phone = form_row(f1, _("联系电话(&T)"), QLineEdit())
        self.address = form_row(f1, _("地址(&A)"), QLineEdit())
        self.addPage(p1)

        p2 = QWizardPage()
        p2.setTitle(_("第二步：村（社区）与网格"))
        p2.setSubTitle(_("每行一个村（社区）：名称、12位区划代码、网格（用逗号分隔，可不填）。"))
        v2 = QVBoxLayout(p2)
        self.villages = QTableWidget(6, 3)
        self.villages.setHorizontalHeaderLabels([_("名称"), _("12位区划代码"), _("网格")])
        self.villages.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        v2.addWidget(self.villages)
        more = QPushButton(_("增加一行(&R)"))
        more.clicked.connect(lambda: self.villages.insertRow(self.villages.rowCount()))
        v2.addWidget(more)
        self.addPage(p2)

        p3 = QWizardPage()
        p3.setTitle(_("第三步：站长账号"))
        p3.setSubTitle(_("站长负责管理用户、分类代码和节假日。请牢记密码。"))
        f3 = QFormLayout(p3)
        self.head_user = form_row(f3, _("登录名(&U)"), QLineEdit("head"))
        self.head_name = form_row(f3, _("姓名(&X)"), QLineEdit())
        self.pw1 = form_row(f3, _("密码(&P)"), QLineEdit())
        self.pw2 = form_row(f3, _("再输一次密码(&W)"), QLineEdit())
        for w in (self.pw1, self.pw2):
            w.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        f3.addRow(self.error)
        self.addPage(p3)

    def village_specs(self) -> list[station.VillageSpec]:
        specs = []
        for r in range(self.villages.rowCount()):
            cells = [self.villages.item(r, c) for c in range(3)]
            name, code, grids = (c.text().strip() if c else "" for c in cells)
            if not (name or code or grids):
                continue
            specs.append(station.VillageSpec(
                name, code, [g.strip() for g in grids.replace("，", ",").split(",") if g.strip()]))
        return specs

    def set_villages(self, rows: list[tuple[str, str, str]]) -> None:
        self.villages.setRowCount(max(len(rows), 6))
        for r, values in enumerate(rows):
            for c, value in enumerate(values):
                self.villages.setItem(r, c, QTableWidgetItem(value))

    def accept(self) -> None:  # Qt override: validate and create, or stay
        if self.pw1.text() != self.pw2.text():
            self.error.setText(_("两次输入的密码不一致。"))
            self.pw2.setFocus()
            return
        try:
            station.set_up_station(
                self.reg, name=self.name.text(), short_name=self.short_name.text(),
                code=self.code.text(), kind=self.kind.currentData(),
                office_name=self.office.text(), phone=self.phone.text(),
                address=self.address.text(), villages=self.village_specs(),
                head_username=self.head_user.text(), head_display_name=self.head_name.text(),
                head_password=self.pw1.text())
            # the head is signed in from here on: their password seals the signing key
            signkey.sign_in(self.reg, self.reg.actor.username, "head", self.pw1.text())
        except PetitionDeskError as exc:
            self.error.setText(exc.user_text())
            field = exc.field if isinstance(exc, ValidationError) else None
            page = {"code": 0, "name": 0, "short_name": 0, "kind": 0,
                    "village_code": 1, "village_name": 1}.get(field or "", 2)
            while self.currentId() > page:
                self.back()
            if page != 2:
                self.currentPage().setSubTitle(exc.user_text())
            return
        super().accept()
