"""GUI fixtures: an AppContext whose windows are closed before the register is."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from storage.i18n import DEFAULT_LANGUAGE, set_language
from storage.register import Register
from tests.helpers.county import County, copy_of
from tests.helpers.registers import FakeClock
from ui.context import AppContext
from ui.fonts import apply_ui_font, load_fonts

_fonts_loaded = False


@pytest.fixture
def ctx(qtbot: QtBot, reg: Register) -> Iterator[AppContext]:  # noqa: ARG001 - qtbot starts the QApplication
    global _fonts_loaded
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    if not _fonts_loaded:
        load_fonts()
        apply_ui_font(app)
        _fonts_loaded = True
    yield AppContext(reg, None)
    # Close every window while the register is still open: pending drafts and timers flush
    # now instead of firing into the next test.
    for widget in QApplication.topLevelWidgets():
        widget.close()
    QApplication.processEvents()


@pytest.fixture
def errors(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Refusals that ctx.run would show in a message box, collected instead."""
    shown: list[str] = []
    monkeypatch.setattr("ui.context.show_error",
                        lambda _parent, exc: shown.append(exc.user_text()))
    return shown


@pytest.fixture(autouse=True)
def discard_when_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    """Esc on a filled form asks before discarding (QMessageBox.question, which would wait for
    a clerk); a test that presses Esc means it. Tests of the question patch it themselves."""
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *_a, **_k: QMessageBox.StandardButton.Yes)


# The walks over every page and dialog (test_fit.py, test_keymap.py) run in both languages, at a
# township and at the county.
@pytest.fixture(params=[DEFAULT_LANGUAGE, "en"])
def language(request: pytest.FixtureRequest) -> Iterator[str]:
    set_language(request.param)
    yield request.param
    set_language(DEFAULT_LANGUAGE)


@pytest.fixture(params=["township", "county"])
def desk(request: pytest.FixtureRequest, qtbot: QtBot,  # noqa: ARG001 - starts the QApplication
         clock: FakeClock, ctx: AppContext) -> Iterator[AppContext]:
    if request.param == "township":
        yield ctx
        return
    built: County = request.getfixturevalue("two_townships")
    copies = copy_of(built, clock)
    yield AppContext(copies.county, None)
    for widget in QApplication.topLevelWidgets():
        widget.close()
    QApplication.processEvents()
    for reg in (copies.county, *copies.townships.values()):
        reg.close()
