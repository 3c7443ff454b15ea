"""The English catalogue stays complete and correct, and the English UI and CLI read English.

Message ids are the Chinese texts. These tests extract the messages of the current sources into
a temporary template (the repository's .pot is left alone) and hold every catalogue to it: no
message missing, empty or fuzzy; every translation keeps the msgid's ``{placeholders}`` and
``%`` specifiers; every catalogue compiles, and the shipped .mo matches its .po.
"""

from __future__ import annotations

import gettext
import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from storage import i18n
from storage.i18n import DOMAIN, LOCALE_DIR, _, pgettext, set_language

CATALOGUES = sorted(LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef\U00020000-\U0002ffff]")
FIELD = re.compile(r"(?<!\{)\{([^{}]*)\}(?!\})")
PERCENT = re.compile(r"%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa%]")


def _key(message: Message) -> tuple[str, str | None]:
    msgid = message.id if isinstance(message.id, str) else message.id[0]
    return msgid, message.context


def _texts(value: str | tuple[str, ...] | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


def _read(path: Path) -> Catalog:
    with path.open("rb") as f:
        return read_po(f)


@pytest.fixture(autouse=True)
def chinese_afterwards() -> Iterator[None]:
    """Every test leaves the process in the default language, whatever it switched to."""
    yield
    set_language(i18n.DEFAULT_LANGUAGE)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    pot = i18n.extract(tmp_path_factory.mktemp("i18n") / f"{DOMAIN}.pot")
    return _read(pot)


@pytest.fixture(scope="module", params=CATALOGUES, ids=lambda p: p.parent.parent.name)
def catalogue(request: pytest.FixtureRequest) -> Catalog:
    return _read(request.param)


def test_there_is_an_english_catalogue() -> None:
    assert LOCALE_DIR / "en" / "LC_MESSAGES" / f"{DOMAIN}.po" in CATALOGUES


def test_extraction_finds_the_messages_and_no_junk(template: Catalog) -> None:
    ids = {_key(m) for m in template if m.id}
    assert ("信访工作台", None) in ids
    assert ("来信", "信访形式") in ids  # pgettext is extracted with its context
    # ``_(TABLE["key"])`` makes Babel extract the dictionary key; such calls are written as
    # ``label = TABLE["key"]; _(label)`` instead.
    junk = sorted(msgid for msgid, _ctx in ids if re.fullmatch(r"[a-z_]+", msgid))
    assert junk == []


def test_every_extracted_message_is_translated(template: Catalog, catalogue: Catalog) -> None:
    translated = {_key(m): m for m in catalogue if m.id}
    missing = sorted(str(_key(m)) for m in template if m.id and _key(m) not in translated)
    empty = sorted(str(_key(m)) for m in template if m.id and _key(m) in translated
                   and not all(_texts(translated[_key(m)].string)))
    assert missing == [], "run: python -m storage.i18n extract && python -m storage.i18n update"
    assert empty == []


def test_no_fuzzy_and_no_obsolete_entries(template: Catalog, catalogue: Catalog) -> None:
    assert sorted(str(_key(m)) for m in catalogue if m.id and m.fuzzy) == []
    assert list(catalogue.obsolete) == []
    wanted = {_key(m) for m in template if m.id}
    stale = sorted(str(_key(m)) for m in catalogue if m.id and _key(m) not in wanted)
    assert stale == [], "messages no longer in the sources: run python -m storage.i18n update"


def test_translations_keep_the_placeholders(catalogue: Catalog) -> None:
    wrong = []
    for m in catalogue:
        if not m.id:
            continue
        msgid = _texts(m.id)[0]
        for text in _texts(m.string):
            if set(FIELD.findall(msgid)) != set(FIELD.findall(text)):
                wrong.append(f"{msgid!r}: {{}} {text!r}")
            if "python-format" in m.flags and \
                    sorted(PERCENT.findall(msgid)) != sorted(PERCENT.findall(text)):
                wrong.append(f"{msgid!r}: % {text!r}")
    assert wrong == []


def test_english_translations_contain_no_chinese(catalogue: Catalog) -> None:
    """A few data examples may stay Chinese on purpose (a dispute type the CLI expects)."""
    if catalogue.locale is None or catalogue.locale.language != "en":
        pytest.skip("English only")
    allowed = {"纠纷类型，如 邻里"}
    chinese = sorted(_key(m)[0] for m in catalogue if m.id and _key(m)[0] not in allowed
                     and any(CJK.search(t) for t in _texts(m.string)))
    assert chinese == []


def test_catalogues_compile_and_the_shipped_mo_is_current(catalogue: Catalog) -> None:
    assert list(catalogue.check()) == []
    buffer = io.BytesIO()
    write_mo(buffer, catalogue)
    assert buffer.getvalue()
    shipped = gettext.translation(DOMAIN, LOCALE_DIR, [str(catalogue.locale)])
    stale = []
    for m in catalogue:
        if not m.id:
            continue
        if m.pluralizable:
            singular, plural = m.id[0], m.id[1]
            found = [shipped.ngettext(singular, plural, n) for n in (1, 2)]
            wanted = list(m.string[:2])
        else:
            msgid, context = _key(m)
            found = [shipped.pgettext(context, msgid) if context else shipped.gettext(msgid)]
            wanted = [m.string]
        if found != wanted:
            stale.append(str(_key(m)))
    assert stale == [], "run: python -m storage.i18n compile"


def test_set_language_switches_both_ways() -> None:
    set_language("en")
    assert i18n.current_language() == "en"
    assert _("信访工作台") == "Petition Desk"
    assert _("首页") == "Home"
    assert _("{office}人民调解委员会").format(office="Huayuan") == \
        "Huayuan People's Mediation Committee"
    assert pgettext("信访形式", "来信") == "Letter"
    assert i18n.join_list(["a", "b"]) == "a, b"
    assert i18n.numeral(3) == "3"
    assert i18n.full_stop("Done") == "Done."
    assert i18n.join_sentences("One.", "", "Two.") == "One. Two."
    set_language("zh_CN")
    assert _("信访工作台") == "信访工作台"
    assert pgettext("信访形式", "来信") == "来信"
    assert i18n.join_list(["甲", "乙"]) == "甲、乙"
    assert i18n.numeral(3) == "三"
    assert i18n.full_stop("完成") == "完成。"
    assert i18n.join_sentences("一。", "二。") == "一。二。"
    with pytest.raises(ValueError):
        set_language("fr")


def test_the_mo_file_is_what_gettext_loads() -> None:
    translation = gettext.translation(DOMAIN, LOCALE_DIR, ["en"])
    assert translation.gettext("退出") == "Quit"


# ----- printed and stored words in English ------------------------------------------------------

def test_committee_name_and_form_labels_in_english(reg: object) -> None:
    from storage import codes, mediation

    set_language("en")
    assert mediation.committee_name(reg) == "花园镇 People's Mediation Committee"  # type: ignore[arg-type]
    assert [codes.form_label(f) for f in ("来访", "来信", "来电", "网信", "代办", "信箱")] == [
        "Visit", "Letter", "Phone call", "Online", "Filed by liaison", "信箱"]
    set_language("zh_CN")
    assert mediation.committee_name(reg) == "花园镇人民调解委员会"  # type: ignore[arg-type]
    assert codes.form_label("来信") == "来信"


# ----- the command line -------------------------------------------------------------------------

def test_cli_help_is_english(capsys: pytest.CaptureFixture[str]) -> None:
    import main

    with pytest.raises(SystemExit) as stop:
        main.main(["--lang", "en", "--help"])
    assert stop.value.code == 0
    out = capsys.readouterr().out
    assert "Petition Desk" in out
    assert not CJK.search(out), out


def test_cli_error_is_english(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    import main

    status = main.main(["--lang", "en", "cases", "--data-dir", str(tmp_path / "empty")])
    assert status == 1
    err = capsys.readouterr().err
    assert err.startswith("Error: ")
    assert not CJK.search(err), err


@pytest.mark.parametrize(("typed", "code"), [
    ("en", "en"), ("EN", "en"), ("en_GB", "en"), ("en-US", "en"),
    ("zh", "zh_CN"), ("zh_CN", "zh_CN"), ("zh-cn", "zh_CN")])
def test_language_names_people_type(typed: str, code: str) -> None:
    assert i18n.language_code(typed) == code


def test_unknown_language_is_refused_and_unparsed_one_falls_back() -> None:
    import cli

    with pytest.raises(ValueError):
        i18n.language_code("fr")
    assert cli.language_before_parsing(["--lang=en", "cases"]) == "en"
    assert cli.language_before_parsing(["cases", "--lang", "zh"]) == "zh_CN"
    assert cli.language_before_parsing(["--lang"]) == i18n.DEFAULT_LANGUAGE  # value missing
    assert cli.language_before_parsing(["--lang", "fr"]) == i18n.DEFAULT_LANGUAGE


def test_cli_takes_lang_equals_and_a_short_code(capsys: pytest.CaptureFixture[str],
                                                tmp_path: Path) -> None:
    import main

    assert main.main(["cases", "--lang=en", "--data-dir", str(tmp_path / "empty")]) == 1
    assert not CJK.search(capsys.readouterr().err)
    assert main.main(["cases", "--lang", "zh", "--data-dir", str(tmp_path / "empty")]) == 1
    assert CJK.search(capsys.readouterr().err)
