"""Qt's own dialogs speak the desk's language (issue 15: the file dialog said "Look in:")."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QTranslator
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from ui.qt_language import install_translators


def test_qt_texts_follow_the_language(qtbot: QtBot) -> None:  # noqa: ARG001 - the QApplication
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    try:
        install_translators(app, "zh_CN")
        install_translators(app, "zh_CN")  # again, once the register's language is known
        assert QCoreApplication.translate("QFileDialog", "Look in:") == "查找范围："
        assert len(app.findChildren(QTranslator, "qtbase")) == 1  # replaced, not stacked
        install_translators(app, "en")
        assert QCoreApplication.translate("QFileDialog", "Look in:") == "Look in:"
    finally:
        install_translators(app, "en")
