"""How the demo station's work is led (docs/domain.md §10), made through the same operations the
desk uses: the station's leaders; 包案 of open matters, a mediation case and a screened dispute,
with plans whose steps are partly done and partly late; the 积案 its rules list, one listed by
hand and one resolved; Friday reception days with the ones past held, a 下访, a 约访 held and one
coming; and a 交办单 and a 督办单 received from the county — through a real county register, a
real bundle each way and the township's own receiving key (passphrase: the demo password)."""

from __future__ import annotations

import random
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher

from storage import leadership, station
from storage.db import open_register
from storage.errors import PetitionDeskError
from storage.register import Register
from storage.sync import downward, export, importer, keys, outbox, signkey

LEADERS = (("周国平", "党委书记"), ("刘明", "镇长"), ("王建华", "副镇长"), ("陈立新", "党委副书记"),
           ("孙强", "政法委员"), ("吴国平", "人大主席"))
COUNTY = dict(name="姑苏区信访局", short_name="姑苏", code="320508000000", kind="county",
              office_name="姑苏区信访局", phone="0512-65000000", address="姑苏区人民路100号")
PLANS = (
    ("调阅原始档案，查清事实", "召集双方当面协调", "形成书面处理意见并答复"),
    ("走访信访人家庭，了解实际困难", "协调镇社会事务办落实帮扶", "回访确认息诉罢访"),
    ("组织村组干部现场勘查", "召开听证会听取各方意见", "依法作出处理决定"),
)
OPEN = ("accepted", "forwarded", "handling", "review", "reviewed", "rereview")


@contextmanager
def _on(reg: Register, when: date) -> Iterator[None]:
    """The register's clock at office hours on ``when`` for what is done inside."""
    saved = reg.clock
    moment = datetime.combine(when, time(10, 0))
    reg.clock = lambda: moment
    try:
        yield
    finally:
        reg.clock = saved


def generate_demo(reg: Register, rng: random.Random, *, work: Path, password: str,
                  password_hasher: PasswordHasher | None = None) -> dict[str, int]:
    """Everything above, dated around the register's "now"; returns counts of what was made.
    ``password`` is the demo's: the county's head and both receiving keys use it too."""
    today = reg.clock().date()
    people = [leadership.add_leader(reg, name, post) for name, post in LEADERS]
    counts = {"leaders": len(people)}
    counts["holdings"] = _holdings(reg, rng, people[2:], today)
    counts["backlog"] = _backlog(reg, rng, today)
    counts.update(_reception(reg, rng, people, today))
    counts["from_county"] = _from_county(reg, rng, work, password, password_hasher)
    return counts


def _open_matters(reg: Register, limit: int) -> list[dict[str, Any]]:
    marks = ",".join("?" * len(OPEN))
    return reg.rows(f"SELECT id, received_on, accepted_on FROM matters WHERE deleted = 0"
                    f" AND status IN ({marks}) ORDER BY received_on LIMIT ?", (*OPEN, limit))


