"""The sync page: keys exchanged, a bundle written to a "stick" and imported at the county,
through the GUI and mostly from the keyboard."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from storage.sync import keys
from tests.helpers.keyboard import focused, show_active, type_text
from tests.helpers.registers import CHEAP_HASHER, FakeClock
from tests.helpers.sync import COUNTY_PASS, add_petition, as_head, make_township
from ui.context import AppContext
from ui.pages.sync import SyncPage
from ui.sync.widgets import cell

ALT = Qt.KeyboardModifier.AltModifier


def show(qtbot: QtBot, ctx: AppContext) -> SyncPage:
    page = SyncPage(ctx)
    show_active(qtbot, page, (1300, 800))
    page.refresh()
    return page


def activate(qtbot: QtBot, page: SyncPage) -> None:
    page.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is page)



def alt(qtbot: QtBot, key: Qt.Key) -> None:
    """Alt+letter as a person presses it: delivered to whatever has the focus."""
    qtbot.keyClick(focused(), key, ALT)


def county_register(clock: FakeClock):  # type: ignore[no-untyped-def]
    from storage import station
    from storage.db import open_register
    from tests.helpers.sync import COUNTY_CODE

    reg = open_register(None, clock=clock, password_hasher=CHEAP_HASHER)
    station.set_up_station(reg, name="姑苏区信访局", short_name="姑苏", code=COUNTY_CODE,
                           kind="county", office_name="", phone="", address="", villages=[],
                           head_username="head", head_display_name="审核员",
                           head_password="head-pass-1")
    from storage.sync import signkey

    signkey.sign_in(reg, "head", "head", "head-pass-1")  # as the sign-in dialog does
    return reg


def test_round_trip_through_the_gui(qtbot: QtBot, clock: FakeClock, tmp_path: Path,
                                    errors: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    from ui import upkeep

    merges: list[object] = []
    monkeypatch.setattr(upkeep, "merge_indexes", lambda _window, ctx: merges.append(ctx))
    town_reg = as_head(make_township(clock))
    county_reg = county_register(clock)
    town = AppContext(town_reg, tmp_path / "town")
    county = AppContext(county_reg, tmp_path / "county")
    key_dir, stick = tmp_path / "keys", tmp_path / "stick"
    key_dir.mkdir()
    stick.mkdir()

    # keys: the county makes its pair, the station its signing key; files cross over
    cpage = show(qtbot, county)
    cpage.show_tab(cpage.keys_panel)
    cpage.keys_panel.create_receiving(COUNTY_PASS)
    county_key = cpage.keys_panel.export_key(key_dir)
    assert county_key is not None
    tpage = show(qtbot, town)
    tpage.show_tab(tpage.keys_panel)
    tpage.keys_panel.create_signing()
    tpage.keys_panel.load_county(keys.read_key_file(county_key))
    town_key = tpage.keys_panel.export_key(key_dir)
    assert town_key is not None
    assert not cpage.keys_panel.create_buttons["box"].isEnabled()  # made once; greyed now
    assert tpage.keys_panel.create_buttons["box"].isEnabled()  # the township has none yet
    assert not tpage.keys_panel.create_buttons["sign"].isEnabled()
    cpage.keys_panel.register_station(keys.read_key_file(town_key))
    assert "花园镇" in cell(cpage.keys_panel.peers, 0, 1)
    fp = keys.own_key_file(county_reg).fingerprint
    assert fp in tpage.keys_panel.peers.item(0, 4).text()

    # the station exports: counts per record kind, then Alt+W writes, then the plain message
    rng = random.Random(3)
    for i in range(3):
        add_petition(town_reg, rng, i + 1)
    panel = tpage.export_panel
    assert panel is not None
    tpage.show_tab(panel)
    panel.set_target(stick)
    panel.refresh()
    kinds = {cell(panel.counts, r, 0): cell(panel.counts, r, 1)
             for r in range(panel.counts.rowCount())}
    assert kinds["信访事项"] == "3" and kinds["信访人"] == "3"
    assert "第1号数据包" in panel.summary.text()
    activate(qtbot, tpage)
    alt(qtbot, Qt.Key.Key_W)
    qtbot.waitUntil(lambda: "可以拔出U盘" in panel.done_label.text())
    assert [p.name for p in stick.iterdir()] == ["320508102000-202602-001.pdsync"]
    assert errors == []

    # the county: verify, dry run, import
    imp = cpage.import_panel
    assert imp is not None
    cpage.show_tab(imp)
    imp.set_paths([stick])
    assert cell(imp.table, 0, 4) == "可以导入" and cell(imp.table, 0, 2) == "1"
    activate(qtbot, cpage)
    alt(qtbot, Qt.Key.Key_P)
    assert focused() is imp.passphrase
    type_text(qtbot, imp.passphrase, "wrong-pass")
    alt(qtbot, Qt.Key.Key_T)
    qtbot.waitUntil(lambda: bool(errors))
    assert "口令不对" in errors[-1]
    assert county_reg.scalar("SELECT count(*) FROM matters") == 0
    imp.passphrase.clear()
    type_text(qtbot, imp.passphrase, COUNTY_PASS)
    alt(qtbot, Qt.Key.Key_T)
    qtbot.waitUntil(lambda: cell(imp.table, 0, 5) != "")
    assert int(cell(imp.table, 0, 5)) > 200  # records to be created, per the dry run
    assert "没有任何改动" in imp.result.text()
    assert county_reg.scalar("SELECT count(*) FROM matters") == 0  # a dry run changes nothing
    assert merges == []
    alt(qtbot, Qt.Key.Key_I)
    qtbot.waitUntil(lambda: cell(imp.table, 0, 4) == "已导入")
    assert county_reg.scalar("SELECT count(*) FROM matters") == 3
    assert merges == [county]  # the indexes' new segments are merged in the background
    assert "导入完成" in imp.result.text()

    # importing the same stick again is a no-op, shown as such
    imp.set_paths([stick])
    assert cell(imp.table, 0, 4) == "以前已导入，未改动"
    assert not imp.import_button.isEnabled()
    assert "没有需要导入的" in imp.result.text()  # not "enter the passphrase, dry run first"
    # no signing key at the county yet: the greyed receipt button says why
    assert not imp.receipt_button.isEnabled() and "签名密钥" in imp.receipt_button.toolTip()
    # with one, Alt+R writes the receipt back onto the same stick
    cpage.show_tab(cpage.keys_panel)
    cpage.keys_panel.create_signing()
    cpage.show_tab(imp)
    imp.refresh()
    activate(qtbot, cpage)
    alt(qtbot, Qt.Key.Key_R)
    qtbot.waitUntil(lambda: "回执已写到U盘" in imp.result.text())
    receipts = [p.name for p in stick.glob("*.pdrcpt")]
    assert len(receipts) == 1 and receipts[0].startswith("320508102000-receipt-")
    assert receipts[0] in imp.result.text() and "回执已写到U盘" in imp.result.text()

    # county views
    history = cpage.tabs.widget(1)
    cpage.tabs.setCurrentWidget(history)
    assert cell(history.stations, 0, 1) == "320508102000"  # type: ignore[attr-defined]
    assert cell(history.bundles, 0, 0) == "1"  # type: ignore[attr-defined]
    conflicts = cpage.conflicts_panel
    assert conflicts is not None
    cpage.show_tab(conflicts)
    assert "没有待处理的冲突" in conflicts.kind_note.text()
    assert errors == ["口令不对，无法打开接收密钥。"]


def test_export_tells_what_is_missing_before_keys_exist(qtbot: QtBot, clock: FakeClock,
                                                        tmp_path: Path) -> None:
    town_reg = as_head(make_township(clock))
    page = show(qtbot, AppContext(town_reg, tmp_path))
    panel = page.export_panel
    assert panel is not None
    panel.set_target(tmp_path)
    panel.refresh()
    assert "县信访局的公钥" in panel.summary.text()
    assert not panel.write_button.isEnabled()


def test_cross_township_view_masks_id_numbers(qtbot: QtBot, clock: FakeClock,
                                              tmp_path: Path) -> None:
    from storage.sync import merge
    from storage.sync.payload import TableRows

    county_reg = county_register(clock)
    cols = county_reg.columns("petitioners")
    rows = []
    for i, code in enumerate(("320508102000", "320508103000")):
        v = {c: "" for c in cols}
        v.update(id=f"P{i}", station_code=code, version=1, created_at="2026-03-01T09:00:00",
                 updated_at="2026-03-01T09:00:00", updated_by="x", deleted=0, name="周立波",
                 id_number="320508198001011234", birth_date=None, village_id=None)
        rows.append([v[c] for c in cols])
    with county_reg.transaction():
        merge.merge_table(merge.MergeContext(county_reg, "t", "b"),
                          TableRows("petitioners", cols, rows))
    page = show(qtbot, AppContext(county_reg, tmp_path))
    panel = page.tabs.widget(2)
    page.tabs.setCurrentWidget(panel)
    assert cell(panel.table, 0, 0) == "320508********1234"  # type: ignore[attr-defined]
    assert cell(panel.table, 0, 2) == "2"  # type: ignore[attr-defined]


def test_liaison_laptop_from_starter_file_through_the_gui(qtbot: QtBot, clock: FakeClock,
                                                          tmp_path: Path,
                                                          errors: list[str]) -> None:
    from storage import accounts, station
    from storage.db import open_register
    from ui.sync.keys import LiaisonStarterPanel
    from ui.sync.liaison_setup import LiaisonSetupDialog

    town_reg = as_head(make_township(clock))
    user = accounts.create_user(town_reg, "zhaodf", "赵德福", "liaison", "liaison-pass-1")
    for g in station.grids(town_reg)[:2]:
        station.assign_liaison(town_reg, g.id, user.id)
    keys.create_receiving_key(town_reg, "township-pass-1")
    page = show(qtbot, AppContext(town_reg, tmp_path / "town"))
    starter = page.tabs.widget(page.tabs.count() - 1)
    assert isinstance(starter, LiaisonStarterPanel)
    page.tabs.setCurrentWidget(starter)
    starter.passphrase.setText("starter-pass-1")
    starter.again.setText("starter-pass-1")
    path = starter.make(tmp_path)
    assert path is not None and errors == []
    assert "2个网格" in starter.result.text()

    laptop = open_register(None, clock=clock, password_hasher=CHEAP_HASHER)
    dialog = LiaisonSetupDialog(laptop)
    qtbot.addWidget(dialog)
    dialog.file.setText(str(path))
    dialog.passphrase.setText("starter-pass-1")
    dialog.password.setText("my-own-pass")
    dialog.again.setText("my-own-pass-typo")
    dialog.set_up()
    assert "不一致" in dialog.error.text() and not laptop.is_set_up
    dialog.again.setText("my-own-pass")
    dialog.set_up()
    assert dialog.actor is not None and dialog.actor.username == "zhaodf"
    assert laptop.mode == "liaison" and len(station.grids(laptop)) == 2
    lap_page = show(qtbot, AppContext(laptop, tmp_path / "laptop"))
    assert lap_page.export_panel is not None and lap_page.import_panel is None
    laptop.close()


def test_replacing_a_station_key_asks_first(qtbot: QtBot, clock: FakeClock, tmp_path: Path,
                                            errors: list[str],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from storage.sync import keys as k
    from tests.helpers.sync import _key_bytes, link, make_county
    from ui.sync import widgets as sync_widgets

    county_reg, town_reg = make_county(clock), make_township(clock)
    link(town_reg, county_reg)
    as_head(county_reg)
    k.create_signing_key(town_reg, replace=True)  # the station reinstalled its laptop
    new = k.parse_key_file(_key_bytes(town_reg))
    page = show(qtbot, AppContext(county_reg, tmp_path / "county"))
    page.show_tab(page.keys_panel)
    asked: list[str] = []
    answer = [False]

    def confirm(_parent: object, _title: str, text: str) -> bool:
        asked.append(text)
        return answer[0]

    monkeypatch.setattr(sync_widgets, "confirm", confirm)
    page.keys_panel.register_station(new)
    assert len(asked) == 1 and new.fingerprint in asked[0]
    assert k.station_key_change(county_reg, new) is not None  # declined: nothing changed
    answer[0] = True
    page.keys_panel.register_station(new)
    assert k.station_key_change(county_reg, new) is None
    assert errors == []
