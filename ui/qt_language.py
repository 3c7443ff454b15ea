"""Qt's own texts (standard buttons, file dialogs) in the desk's language: the qtbase catalogues
the PySide6 wheel ships in its translations folder, found through QLibraryInfo. A module of its
own, light to import: ui/start.py installs it before the sign-in window is painted."""

from __future__ import annotations

import logging

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

log = logging.getLogger(__name__)


def install_translators(app: QApplication, language: str) -> None:
    """Qt's own texts (standard buttons, file dialogs: "查找范围：" for "Look in:") in the same
    language as ours, from the qtbase catalogues the PySide6 wheel ships in its translations
    folder. Called at start (before any message box) and again once the register's language is
    known; the previous catalogue is replaced, not stacked."""
    for old in app.findChildren(QTranslator, "qtbase"):
        app.removeTranslator(old)
        old.setObjectName("")  # gone from the search above at once
        old.deleteLater()
    qt_lang = "zh_CN" if language == "zh_CN" else "en"
    QLocale.setDefault(QLocale(qt_lang))
    if qt_lang == "en":
        return  # Qt's own language
    translator = QTranslator(app)
    translator.setObjectName("qtbase")
    path = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load(f"qtbase_{qt_lang}", path):
        app.installTranslator(translator)
    else:
        log.warning("Qt's own translations (qtbase_%s) not found in %s", qt_lang, path)