def _holdings(reg: Register, rng: random.Random, people: list[leadership.Leader],
              today: date) -> int:
    made = 0
    subjects: list[tuple[str, str, date]] = [
        ("matter", m["id"], date.fromisoformat(m["accepted_on"] or m["received_on"]))
        for m in _open_matters(reg, 8)]
    for kind, sql in (("mediation", "SELECT id, accepted_on AS day FROM mediations"
                                    " WHERE status IN ('accepted', 'mediating') LIMIT 1"),
                      ("dispute", "SELECT id, found_on AS day FROM disputes"
                                  " WHERE status IN ('未化解', '化解中') LIMIT 1")):
        subjects += [(kind, r["id"], date.fromisoformat(r["day"])) for r in reg.rows(sql)]
    for i, (kind, subject, since) in enumerate(subjects):
        start = max(since, today - timedelta(days=70))
        # every third one runs late; the others have time left
        target = today - timedelta(days=rng.randint(3, 12)) if i % 3 == 0 \
            else today + timedelta(days=rng.randint(10, 45))
        target = max(target, start + timedelta(days=7))
        texts = PLANS[i % len(PLANS)]
        span = max((target - start).days, 3)
        steps = [leadership.PlanStep(text, start + timedelta(days=span * (n + 1) // 4))
                 for n, text in enumerate(texts)]
        with _on(reg, start):
            held = leadership.hold(reg, leadership.HoldingInput(
                people[i % len(people)].id, kind, subject, target,
                plan="落实领导包案责任，一案一策，限期化解", steps=steps, held_from=start))
        made += 1
        first_due = steps[0].due
        if first_due is not None and first_due <= today:
            with _on(reg, first_due):
                leadership.complete_step(reg, held.id, 1, first_due)
                leadership.add_note(reg, held.id, first_due, rng.choice((
                    "已约谈信访人，听取诉求", "已调阅相关档案，事实基本清楚", "已召集村组干部研究化解方案")))
    return made


def _backlog(reg: Register, rng: random.Random, today: date) -> int:
    listed = leadership.sweep(reg, today)
    spare = [m for m in _open_matters(reg, 40)
             if not reg.scalar("SELECT count(*) FROM backlog_cases WHERE matter_id = ?",
                               (m["id"],))]
    if spare:
        leadership.add_to_backlog(reg, rng.choice(spare)["id"],
                                  "信访老户，多年反复信访，县里列入重点积案", today)
        listed += 1
    entries = leadership.backlog(reg)
    if len(entries) >= 2:
        leadership.resolve_backlog(reg, entries[0].id, today, outcome="息诉罢访",
                                   evidence="信访人签署息诉罢访承诺书；回访记录一份",
                                   confirmed_by="王建华（副镇长）")
    return listed


def _reception(reg: Register, rng: random.Random, people: list[leadership.Leader],
               today: date) -> dict[str, int]:
    first = (today.replace(day=1) - timedelta(days=1)).replace(day=1)  # last month's first
    last = today + timedelta(days=30)
    days = leadership.plan_weekly(reg, [p.id for p in people[:4]], 4, first, last,
                                  time_text="上午8:30-11:30", place="镇信访接待室")
    for r in leadership.receptions(reg, first, today):
        batches = rng.randint(1, 5)
        leadership.record_reception(reg, r.id, batches=batches,
                                    persons=batches + rng.randint(0, 4),
                                    matters_handled=rng.randint(0, batches),
                                    note="当场答复部分诉求，其余交有关部门办理")
    down_day = today - timedelta(days=rng.randint(3, 20))
    villages = station.villages(reg)
    down = leadership.plan_reception(reg, leadership.ReceptionInput(
        people[1].id, "下访", down_day, "下午", f"{villages[0].name}村委会" if villages
        else "村委会", "带案下访，现场协调宅基地纠纷"))
    leadership.record_reception(reg, down.id, batches=2, persons=6, matters_handled=1)
    made = {"reception_days": days, "visits_down": 1, "appointments": 0}
    matters = _open_matters(reg, 3)
    if matters:
        past = max(today - timedelta(days=6), date.fromisoformat(matters[0]["received_on"]))
        with _on(reg, past):
            held = leadership.make_appointment(reg, leadership.AppointmentInput(
                matters[0]["id"], people[0].id, past, "上午9时", "镇信访接待室", "面对面听取诉求"))
            leadership.record_outcome(reg, held.id, "held", "书记当面听取诉求，责成有关部门十日内答复")
        made["appointments"] += 1
    if len(matters) > 1:
        leadership.make_appointment(reg, leadership.AppointmentInput(
            matters[1]["id"], people[2].id, today + timedelta(days=5), "下午3时",
            "镇信访接待室", "当面沟通处理意见"))
        made["appointments"] += 1
    return made


def _from_county(reg: Register, rng: random.Random, work: Path, password: str,
                 password_hasher: PasswordHasher | None) -> int:
    """A county register issues a 交办 and a 督办 to the demo station, through the bundles both
    ways. The county register itself is not kept."""
    stick = work / ".demo-stick"
    stick.mkdir(exist_ok=True)
    county = open_register(None, clock=reg.clock, password_hasher=password_hasher)
    try:
        station.set_up_station(county, villages=[], head_username="head",
                               head_display_name="县信访局审核员", head_password=password,
                               **COUNTY)
        keys.create_receiving_key(county, password)
        signkey.sign_in(county, "head", "head", password)  # their slots: opened at sign-in
        signkey.sign_in(reg, "head", "head", password)
        keys.create_signing_key(county)
        keys.create_signing_key(reg)
        keys.create_receiving_key(reg, password)
        keys.load_upstream(reg, keys.own_key_file(county))
        keys.register_station(county, keys.own_key_file(reg))
        export.export(reg, export.default_period(reg), stick, outbox.outbox_dir(work))
        importer.import_bundles(county, [stick], keys.unlock_receiving_key(county, password))
        today = reg.clock().date()
        held = reg.rows("SELECT subject_id FROM case_holdings WHERE subject_kind = 'matter'"
                        " AND status = 'active' LIMIT 1")
        if held:
            leadership.issue_supervision(county, leadership.SupervisionInput(
                deadline=today + timedelta(days=rng.randint(8, 15)),
                reason="信访人多次到县反映，久拖未决，请包案领导亲自过问", level="重点督办",
                matter_id=held[0]["subject_id"],
                requirements="逐项落实化解方案，按期反馈办理结果", contact="县信访局督查科 65000001"))
        leadership.issue_assignment(county, leadership.AssignmentInput(
            to_station=reg.station_code, deadline=today + timedelta(days=15),
            summary="反映村道路灯长期不亮，夜间出行不便", request="尽快修复路灯",
            petitioner_name="顾明华", petitioner_phone="13962001234",
            petitioner_address="九龙社区东片12号", form="来信",
            requirements="查明情况，督促修复并答复信访人", contact="县信访局办信科 65000002"))
        sent = downward.export_down(county, stick, work / ".demo-county-outbox")
        files = [p for r in sent for p in r.written]
        reports = importer.import_bundles(reg, files,
                                          keys.unlock_receiving_key(reg, password))
        if any(r.status != "imported" for r in reports):
            raise PetitionDeskError("; ".join(r.message for r in reports))
        return len(leadership.assignments(reg))
    finally:
        county.close()
        shutil.rmtree(stick, ignore_errors=True)
        shutil.rmtree(work / ".demo-county-outbox", ignore_errors=True)
