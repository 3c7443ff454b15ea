"""County → township → county: a 交办单 and a 督办单 travel down in the county's signed,
encrypted bundle, the township's 签收 and 反馈 come back in its monthly bundle, and the county
sees each with its status — through real bundle files, with tampering, replays and repeats
refused or ignored exactly as for the upward bundles."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest

from storage import db, leadership, petitions
from storage.errors import BundleError, PermissionDenied, TransitionError
from storage.register import Register
from storage.sync import crypto, fileformat, importer, keys, payload, segments, signkey
from tests.helpers.leadership import Pair, duban, jiaoban, key_file, pair
from tests.helpers.registers import CHEAP_HASHER, FakeClock
from tests.helpers.sync import COUNTY_CODE, link, make_township, snapshot

HUAYUAN, SHIQIAO = "320508102000", "320508103000"


@pytest.fixture
def world(clock: FakeClock, tmp_path: Path) -> Pair:
    return pair(clock, tmp_path)


def _final(kind: str = "final", **kw: str) -> leadership.ReplyInput:
    values = dict(content="已会同村委会疏通排水沟，并当面答复信访人", result="已答复",
                  petitioner_view="满意", handled_by="李文静", contact="0512-66881234")
    values.update(kw)
    return leadership.ReplyInput(kind, **values)  # type: ignore[arg-type]


def test_a_jiaoban_and_a_duban_go_down_and_their_feedback_comes_back(
        world: Pair, clock: FakeClock) -> None:
    county, town = world.county, world.town
    jb = jiaoban(county)
    db_ = duban(county, world.matter_id)
    assert (jb.number, db_.number) == ("〔2026〕姑信交字第1号", "〔2026〕姑信督字第1号")
    assert [a.status for a in leadership.assignments(county)] == ["pending", "pending"]

    files = world.send_down()
    assert [f.name for f in files] == ["320508000000-320508102000-202603-001.pdsync"]
    # a dry run reports what the import will do and writes nothing
    before = snapshot(town, with_ledger=True)
    [dry] = world.town_imports(files, dry_run=True)
    assert dry.status == "ready" and dry.counts["assignments"].created == 2
    assert snapshot(town, with_ledger=True) == before
    [report] = world.town_imports(files)
    assert report.status == "imported" and report.gaps == []

    # the township sees both, from the county, with their deadlines (home page too)
    here = {a.kind: a for a in leadership.assignments(town)}
    assert {a.number for a in here.values()} == {jb.number, db_.number}
    assert here["交办"].issuer == "姑苏区信访局" and here["交办"].status == "pending"
    assert here["督办"].linked_matter == world.matter_id  # its own matter
    alerts = leadership.home_alerts(town)
    assert any(jb.number in line and "2026-03-20" in line for line in alerts)
    assert any(db_.number in line and "2026-03-16" in line for line in alerts)
    # the county's chain continues at the township, hash for hash
    assert segments.verify(town, COUNTY_CODE).ok

    # the township registers the 交办 as its matter, answers it; reports progress on the 督办
    clock.advance(days=3)
    matter = leadership.register_as_matter(town, jb.id)
    assert matter["summary"] == jb.summary and jb.number in matter["facts"]
    answer = leadership.reply(town, jb.id, _final())
    assert answer.number == "〔2026〕花信馈字第1号"
    leadership.reply(town, db_.id, _final("progress", content="已约谈双方，正在测量边界"))

    [up] = world.county_imports([world.send_up()])
    assert up.status == "imported"
    status = {a.number: a for a in leadership.assignments(county)}
    assert status[jb.number].status == "answered" and status[jb.number].on_time
    assert status[jb.number].final is not None
    assert status[jb.number].final.content.startswith("已会同村委会")
    assert status[db_.number].status == "pending"
    assert [r.kind for r in status[db_.number].replies] == ["received", "progress"]
    # the township's chain told the county its bundle arrived: not written again
    assert county.scalar("SELECT confirmed_by FROM sync_exports") == f"chain:{HUAYUAN}"
    assert world.send_down() == []

    # the 督办's deadline passes without an answer: overdue at both ends
    clock.advance(days=20)
    [summary] = leadership.per_township(county)
    assert (summary.issued, summary.answered, summary.overdue, summary.on_time) == (2, 1, 1, 1)
    assert leadership.assignment(town, db_.id).status == "overdue"


def test_a_second_import_changes_nothing(world: Pair) -> None:
    jiaoban(world.county)
    files = world.send_down()
    world.town_imports(files)
    before = snapshot(world.town, with_ledger=True)
    changes = world.town.conn.total_changes

    again = world.town_imports(files + files)

    assert [r.status for r in again] == ["already", "already"]
    assert world.town.conn.total_changes == changes
    assert snapshot(world.town, with_ledger=True) == before


def test_every_damaged_byte_is_refused_and_nothing_is_written(world: Pair) -> None:
    jiaoban(world.county)
    [file] = world.send_down()
    data = file.read_bytes()
    key = world.town_key()
    changes = world.town.conn.total_changes
    step = max(1, len(data) // 97)  # a spread of positions: header, manifest, signature, payload
    for at in [*range(0, len(data), step), len(data) - 1]:
        broken = bytearray(data)
        broken[at] ^= 0x41
        path = world.tmp / "try" / file.name
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(bytes(broken))
        [report] = importer.import_bundles(world.town, [path], key)
        assert report.status == "refused", at
        assert report.message
    for cut in (10, len(data) // 2, len(data) - 1):
        path.write_bytes(data[:cut])
        [report] = importer.import_bundles(world.town, [path], key)
        assert report.status == "refused"
    assert world.town.conn.total_changes == changes
    assert leadership.assignments(world.town) == []


def test_a_replayed_sequence_with_other_content_is_refused(world: Pair, tmp_path: Path) -> None:
    """The county restored an old backup and sent bundle 1 again with other content."""
    copy = Register(db.connect(":memory:"), None, world.county.clock,
                    password_hasher=CHEAP_HASHER)
    world.county.conn.backup(copy.conn)
    copy.actor = world.county.actor
    signkey.unlock(copy, "head-pass-1")  # a register opened afresh: its signing key sealed
    jiaoban(world.county, summary="原来的交办")
    [first] = world.send_down()
    jiaoban(copy, summary="恢复备份后另发的交办")
    replayed = Pair(copy, world.town, tmp_path / "copy", world.matter_id)
    replayed.tmp.mkdir()
    [second] = replayed.send_down()
    assert first.name == second.name  # the same sequence number…
    assert first.read_bytes() != second.read_bytes()  # …with other content

    assert [r.status for r in world.town_imports([first])] == ["imported"]
    changes = world.town.conn.total_changes
    [report] = world.town_imports([second])

    assert report.status == "refused" and "内容不同" in report.message
    assert world.town.conn.total_changes == changes
    assert [a.summary for a in leadership.assignments(world.town)] == ["原来的交办"]


def test_bundles_arriving_out_of_order_join_up(world: Pair) -> None:
    jiaoban(world.county, summary="第一份")
    [one] = world.send_down()
    jiaoban(world.county, summary="第二份")
    files = world.send_down()
    two = next(f for f in files if f.name.endswith("-002.pdsync"))

    [late] = world.town_imports([two])
    assert late.status == "imported" and late.gaps == [1]
    [early] = world.town_imports([one])
    assert early.status == "imported" and early.gaps == []
    assert sorted(a.summary for a in leadership.assignments(world.town)) == ["第一份", "第二份"]
    assert segments.verify(world.town, COUNTY_CODE).ok


def _second_township(world: Pair, clock: FakeClock) -> Register:
    other = make_township(clock, SHIQIAO)
    link(other, world.county)
    keys.create_receiving_key(other, "other-pass-1")
    keys.register_station(world.county, key_file(other))
    keys.load_upstream(other, key_file(world.county))
    return other


def test_a_township_reads_nothing_of_another_townships(world: Pair, clock: FakeClock) -> None:
    other = _second_township(world, clock)
    mine = jiaoban(world.county, HUAYUAN, summary="花园镇的交办")
    theirs = jiaoban(world.county, SHIQIAO, summary="石桥镇的交办")
    files = world.send_down()
    assert sorted(f.name for f in files) == [
        "320508000000-320508102000-202603-001.pdsync",
        "320508000000-320508103000-202603-001.pdsync"]

    # both files on one stick: the township takes its own and passes over the other's
    stick = files[0].parent
    reports = world.town_imports([stick])
    assert [(r.file_name, r.status) for r in reports] == [
        ("320508000000-320508102000-202603-001.pdsync", "imported")]
    assert [a.id for a in leadership.assignments(world.town)] == [mine.id]
    # named explicitly, the other's bundle is refused: it is not addressed to us
    [refused] = world.town_imports([stick / "320508000000-320508103000-202603-001.pdsync"])
    assert refused.status == "refused" and "不是本单位" in refused.message

    # the county's chain links at the township; the entries about the other's 交办 arrive
    # without their content
    entries = list(segments.entries(world.town, COUNTY_CODE))
    about = {e[6]: e for e in entries if e[5] == "assignments"}
    assert about[mine.id][8] is not None and about[mine.id][11] == 0
    assert about[theirs.id][7] is None and about[theirs.id][8] is None
    assert about[theirs.id][11] == 1
    assert "石桥镇的交办" not in json.dumps(entries, ensure_ascii=False)
    assert segments.verify(world.town, COUNTY_CODE).ok
    other.close()


def _forged(world: Pair, file: Path, change: dict[str, object]) -> Path:
    """The county's bundle re-made with ``change`` applied to its payload, properly encrypted
    to the township and signed with the county's key (so that only the content check can
    catch it)."""
    sealed = fileformat.unpack(file.read_bytes())
    inner = payload.open_sealed(sealed.payload, world.town_key(), sealed.manifest["sender"],
                                sealed.manifest["seq"])
    inner = replace(inner, **change)  # type: ignore[arg-type]
    counts = {t.name: {"records": len(t.rows), "deleted": 0} for t in inner.tables}
    manifest = dict(sealed.manifest, counts=counts,
                    records=sum(len(t.rows) for t in inner.tables))
    box = keys.own_key_file(world.town).box_key
    assert box is not None
    blob = crypto.seal(payload.encode(inner), box, payload.aad(inner.sender, inner.seq))
    path = world.tmp / "forged" / file.name
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(fileformat.pack(manifest, blob, keys.signing_private(world.county)))
    return path


def test_a_county_bundle_may_only_hold_rows_addressed_to_the_township(world: Pair) -> None:
    jiaoban(world.county)
    [file] = world.send_down()
    sealed = fileformat.unpack(file.read_bytes())
    inner = payload.open_sealed(sealed.payload, world.town_key(), sealed.manifest["sender"],
                                sealed.manifest["seq"])
    [table] = inner.tables
    at = table.columns.index("to_station")
    elsewhere = payload.TableRows(table.name, table.columns,
                                  [[*r[:at], SHIQIAO, *r[at + 1:]] for r in table.rows])
    own = world.county.rows("SELECT * FROM stations")  # a well-formed row of the county's
    stations = payload.TableRows("stations", list(own[0]), [list(own[0].values())])
    changes = world.town.conn.total_changes

    for tables, words in (([elsewhere], "其他乡镇"), ([table, stations], "不接收")):
        forged = _forged(world, file, {"tables": tables})
        [report] = world.town_imports([forged])
        assert report.status == "refused" and words in report.message, report.message
    assert world.town.conn.total_changes == changes


def test_who_may_do_what(world: Pair) -> None:
    jb = jiaoban(world.county)
    with pytest.raises(PermissionDenied):
        jiaoban(world.town)  # a township issues nothing
    with pytest.raises(PermissionDenied):
        leadership.reply(world.county, jb.id, _final())  # the county does not answer itself
    world.town_imports(world.send_down())
    clerk_view = leadership.assignment(world.town, jb.number)
    assert clerk_view.id == jb.id


def test_the_county_sends_nothing_to_a_township_without_a_receiving_key(
        clock: FakeClock, tmp_path: Path) -> None:
    world = pair(clock, tmp_path)
    bare = make_township(clock, SHIQIAO)
    link(bare, world.county)  # its key file has no receiving key
    jiaoban(world.county, SHIQIAO)
    plans = {p.code: p for p in leadership_plans(world.county)}
    assert plans[SHIQIAO].problem and "接收密钥" in plans[SHIQIAO].problem
    assert not plans[SHIQIAO].due
    with pytest.raises(BundleError, match="接收密钥"):
        world.send_down(townships=[SHIQIAO])
    bare.close()


def leadership_plans(county: Register) -> list:  # type: ignore[type-arg]
    from storage.sync import downward

    return downward.plans(county)


def test_a_withdrawn_jiaoban_reaches_the_township_as_withdrawn(world: Pair, clock: FakeClock
                                                                ) -> None:
    jb = jiaoban(world.county)
    world.town_imports(world.send_down())
    leadership.withdraw(world.county, jb.id)
    files = world.send_down()
    # the change in bundle 2, and bundle 1 again: no township bundle has confirmed it yet
    assert [f.name[-10:] for f in files] == ["002.pdsync", "001.pdsync"]
    world.town_imports(files)
    here = leadership.assignment(world.town, jb.id)
    assert here.status == "withdrawn"
    clock.advance(days=1)
    with pytest.raises(Exception, match="撤回"):
        leadership.reply(world.town, jb.id, _final())
    assert leadership.home_alerts(world.town) == []


def test_a_duban_on_a_late_jiaoban_names_it(world: Pair, clock: FakeClock) -> None:
    jb = jiaoban(world.county, deadline=date(2026, 3, 5))
    clock.advance(days=5)
    assert leadership.assignment(world.county, jb.id).status == "overdue"
    follow = leadership.issue_supervision(world.county, leadership.SupervisionInput(
        deadline=clock.now.date() + timedelta(days=7), reason="交办件逾期未反馈",
        parent_id=jb.id))
    assert follow.parent_id == jb.id and follow.to_station == HUAYUAN
    assert follow.summary == jb.summary
    world.town_imports(world.send_down())
    assert {a.kind for a in leadership.assignments(world.town)} == {"交办", "督办"}
    assert petitions.search_ids(world.town, "积水") == []  # nothing registered by itself


def test_the_county_hands_down_one_of_the_townships_own_matters(world: Pair) -> None:
    order = leadership.issue_assignment(world.county, leadership.AssignmentInput(
        to_station="", matter_id=world.matter_id, deadline=date(2026, 3, 25), summary="",
        requirements="请包案领导亲自过问"))
    matter = world.county.get("matters", world.matter_id)
    assert (order.to_station, order.matter_number, order.summary) == (
        HUAYUAN, matter["number"], matter["summary"])
    world.town_imports(world.send_down())
    here = leadership.assignment(world.town, order.id)
    assert here.linked_matter == world.matter_id  # no second registration needed
    with pytest.raises(TransitionError):
        leadership.register_as_matter(world.town, order.id)
    leadership.receive(world.town, order.id)
    assert leadership.assignment(world.town, order.id).received is not None
