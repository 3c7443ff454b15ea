"""At a township, importing the county's (downward) bundle leaves nothing to print or to write
back: the registration page's 打印回执 stays off (it is for the visitor this clerk just saved),
and the import tab's 把回执写到U盘 stays off (the county learns of the import from the
township's own chain, storage/sync — acknowledge, so there is no receipt to write)."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from tests.helpers.leadership import TOWN_PASS, jiaoban, pair
from tests.helpers.registers import FakeClock
from ui.context import AppContext
from ui.main_window import MainWindow
from ui.pages.registration import RegistrationPage
from ui.pages.sync import SyncPage


def test_a_county_bundle_at_a_township_enables_no_receipt(
        qtbot: QtBot, clock: FakeClock, tmp_path: Path, errors: list[str]) -> None:
    world = pair(clock, tmp_path)
    jiaoban(world.county)
    files = world.send_down()
    window = MainWindow(AppContext(world.town, tmp_path / "town"))
    qtbot.addWidget(window)
    window.show()
    desk = window.show_page("registration")
    assert isinstance(desk, RegistrationPage)
    sync = window.show_page("sync")
    assert isinstance(sync, SyncPage) and sync.import_panel is not None
    imp = sync.import_panel
    sync.show_tab(imp)
    imp.set_paths(files)
    imp.passphrase.setText(TOWN_PASS)
    imp.run_import()
    assert [r.status for r in imp.reports] == ["imported"] and errors == []
    assert not imp.receipt_button.isEnabled()
    assert window.show_page("registration") is desk
    assert not desk.print_button.isEnabled() and desk.last_saved_id is None
