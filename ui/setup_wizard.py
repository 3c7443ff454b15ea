"""First run: create the station (name, 12-digit area code, villages and grids, the station
head's account). Nothing is written until the last page is confirmed; each page is checked when
the clerk leaves it (issue 15: only at 完成 before), a refusal shows on that page, keeps
everything typed and points at the field, and goes when the field is edited. A county has its
own wording and no villages page."""

from __future__ import annotations

from collections.abc import Callable

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

from storage import accounts, station
from storage.errors import PetitionDeskError, ValidationError
from storage.i18n import N_, _
from storage.register import Register
from storage.sync import signkey
from ui.widgets import ERROR_STYLE, NOTE_STYLE, form_row

KINDS = [("township", N_("乡镇（街道）信访工作站")),
         ("county", N_("县级信访部门（汇总各乡镇数据）")),
         ("liaison", N_("信访联络员的笔记本（只录入自己的网格）"))]


PAGE_STATION, PAGE_VILLAGES, PAGE_HEAD = 0, 1, 2
#: the page on which each field is typed
FIELD_PAGES = {"code": PAGE_STATION, "name": PAGE_STATION, "short_name": PAGE_STATION,
               "kind": PAGE_STATION, "village_code": PAGE_VILLAGES,
               "village_name": PAGE_VILLAGES}


class CheckedPage(QWizardPage):
    """A page that asks ``check`` before the wizard moves on; its refusal shows on the page."""

    def __init__(self, check: Callable[[], None]) -> None:
        super().__init__()
        self.check = check
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.skip_to: Callable[[], int] | None = None

    def validatePage(self) -> bool:  # noqa: N802 - Qt override
        try:
            self.check()
        except PetitionDeskError as exc:
            self.error.setText(exc.user_text())
            return False
        self.error.clear()
        return True

    def initializePage(self) -> None:  # noqa: N802 - Qt override: no old refusal on arrival
        self.error.clear()

    def nextId(self) -> int:  # noqa: N802 - Qt override
        if self.skip_to is not None:
            return self.skip_to()
        return super().nextId()


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

        p1 = self.p1 = CheckedPage(self.check_station)
        f1 = QFormLayout(p1)
        self.kind = QComboBox()
        for key, label in KINDS:
            self.kind.addItem(_(label), key)
        form_row(f1, _("单位类型(&K)"), self.kind)
        self.name = form_row(f1, _("名称(&M)"), QLineEdit())
        self.short_name = form_row(f1, _("简称(&S)"), QLineEdit())
        self.code = form_row(f1, _("12位区划代码(&C)"), QLineEdit())
        self.code.setMaxLength(12)
        self.office = form_row(f1, _("登记机关名称(&O)"), QLineEdit())
        self.phone = form_row(f1, _("联系电话(&T)"), QLineEdit())
        self.address = form_row(f1, _("地址(&A)"), QLineEdit())
        f1.addRow(p1.error)
        p1.skip_to = lambda: PAGE_HEAD if self.kind.currentData() == "county" else PAGE_VILLAGES
        self.setPage(PAGE_STATION, p1)

        p2 = self.p2 = CheckedPage(self.check_villages)
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
        v2.addWidget(p2.error)
        self.setPage(PAGE_VILLAGES, p2)

        p3 = self.p3 = CheckedPage(self.check_head)
        f3 = QFormLayout(p3)
        self.head_user = form_row(f3, _("登录名(&U)"), QLineEdit("head"))
        self.head_name = form_row(f3, _("姓名(&X)"), QLineEdit())
        self.pw1 = form_row(f3, _("密码(&P)"), QLineEdit())
        self.pw2 = form_row(f3, _("再输一次密码(&W)"), QLineEdit())
        for w in (self.pw1, self.pw2):
            w.setEchoMode(QLineEdit.EchoMode.Password)
        # The rule up front, not only once a password is refused.
        rule = QLabel(_("密码至少需要{n}个字符。").format(n=accounts.MIN_PASSWORD))
        rule.setStyleSheet(NOTE_STYLE)
        f3.addRow("", rule)
        self.error = p3.error
        f3.addRow(self.error)
        self.setPage(PAGE_HEAD, p3)
        for page, fields in ((p1, (self.name, self.short_name, self.code, self.office)),
                             (p3, (self.head_user, self.head_name, self.pw1, self.pw2))):
            for field in fields:  # a refusal goes once the clerk puts the field right
                field.textEdited.connect(lambda _t, p=page: p.error.clear())
        self.villages.itemChanged.connect(lambda _i: p2.error.clear())
        self.kind.currentIndexChanged.connect(lambda _i: self._word_for_kind())
        self._word_for_kind()

    def _word_for_kind(self) -> None:
        """A county is not a 工作站 and has no villages: its own titles and examples."""
        county = self.kind.currentData() == "county"
        self.p1.error.clear()
        if county:
            self.p1.setTitle(_("第一步：县级信访部门"))
            self.p1.setSubTitle(_("这些信息会印在交办单、督办单上，以后可在“设置”中修改。"))
            self.name.setPlaceholderText(_("如：姑苏区信访局"))
            self.short_name.setPlaceholderText(_("如：姑苏"))
            self.code.setPlaceholderText("320508000000")
            self.office.setPlaceholderText(_("如：姑苏区人民政府"))
            self.p3.setTitle(_("第二步：负责人账号"))
            self.p3.setSubTitle(_("负责人管理用户和节假日，审核各乡镇的数据。请牢记密码。"))
        else:
            self.p1.setTitle(_("第一步：工作站"))
            self.p1.setSubTitle(_("这些信息会印在回执和告知书上，以后可在“设置”中修改。"))
            self.name.setPlaceholderText(_("如：花园镇信访工作站"))
            self.short_name.setPlaceholderText(_("如：花园（用于调解案号）"))
            self.code.setPlaceholderText("320508102000")
            self.office.setPlaceholderText(_("如：花园镇人民政府"))
            self.p3.setTitle(_("第三步：站长账号"))
            self.p3.setSubTitle(_("站长负责管理用户、分类代码和节假日。请牢记密码。"))

    # ----- each page's check (nothing is written) ---------------------------------------------
    def check_station(self) -> None:
        try:
            station.check_station(self.name.text(), self.short_name.text(), self.code.text(),
                                  self.kind.currentData())
        except ValidationError as exc:
            self._focus(exc.field)
            raise

    def check_villages(self) -> None:
        try:
            station.check_villages(self.code.text().strip(), self.village_specs())
        except ValidationError:
            self.villages.setFocus()
            raise

    def check_head(self) -> None:
        if self.pw1.text() != self.pw2.text():
            self.pw2.setFocus()
            raise ValidationError(_("两次输入的密码不一致。"), "password")
        try:
            accounts.check_account(self.head_user.text(), self.head_name.text(), self.pw1.text())
        except ValidationError as exc:
            self._focus(exc.field)
            raise

    def _focus(self, field: str | None) -> None:
        widget = {"name": self.name, "short_name": self.short_name, "code": self.code,
                  "kind": self.kind, "username": self.head_user,
                  "display_name": self.head_name, "password": self.pw1}.get(field or "")
        if widget is not None:
            widget.setFocus()

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
        if not self.p3.validatePage():
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
            page = FIELD_PAGES.get(field or "", PAGE_HEAD)
            while self.currentId() > page:
                self.back()
            shown = self.page(page)
            if isinstance(shown, CheckedPage):
                shown.error.setText(exc.user_text())
            return
        super().accept()
