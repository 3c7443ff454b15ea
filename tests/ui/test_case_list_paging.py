"""The case list over a larger register: it shows the first page only, scrolling to the end
fetches the next, and a click on 编号 / 期限 sorts by it (a second click turns the order round),
every matter listed once."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from storage import bulk, petitions
from storage.db import open_register
from storage.register import Actor, Register
from storage.voiding import HeadConfirmation
from tests.helpers.keyboard import type_text
from tests.helpers.registers import CHEAP_HASHER
from ui.context import AppContext
from ui.pages.cases import PAGE, CasesPage

CASES = 450


@pytest.fixture(scope="module")
def bulk_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("paging") / "reg"
    bulk.build(data, cases=CASES, seed=4, password_hasher=CHEAP_HASHER)
    return data


@pytest.fixture
def big_ctx(qtbot: QtBot, bulk_dir: Path) -> Iterator[AppContext]:  # noqa: ARG001 - QApplication
    reg: Register = open_register(bulk_dir, password_hasher=CHEAP_HASHER)
    user = reg.rows("SELECT id, username, display_name FROM users WHERE username = 'clerk1'")[0]
    reg.actor = Actor(user["id"], user["username"], user["display_name"], "clerk")
    yield AppContext(reg, None)
    for widget in QApplication.topLevelWidgets():
        widget.close()
    QApplication.processEvents()
    reg.close()


def click_header(qtbot: QtBot, page: CasesPage, column: int) -> None:
    header = page.table.horizontalHeader()
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))


def fetch_all(qtbot: QtBot, page: CasesPage) -> list[dict[str, object]]:
    page.table.setFocus()
    while page.model.canFetchMore():
        before = page.model.rowCount()
        qtbot.keyClick(page.table, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda before=before: page.model.rowCount() > before)
    return page.model.rows


def test_first_page_then_more_on_scrolling(qtbot: QtBot, big_ctx: AppContext) -> None:
    page = CasesPage(big_ctx)
    qtbot.addWidget(page)
    page.resize(1200, 600)
    page.show()
    assert page.model.rowCount() == PAGE and page.model.canFetchMore()
    assert page.count.text() == f"共 {CASES} 件"
    rows = fetch_all(qtbot, page)
    assert len(rows) == CASES and not page.model.canFetchMore()
    assert len({r["id"] for r in rows}) == CASES  # no matter twice, none left out
    keys = [(r["received_on"], r["id"]) for r in rows]
    assert [k[0] for k in keys] == sorted((k[0] for k in keys), reverse=True)  # newest first


def test_header_clicks_sort_by_number_and_deadline(qtbot: QtBot, big_ctx: AppContext) -> None:
    page = CasesPage(big_ctx)
    qtbot.addWidget(page)
    page.resize(1200, 600)
    page.show()
    click_header(qtbot, page, 0)  # 编号: newest number first
    numbers = [r["number"] for r in fetch_all(qtbot, page)]
    assert numbers == sorted(numbers, reverse=True) and len(numbers) == CASES
    click_header(qtbot, page, 0)  # again: the other way round
    assert page.model.rowCount() == PAGE
    numbers = [r["number"] for r in fetch_all(qtbot, page)]
    assert numbers == sorted(numbers)
    assert page.table.horizontalHeader().sortIndicatorOrder() == Qt.SortOrder.AscendingOrder
    click_header(qtbot, page, 8)  # 期限: soonest first, matters without a deadline last
    dues = [r["due_date"] or "9999" for r in fetch_all(qtbot, page)]
    assert dues == sorted(dues) and dues[0] != "9999" and dues[-1] == "9999"
    assert page.table.horizontalHeader().sortIndicatorSection() == 8


def test_typed_search_pages_too(qtbot: QtBot, big_ctx: AppContext) -> None:
    page = CasesPage(big_ctx)
    qtbot.addWidget(page)
    page.show()
    page.focus_first()
    surname_term = big_ctx.reg.scalar("SELECT substr(name, 1, 2) FROM petitioners LIMIT 1")
    type_text(qtbot, page.query, surname_term)
    qtbot.keyClick(page.query, Qt.Key.Key_Return)
    expected = petitions.search_ids(big_ctx.reg, surname_term)
    assert page.model.ids == expected[:PAGE]
    assert page.count.text() == f"共 {len(expected)} 件"


def test_the_whole_list_says_how_many_matters_beyond_the_cap(
        qtbot: QtBot, bulk_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 17: a million matters with nothing typed said "超过 1000 件"; the whole list is
    counted exactly (from indexes), a search still up to the cap."""
    from storage import accounts
    from storage.petitions import search

    for where in (search, petitions):
        monkeypatch.setattr(where, "COUNT_CAP", 100)  # the register holds 450
    shutil.copytree(bulk_dir, tmp_path / "reg")  # a matter is voided below
    reg = open_register(tmp_path / "reg", password_hasher=CHEAP_HASHER)
    try:
        accounts.authenticate(reg, "head", "demo1234")
        page = CasesPage(AppContext(reg, None))
        qtbot.addWidget(page)
        page.show()
        assert page.count.text() == f"共 {CASES} 件"
        page.focus_first()
        type_text(qtbot, page.query, "反映")  # in every summary
        qtbot.keyClick(page.query, Qt.Key.Key_Return)
        assert page.count.text() == "超过 100 件"
        page.query.clear()
        qtbot.keyClick(page.query, Qt.Key.Key_Return)
        assert page.count.text() == f"共 {CASES} 件"
        petitions.void_matter(reg, page.model.ids[0], "误登记",
                              HeadConfirmation("head", "demo1234"))
        page.refresh()
        assert page.count.text() == f"共 {CASES - 1} 件"
        page.close()
    finally:
        reg.close()
