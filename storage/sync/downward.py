"""County → township: the county's own records addressed to a township (its 交办单 and 督办单,
storage/leadership — supervision) travel down in the same kind of bundle as everything that
travels up, by the same rules (docs/architecture.md §5.3):

- keys: the county signs with the signing key it already uses for receipts; the bundle is
  encrypted to the township's receiving key (in the township's public key file the county
  registered); the township verifies with the signing key in the county's key file it loaded;
- one sequence and one chain per township: bundle N to a township names the hash of bundle N−1
  to it, and its audit span starts where that one's ended — the township's importer checks both
  exactly as the county checks a township's;
- content: only rows whose ``to_station`` names the township; every other entry of the county's
  chain travels withheld (storage/sync — collect), so the chain links and nothing about other
  townships is read;
- the township imports them with the ordinary importer (dry run, one transaction per bundle,
  a repeat is a no-op) and refuses any row not addressed to it.

Confirmation needs no receipt file: importing a bundle writes a ``sync-import`` entry into the
township's own chain, which reaches the county in the township's next monthly bundle; the
county then marks that bundle received (storage/sync — acknowledge) and stops writing it
again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from storage.clock import today
from storage.errors import BundleError, PermissionDenied, ValidationError
from storage.i18n import _
from storage.register import Register
from storage.sync import keys
from storage.sync.export import (
    DOWNWARD_ROLES,
    Route,
    check_period,
    copy_to,
    make_bundle,
    plan,
    recover_outbox,
)
from storage.sync.outbox import ExportedBundle, exported, unconfirmed
from storage.sync.safewrite import require_writable_folder


def recipients(reg: Register) -> list[keys.Peer]:
    """Townships the county can send to: registered, active, with a receiving key."""
    return [p for p in keys.peers(reg, "in")
            if p.kind == "township" and p.active and p.box_key is not None]


def route_to(reg: Register, code: str) -> Route:
    """The route of the county's bundles to township ``code``."""
    if reg.mode != "county":
        raise PermissionDenied(_("只有县级汇总库才向乡镇发送数据包。"))
    peer = keys.peer(reg, code)
    if peer is None or peer.direction != "in" or peer.kind != "township" or not peer.active:
        raise ValidationError(_("{code}还没有登记为本县的乡镇：请先在“密钥”中登记该乡镇的公钥文件。"
                                ).format(code=code), "township")
    if peer.box_key is None:
        raise BundleError(_("{name}的公钥文件中没有接收密钥：请该乡镇在“密钥”中创建接收密钥，"
                            "再把新的公钥文件交给县里登记。").format(name=peer.name))
    return Route(peer, "county", peer.station_code)


@dataclass(frozen=True)
class TownshipPlan:
    """What the next bundle to one township would hold."""

    code: str
    name: str
    records: int
    counts: dict[str, dict[str, int]]
    unconfirmed: list[ExportedBundle]
    problem: str = ""  # why nothing can be sent to it (no receiving key…)

    @property
    def due(self) -> bool:
        """Something to write: new records, or earlier bundles not yet confirmed."""
        return not self.problem and bool(self.records or self.unconfirmed)


def plans(reg: Register) -> list[TownshipPlan]:
    """Every registered township with what the county would send it now."""
    reg.require_role(*DOWNWARD_ROLES)
    out = []
    for peer in keys.peers(reg, "in"):
        if peer.kind != "township" or not peer.active:
            continue
        try:
            p = plan(reg, today(reg.clock).strftime("%Y-%m"), route=route_to(reg, peer.sender))
        except BundleError as exc:
            out.append(TownshipPlan(peer.station_code, peer.name, 0, {}, [], exc.user_text()))
            continue
        out.append(TownshipPlan(peer.station_code, peer.name, p.records, p.counts,
                                p.unconfirmed))
    return out


@dataclass(frozen=True)
class DownResult:
    code: str
    name: str
    bundle: ExportedBundle | None  # None: nothing new for this township
    written: list[Path] = field(default_factory=list)


def export_down(reg: Register, target_dir: Path, outbox: Path, *,
                townships: list[str] | None = None, period: str | None = None,
                include_unconfirmed: bool = True) -> list[DownResult]:
    """Write the county's bundles onto a stick: for each township (or those named) with
    records new since its last bundle, the next bundle; and every bundle of theirs not yet
    confirmed, again. A named township gets a bundle even when nothing is new (it carries the
    chain on). Each copy is read back and checked as an upward export's is."""
    reg.require_role(*DOWNWARD_ROLES)
    require_writable_folder(target_dir)
    period = check_period(reg, period or today(reg.clock).strftime("%Y-%m"))
    drop_confirmed(reg, outbox)
    recover_outbox(reg, outbox)
    chosen = [route_to(reg, code) for code in townships] if townships else \
        [route_to(reg, p.sender) for p in recipients(reg)]
    results = []
    for route in chosen:
        new = None
        if townships or plan(reg, period, route=route).records:
            new = make_bundle(reg, period, outbox, route=route)
        seqs = [new.seq] if new else []
        if include_unconfirmed:
            seqs += [b.seq for b in unconfirmed(reg, route.peer.sender) if new is None
                     or b.seq != new.seq]
        written = [copy_to(reg, seq, outbox, target_dir) for seq in seqs]
        results.append(DownResult(route.peer.station_code, route.peer.name, new, written))
    return results


def drop_confirmed(reg: Register, outbox: Path) -> None:
    """Local copies of bundles the townships confirmed are not needed any more."""
    for b in exported(reg):
        if b.confirmed_at is not None:
            (outbox / b.file_name).unlink(missing_ok=True)


def status_note(reg: Register) -> str:
    """One line for the county: how many bundles to townships wait for confirmation."""
    waiting = unconfirmed(reg)
    if not waiting:
        return ""
    names = {p.sender: p.name for p in keys.peers(reg, "in")}
    return _("发往乡镇的数据包中有{n}个尚未确认收到（{names}）：乡镇导入后，随其下一个数据包确认。"
             ).format(n=len(waiting), names=_("、").join(sorted({names.get(b.recipient,
                                                                             b.recipient)
                                                                  for b in waiting})))

