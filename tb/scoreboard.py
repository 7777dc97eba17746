# SPDX-License-Identifier: MIT
"""Scoreboard: checks every TLP the device sends against the reference model.

Plain Python (no cocotb import), so plain pytest exercises it.  The cocotb
side feeds it events from the monitors, in cycle order, with cycle stamps:

* ``rx_request(cycle, dws)``   - a TLP the host sent; ``cycle`` is the cycle
  its last beat was accepted on rx.  The model applies it and predicts its
  completion, if any; expected completions queue in order (design.md 2).
* ``irq_accepted(cycle, src, index)`` - an ``irq_valid && irq_ready`` cycle.
* ``tx_tlp(first_cycle, dws)`` - every TLP the device sent; ``first_cycle`` is
  the first cycle its first beat was visible on tx (it may be reported when
  its last beat is seen: requests stamped after ``first_cycle`` are then
  already known, and the checks go by the stamps).
* ``check_quiescent(device_pending=None)`` at the end of a test.

Completions must equal the next expected completion DW for DW.  Error
Messages (Msg ERR_COR/ERR_NONFATAL/ERR_FATAL, design.md 2 "Errors") must
equal the next expected one DW for DW, in order with the completions: a
request's message leaves after its completion and before the completion of
any later request (both take the completion path).  A Memory
Write is an interrupt message: it must belong to a slot (by ADDRESS/DATA and
PASID) that had a request pending and that was eligible, with every header
field right.  The timing rules come from design.md 5:

* requests accepted in cycles ``< p-1`` are merged into a message first seen
  in cycle ``p``; those in cycle ``p-1`` or later leave the slot pending;
* a host write reaches the device up to 8 cycles after the model applied
  it, so inside that window both the older and the newer state are valid
  (a short history of states is kept; states are whole prefixes of the
  write sequence, never a mix the device could not have had);
* an irq request right after a write that changes which store is enabled
  may be routed by either state (kept as an ambiguous request);
* reads of pending bits and counters may see any value those had between
  the read's arrival and its completion.

Round-robin order is not predicted: any eligible slot may go first.
Violations raise :class:`ScoreboardError` naming the TLP and the reason.

Observers (e.g. tb.coverage) register ``listener(event, **info)`` in
``listeners``; events: ``reset`` (cycle), ``rx`` (cycle, dws, completion;
after the model applied the TLP), ``irq`` (cycle, src, index, stable;
before the model applied the request; ``stable``: no write inside the
write-latency window changed the function's state or the target slot),
``message`` (cycle, slot, merged, dws; after the message passed every
check), ``error_message`` (cycle, dws, code; after the check).
"""

from __future__ import annotations

import bisect
from collections import deque
from dataclasses import dataclass, field

from model import tlp
from model.device import DeviceModel
from model.engine import (DROP_DISABLED, DROP_RANGE, GlobalState, make_message,
                          route, why_not_eligible)
from model.params import IMS, MSI, MSIX, Slot
from model.stores import ReadField, SlotState

#: design.md 5: configuration and BAR writes take effect at most 8 cycles
#: after their TLP's last beat was accepted on rx.
WRITE_LATENCY = 8
#: extra cycles of tolerance around that window (monitor stamp vs. edge)
MARGIN = 2

FOREVER = -(1 << 62)
#: cycles after an Initiate FLR write in which the RTL may still take irq
#: requests into the state before the reset (design.md 3: the reset waits
#: for the write's completion to leave and tx to be idle)
FLR_SETTLE = 128


class ScoreboardError(AssertionError):
    """The device did something the model does not allow."""


@dataclass(eq=False)
class _Request:
    """One accepted irq request."""

    cycle: int
    slots: frozenset  # slots it may have set pending
    drops: frozenset  # drop outcomes it may have had (ambiguous routing only)
    taken_by: int | None = None  # number of the message that consumed it
    taken_at: int | None = None  # that message's first cycle
    taken_slot: Slot | None = None
    cancelled: int | None = None  # cycle of a Function Level Reset that cleared it

    @property
    def certain(self) -> bool:
        return len(self.slots) == 1 and not self.drops

    def describe(self) -> str:
        alts = sorted(map(str, self.slots)) + sorted(self.drops)
        return f"request at cycle {self.cycle}" + ("" if self.certain else
                                                   f" (routed to one of: {', '.join(alts)})")


@dataclass
class _ExpectedErrorMessage:
    number: int
    cycle: int
    dws: list[int]
    request: str
    error: str          # what the request logged (model.errors.Outcome.describe)
    after: int          # number of the last completion due before it (0: none)


@dataclass
class _ExpectedCompletion:
    number: int
    cycle: int
    dws: list[int]
    request: str
    fields: list[ReadField]
    bounds: dict = field(default_factory=dict)  # counter name -> [lo, hi]


class Scoreboard:
    def __init__(self, model: DeviceModel, *, write_latency: int = WRITE_LATENCY,
                 log=None):
        """``model`` is reset here: the scoreboard follows it from reset."""
        self.model = model
        self.window = write_latency + MARGIN
        self.log = log
        self.listeners: list = []  # listener(event, **info); kept across reset
        self.reset()

    # ------------------------------------------------------------------
    def reset(self, cycle: int = FOREVER) -> None:
        """Device reset: the model and every record start over."""
        self.model.reset()
        self._vcycle: list[int] = [cycle]
        self._gstate: list[GlobalState] = [self.model.global_state()]
        self._hist: dict[Slot, tuple[list[int], list[SlotState]]] = {}
        self._index: dict[tuple, set[Slot]] = {}
        self._loose_index: dict[tuple, set[Slot]] = {}
        self._reqs: dict[Slot, list[_Request]] = {}
        self._ambiguous: list[_Request] = []
        self._last_take: dict[Slot, tuple[int, int]] = {}  # slot -> (msg no, cycle)
        self._expected: deque[_ExpectedCompletion] = deque()
        self._expected_errors: deque[_ExpectedErrorMessage] = deque()
        self._down = {n: 0 for n in ("drop_range", "drop_disabled", "msg_sent")}
        self._up = dict(self._down)
        self._clear_cycle = {n: FOREVER for n in self._down}
        self.messages_seen = 0
        self.messages_checked = 0
        self.completions_seen = 0
        self.completions_checked = 0
        self.error_messages_expected = 0
        self.error_messages_checked = 0
        self.error_messages_unexpected = 0
        self.requests_seen = 0
        self.irqs_seen = 0
        self.irq_outcomes = {"accepted": 0, DROP_RANGE: 0, DROP_DISABLED: 0, "ambiguous": 0}
        self._flr_cycle = FOREVER
        self._emit("reset", cycle=cycle)

    def _emit(self, event: str, **info) -> None:
        for fn in getattr(self, "listeners", ()):
            fn(event, **info)

    def _debug(self, msg: str) -> None:
        if self.log is not None:
            self.log(msg)

    # ------------------------------------------------------------------
    # State history
    def _slot_hist(self, slot: Slot) -> tuple[list[int], list[SlotState]]:
        h = self._hist.get(slot)
        if h is None:
            h = self._hist[slot] = ([0], [self.model.reset_slot_state(slot)])
        return h

    def _state_at(self, slot: Slot, k: int) -> SlotState:
        h = self._hist.get(slot)
        if h is None:
            return self.model.reset_slot_state(slot)
        return h[1][bisect.bisect_right(h[0], k) - 1]

    def _record_version(self, cycle: int, touched) -> None:
        g = self.model.global_state()
        changed = []
        for slot in touched:
            st = self.model.slot_state(slot)
            if self._slot_hist(slot)[1][-1] != st:
                changed.append((slot, st))
        if g == self._gstate[-1] and not changed:
            return
        k = len(self._vcycle)
        self._vcycle.append(cycle)
        self._gstate.append(g)
        for slot, st in changed:
            vs, states = self._hist[slot]
            vs.append(k)
            states.append(st)
            if slot.store != MSI:
                pasid = st.pasid if st.pasid_en else None
                self._index.setdefault((st.address, st.data, pasid), set()).add(slot)
                self._loose_index.setdefault((st.address, st.data), set()).add(slot)

    def _versions_at(self, cycle: int) -> list[int]:
        """Versions the device may be using in ``cycle``, newest first."""
        k = bisect.bisect_right(self._vcycle, cycle) - 1
        out = [max(k, 0)]
        while k > 0 and self._vcycle[k] >= cycle - self.window:
            k -= 1
            out.append(k)
        return out

    def _since(self, k: int, pred) -> int:
        """Cycle since which ``pred(version)`` has held, looking back from k."""
        while k > 0 and pred(k - 1):
            k -= 1
        return self._vcycle[k]

    # ------------------------------------------------------------------
    # Events
    def rx_request(self, cycle: int, dws: list[int]) -> None:
        self.requests_seen += 1
        m = self.model
        cpl = m.request(dws)
        if m.last_flr:
            # every slot the model reset: record their new (reset) state
            self._record_version(cycle, m.last_touched | set(self._hist) | set(self._reqs))
            self._cancel_requests(cycle)
        elif m.last_changed or m.last_touched:
            self._record_version(cycle, m.last_touched)
        for name in m.last_cleared:
            self._clear_cycle[name] = cycle
            self._down[name] = self._up[name] = 0
        if self.listeners:
            self._emit("rx", cycle=cycle, dws=dws, completion=cpl)
        if cpl is not None:
            self._expect_completion(cycle, dws, cpl)
        for msg in m.last_messages:
            assert m.last_outcome is not None  # logged with every Error Message
            self.error_messages_expected += 1
            self._expected_errors.append(_ExpectedErrorMessage(
                self.error_messages_expected, cycle, list(msg), tlp.describe(dws),
                m.last_outcome.describe(), self.completions_seen))

    def _cancel_requests(self, cycle: int) -> None:
        """A Function Level Reset clears every pending bit (design.md 3): the
        requests not yet sent are cancelled; a message may still take one
        inside the write-latency window (the gates close with the write)."""
        self._flr_cycle = cycle
        for reqs in self._reqs.values():
            for q in reqs:
                if q.taken_by is None and q.cancelled is None:
                    q.cancelled = cycle
        self._ambiguous = [q for q in self._ambiguous if q.cancelled is None]

    def _expect_completion(self, cycle: int, dws: list[int], cpl: list[int]) -> None:
        m = self.model
        self.completions_seen += 1
        exp = _ExpectedCompletion(self.completions_seen, cycle, cpl, tlp.describe(dws),
                                  list(m.last_read_fields))
        c = tlp.parse_completion(cpl)
        for f in exp.fields:
            if f.kind == "counter":
                assert isinstance(f.key, str)  # a counter's name
                v = c.data[f.dw]
                exp.bounds[f.key] = [max(v - self._down[f.key], 0), v + self._up[f.key]]
        self._expected.append(exp)

    def irq_accepted(self, cycle: int, src: int, index: int) -> str:
        """Record one accepted irq request; returns the model's outcome."""
        self.irqs_seen += 1
        if self.listeners:
            self._emit("irq", cycle=cycle, src=src, index=index,
                       stable=self._routing_stable(cycle, src, index))
        outcome = self.model.irq(src, index)
        params = self.model.params
        cands = {route(params, self._gstate[k], src, index) for k in self._versions_at(cycle)}
        slots = frozenset(c for c in cands if isinstance(c, Slot))
        drops = frozenset(c for c in cands if not isinstance(c, Slot))
        if len(cands) == 1:
            self.irq_outcomes["accepted" if slots else outcome] += 1
        else:
            self.irq_outcomes["ambiguous"] += 1
        if slots:
            req = _Request(cycle, slots, drops if len(cands) > 1 else frozenset())
            for s in slots:
                self._reqs.setdefault(s, []).append(req)
                if req.certain:
                    self._compact(s)
            if not req.certain:
                self._ambiguous.append(req)
        for name in (DROP_RANGE, DROP_DISABLED):
            counted = outcome == name
            possible = name in drops
            if counted and (len(cands) > 1 or cycle <= self._clear_cycle[name] + self.window
                            or cycle <= self._flr_cycle + FLR_SETTLE):
                self._down[name] += 1
            elif not counted and possible:
                self._up[name] += 1
            if counted or possible:
                self._widen(name)
        return outcome

    def _routing_stable(self, cycle: int, src: int, index: int) -> bool:
        """No write inside the write-latency window changed the function's
        state or the state of the slot this request goes to."""
        vs = self._versions_at(cycle)
        g = self._gstate[vs[0]]
        if any(self._gstate[k] != g for k in vs[1:]):
            return False
        where = route(self.model.params, g, src, index)
        if not isinstance(where, Slot):
            return True
        st = self._state_at(where, vs[0])
        return all(self._state_at(where, k) == st for k in vs[1:])

    def _compact(self, slot: Slot, limit: int = 64, keep: int = 32) -> None:
        """Bound the records of a slot that keeps receiving requests while it
        cannot send (e.g. masked): of its unsent certain requests keep the
        oldest and the newest ``keep``; the ones between change nothing the
        merge rule can tell (the slot is pending throughout)."""
        reqs = self._reqs[slot]
        open_ = [q for q in reqs if q.taken_by is None and q.certain]
        if len(open_) <= limit:
            return
        drop = set(map(id, open_[1:len(open_) - keep]))
        self._reqs[slot] = [q for q in reqs if id(q) not in drop]

    def _widen(self, name: str) -> None:
        for exp in self._expected:
            if name in exp.bounds:
                exp.bounds[name][1] += 1

    def tx_tlp(self, first_cycle: int, dws: list[int]) -> None:
        dws = list(dws)
        if tlp.is_completion(dws):
            self._check_completion(first_cycle, dws)
            return
        if tlp.is_msg(dws):
            self._check_error_message(first_cycle, dws)
            return
        try:
            r = tlp.parse_request(dws)
        except tlp.TlpError as e:
            raise ScoreboardError(f"device sent an undecodable TLP at cycle {first_cycle}: {e}") from e
        if r.type == tlp.TYPE_MEM and r.has_data:
            self._check_message(first_cycle, dws)
            return
        raise ScoreboardError(f"device sent a TLP that is neither a completion, an Error "
                              f"Message nor an interrupt message at cycle {first_cycle}: "
                              f"{tlp.describe(dws)}")

    # ------------------------------------------------------------------
    # Completions
    def _pending_values(self, slot: Slot, r: int, t: int) -> set[bool]:
        reqs = self._reqs.get(slot, [])
        if any(not q.certain and q.taken_slot != slot and
               (q.taken_at is None or q.taken_at >= r - 2) for q in reqs):
            return {False, True}
        mine = [q for q in reqs if q.certain or q.taken_slot == slot]

        def pending(x: int) -> bool:
            return any(q.cycle + 1 <= x and (q.taken_at is None or q.taken_at > x)
                       and (q.cancelled is None or x < q.cancelled) for q in mine)

        points = {r - 2}
        for q in mine:
            for x in (q.cycle + 1, q.taken_at, q.cancelled):
                if x is not None and r - 2 < x <= t:
                    points.add(x)
        return {pending(x) for x in points}

    def _check_completion(self, t: int, dws: list[int]) -> None:
        got = tlp.parse_completion(dws)
        if not self._expected:
            raise ScoreboardError(f"unexpected completion at cycle {t} (no request is "
                                  f"waiting for one): {tlp.describe(dws)}")
        exp = self._expected.popleft()
        late = self._expected_errors[0] if self._expected_errors else None
        if late is not None and late.after < exp.number:
            raise ScoreboardError(
                f"completion #{exp.number} at cycle {t} for {exp.request} (request at "
                f"cycle {exp.cycle}) came before error message #{late.number} "
                f"{tlp.describe(late.dws)}, due for the earlier {late.request} (request at "
                f"cycle {late.cycle}: {late.error}); a request's Error Message leaves "
                f"before the next request's completion (design.md 2)")
        want = tlp.parse_completion(exp.dws)
        probs = []
        for name in ("fmt", "type", "tc", "attr", "td", "ep", "length_field",
                     "completer_id", "status", "bcm", "byte_count", "requester_id",
                     "tag", "lower_address"):
            g, w = getattr(got, name), getattr(want, name)
            if g != w:
                if name == "status":
                    probs.append(f"status {got.status_name}, expected {want.status_name}")
                else:
                    probs.append(f"{name.replace('_', ' ')} 0x{g:x}, expected 0x{w:x}")
        if len(got.data) != len(want.data):
            probs.append(f"{len(got.data)} data DWs, expected {len(want.data)}")
        else:
            for i, (g, w) in enumerate(zip(got.data, want.data)):
                fields = [f for f in exp.fields if f.dw == i]
                exact = 0xFFFFFFFF
                for f in fields:
                    exact &= ~f.mask
                if (g ^ w) & exact:
                    probs.append(f"data DW{i} 0x{g:08x}, expected 0x{w:08x}")
                    continue
                for f in fields:
                    if f.kind == "counter":
                        lo, hi = exp.bounds[f.key]
                        if not lo <= g <= hi:
                            rng = f"{lo}" if lo == hi else f"{lo}..{hi}"
                            probs.append(f"data DW{i}: counter {f.key} reads {g}, expected {rng}")
                    elif f.kind == "pending":
                        assert isinstance(f.key, Slot)  # the pending bit's slot
                        bit = bool(g & f.mask)
                        if bit not in self._pending_values(f.key, exp.cycle, t):
                            probs.append(f"data DW{i}: pending bit of {f.key} reads "
                                         f"{int(bit)}, expected {int(not bit)}")
        if probs:
            raise ScoreboardError(
                f"completion #{exp.number} at cycle {t} for {exp.request} "
                f"(request at cycle {exp.cycle}): " + "; ".join(probs) +
                f"\n  got:      {tlp.describe(dws)}\n  expected: {tlp.describe(exp.dws)}")
        self.completions_checked += 1

    # ------------------------------------------------------------------
    # Error Messages (design.md 2 "Errors")
    def _check_error_message(self, t: int, dws: list[int]) -> None:
        if not self._expected_errors:
            self.error_messages_unexpected += 1
            last = self.model.last_outcome
            hint = (f"; the last rx TLP logged {last.describe()}" if last is not None
                    else "; no rx TLP logged an error since reset")
            raise ScoreboardError(f"unexpected Error Message at cycle {t} (no request made "
                                  f"one due): {tlp.describe(dws)}{hint}")
        exp = self._expected_errors[0]
        if self.completions_checked < exp.after:
            e = self._expected[0]
            raise ScoreboardError(
                f"error message #{exp.number} at cycle {t} ({tlp.describe(dws)}) came before "
                f"completion #{e.number} for {e.request} (request at cycle {e.cycle}); it "
                f"leaves after the completion of its own request, {exp.request} "
                f"(design.md 2)")
        self._expected_errors.popleft()
        if dws != exp.dws:
            got, want = tlp.parse_msg(dws), tlp.parse_msg(exp.dws)
            probs = []
            for name in ("fmt", "type", "tc", "attr", "th", "td", "ep", "at", "length_field",
                         "requester_id", "tag", "code", "dw2", "dw3"):
                g, w = getattr(got, name), getattr(want, name)
                if g != w:
                    if name == "code":
                        probs.append(f"{got.code_name}, expected {want.code_name}")
                    else:
                        probs.append(f"{name.replace('_', ' ')} 0x{g:x}, expected 0x{w:x}")
            if got.wire_dws != 4:
                probs.append(f"{got.wire_dws} DWs, an Error Message has 4")
            raise ScoreboardError(
                f"error message #{exp.number} at cycle {t} for {exp.request} (request at "
                f"cycle {exp.cycle}, which logged {exp.error}): " + "; ".join(probs) +
                f"\n  got:      {tlp.describe(dws)}\n  expected: {tlp.describe(exp.dws)}")
        self.error_messages_checked += 1
        if self.listeners:
            self._emit("error_message", cycle=t, dws=dws, code=tlp.parse_msg(dws).code)

    # ------------------------------------------------------------------
    # Messages
    def _format_problems(self, m: tlp.MemWrite) -> list[str]:
        probs = []
        if m.length_field != 1:
            probs.append(f"Length {m.length_field}, must be 1")
        if len(m.data) != 1 or m.wire_dws != (4 if m.fmt == tlp.FMT_3DW_DATA else 5):
            probs.append(f"{m.wire_dws} DWs after the prefixes, a 1-DW write has "
                         f"{4 if m.fmt == tlp.FMT_3DW_DATA else 5}")
        if m.first_be != 0xF:
            probs.append(f"First BE {m.first_be:04b}b, must be 1111b")
        if m.last_be != 0:
            probs.append(f"Last BE {m.last_be:04b}b, must be 0000b")
        if m.fmt == tlp.FMT_4DW_DATA and m.address < 1 << 32:
            probs.append("4DW header for an address below 4 GiB (PCIe 2.2.4.1)")
        if m.raw_address_low & 3:
            probs.append("address bits 1:0 (reserved) are not 0")
        for name in ("tc", "attr", "td", "ep", "th", "at", "tag"):
            if getattr(m, name):
                probs.append(f"{name.upper()} {getattr(m, name)}, must be 0")
        for p in m.prefixes:
            if p & 0xFFF00000 != tlp.PASID_PREFIX:
                probs.append(f"prefix 0x{p:08x} is not a PASID prefix 0x91000000|PASID")
        if len(m.prefixes) > 1:
            probs.append(f"{len(m.prefixes)} prefixes, at most one PASID prefix")
        return probs

    def _candidates(self, versions, address: int, data: int | None, pasid) -> set[Slot]:
        cands = set(self._index.get((address, data, pasid), ()))
        if pasid is None:
            for i in range(self.model.params.msi_vectors):
                s = Slot(MSI, i)
                for k in versions:
                    msg = make_message(self._gstate[k], s, self._state_at(s, k))
                    if (msg.address, msg.data) == (address, data):
                        cands.add(s)
        return cands

    def _check_message(self, p: int, dws: list[int]) -> None:
        self.messages_seen += 1
        n = self.messages_seen
        try:
            m = tlp.parse_mem_write(dws)
        except tlp.TlpError as e:
            raise ScoreboardError(f"message #{n} at cycle {p}: {e}") from e
        data = m.data[0] if m.data else None
        pasid = m.pasid
        label = (f"message #{n} to 0x{m.address:016x} data "
                 + (f"0x{data:08x}" if data is not None else "<none>")
                 + (f" PASID 0x{pasid:05x}" if pasid is not None else "")
                 + f" (cycle {p})")
        probs = self._format_problems(m)
        if probs:
            raise ScoreboardError(f"{label}: " + "; ".join(probs))
        versions = self._versions_at(p)
        cands = self._candidates(versions, m.address, data, pasid)
        if not cands:
            raise ScoreboardError(f"{label}: matches no slot's ADDRESS/DATA"
                                  + self._no_match_hint(m.address, data, pasid))
        reasons = []
        ok = []
        for s in sorted(cands):
            why, usable = self._why_not(s, versions, p, m, data, pasid)
            if why is None:
                ok.append((s, usable))
            else:
                reasons.append(why)
        if not ok:
            raise ScoreboardError(f"{label}: " + "; ".join(reasons))
        # Prefer a slot with certain requests, else resolve an ambiguous one.
        ok.sort(key=lambda su: not any(q.certain for q in su[1]))
        slot, usable = ok[0]
        certain = [q for q in usable if q.certain]
        taken = certain if certain else usable[:1]
        for q in taken:
            q.taken_by, q.taken_at, q.taken_slot = n, p, slot
            if not q.certain:
                self._resolve(q, slot)
        self._prune(slot)
        self._last_take[slot] = (n, max(p, self._last_take.get(slot, (0, FOREVER))[1]))
        self.model.set_pending(slot, any(q.taken_by is None and q.certain and q.cancelled is None
                                         for q in self._reqs.get(slot, [])))
        self.model.count("msg_sent")
        if p <= self._clear_cycle["msg_sent"] + self.window:
            self._down["msg_sent"] += 1
        self._widen("msg_sent")
        self.messages_checked += 1
        if self.listeners:
            self._emit("message", cycle=p, slot=slot, merged=len(taken), dws=dws)
        self._debug(f"{label}: {slot} ({len(taken)} request(s) merged)")

    def _resolve(self, q: _Request, slot: Slot) -> None:
        for s in q.slots:
            if s != slot and q in self._reqs.get(s, []):
                self._reqs[s].remove(q)
        if q in self._ambiguous:
            self._ambiguous.remove(q)
        q.slots, q.drops = frozenset([slot]), frozenset()

    def _prune(self, slot: Slot, keep: int = 32) -> None:
        reqs = self._reqs.get(slot, [])
        done = [q for q in reqs if q.taken_by is not None]
        if len(done) > keep:
            drop = set(map(id, done[:len(done) - keep]))
            self._reqs[slot] = [q for q in reqs if id(q) not in drop]

    def _why_not(self, s: Slot, versions, p: int, m: tlp.MemWrite, data: int | None, pasid):
        """(None, usable requests) if slot ``s`` may have sent this message,
        else (reason, [])."""
        reqs = self._reqs.get(s, [])
        usable = [q for q in reqs if q.taken_by is None and q.cycle < p - 1
                  and (q.cancelled is None or p <= q.cancelled + self.window)]
        if not usable:
            late = [q for q in reqs if q.taken_by is None and q.cycle >= p - 1]
            done = [q for q in reqs if q.taken_by is not None]
            gone = [q for q in reqs if q.taken_by is None and q.cancelled is not None]
            if gone:
                return (f"{s} had no pending request: its {gone[-1].describe()} was cleared "
                        f"by the Function Level Reset at cycle {gone[-1].cancelled}"), []
            if late:
                return (f"{s} had no pending request: its {late[0].describe()} is too late "
                        f"for a message first seen at cycle {p} (requests in cycle p-1 "
                        f"or later stay pending, design.md 5)"), []
            if done:
                q = done[-1]
                return (f"{s} had no pending request: its last {q.describe()} was "
                        f"already sent as message #{q.taken_by} (cycle {q.taken_at}) "
                        f"- duplicate message"), []
            return f"{s} had no pending request (no irq request for it was accepted)", []
        reasons = []
        for k in versions:
            g, st = self._gstate[k], self._state_at(s, k)
            msg = make_message(g, s, st)
            if (msg.address, msg.data, msg.pasid) != (m.address, data, pasid):
                vs, _ = self._hist.get(s, ([0], None))
                changed = self._vcycle[vs[bisect.bisect_right(vs, k) - 1]]
                reasons.append(f"{s} holds 0x{msg.address:016x}/0x{msg.data:08x}"
                               + (f" PASID 0x{msg.pasid:05x}" if msg.pasid is not None else "")
                               + (f" since cycle {changed}" if changed > FOREVER else ""))
                continue
            why = why_not_eligible(g, s, st)
            if why is not None:
                reasons.append(f"{why} ({self._why_since(s, k, why)})")
                continue
            if g.requester_id != m.requester_id:
                reasons.append(f"Requester ID 0x{m.requester_id:04x}, expected "
                               f"0x{g.requester_id:04x} (captured bus {g.bus} device "
                               f"{g.device})")
                continue
            return None, usable
        # Report the newest state's reason first: that is the one in force.
        return "; ".join(dict.fromkeys(reasons)), []

    def _why_since(self, s: Slot, k: int, why: str) -> str:
        def still(j: int) -> bool:
            return why_not_eligible(self._gstate[j], s, self._state_at(s, j)) == why
        c = self._since(k, still)
        if c == FOREVER:
            return "since reset"
        verb = "masked" if "masked" in why else "changed"
        return f"{verb} at cycle {c}"

    def _no_match_hint(self, address: int, data: int | None, pasid) -> str:
        hints = []
        loose = self._loose_index.get((address, data), set())
        for s in sorted(loose):
            st = self.model.slot_state(s)
            hints.append(f"{s} has this ADDRESS/DATA with PASID "
                         + (f"0x{st.pasid:05x}" if st.pasid_en else "disabled"))
        pend = sorted(s for s, reqs in self._reqs.items()
                      if any(q.taken_by is None for q in reqs))
        for s in pend[:6]:
            msg = make_message(self.model.global_state(), s, self.model.slot_state(s))
            hints.append(f"pending {s}: 0x{msg.address:016x}/0x{msg.data:08x}"
                         + (f" PASID 0x{msg.pasid:05x}" if msg.pasid is not None else ""))
        if not pend:
            hints.append("no slot is pending")
        return " (" + "; ".join(hints) + ")"

    # ------------------------------------------------------------------
    # End of test
    def expected_pending(self) -> set[Slot]:
        """Slots with a certain request not yet sent."""
        return {s for s, reqs in self._reqs.items()
                if any(q.taken_by is None and q.certain and q.cancelled is None for q in reqs)}

    def uncertain_slots(self) -> set[Slot]:
        """Slots an unresolved ambiguous request may have set pending."""
        return {s for q in self._ambiguous for s in q.slots}

    def _eligible_now(self, s: Slot) -> bool:
        k = len(self._vcycle) - 1
        return why_not_eligible(self._gstate[k], s, self._state_at(s, k)) is None

    def _was_eligible_since(self, s: Slot, cycle: int) -> bool:
        """Was ``s`` eligible after ``cycle`` in a state that held for the
        write latency and a margin (or holds now), so that the RTL had to send a
        request pending on it?"""
        last = len(self._vcycle) - 1
        for k in range(last, -1, -1):
            start = self._vcycle[k]
            end = self._vcycle[k + 1] if k < last else None
            if end is not None and end <= cycle:
                break
            long_enough = end is None or end - max(start, cycle) >= self.window
            if long_enough and why_not_eligible(self._gstate[k], s,
                                                self._state_at(s, k)) is None:
                return True
        return False

    def eligible_slots(self) -> set[Slot]:
        """Pending slots that are eligible in the newest state: messages due."""
        return {s for s in self.expected_pending() if self._eligible_now(s)}

    @property
    def outstanding_completions(self) -> int:
        return len(self._expected)

    @property
    def outstanding_error_messages(self) -> int:
        return len(self._expected_errors)

    def check_quiescent(self, device_pending=None) -> None:
        """Raise if a message is missing (a pending slot is eligible), if a
        completion is outstanding, or if ``device_pending`` (an iterable of
        Slot or (store, index)) differs from the expected pending slots."""
        probs = []
        if self._expected:
            e = self._expected[0]
            probs.append(f"{len(self._expected)} completion(s) never arrived; the first is "
                         f"for {e.request} (request at cycle {e.cycle})")
        if self._expected_errors:
            em = self._expected_errors[0]
            probs.append(f"{len(self._expected_errors)} Error Message(s) never arrived; the "
                         f"first is {tlp.describe(em.dws)} for {em.request} (request at cycle "
                         f"{em.cycle}, which logged {em.error})")
        for s in sorted(self.eligible_slots()):
            q = next(q for q in self._reqs[s]
                     if q.taken_by is None and q.certain and q.cancelled is None)
            st = self.model.slot_state(s)
            msg = make_message(self.model.global_state(), s, st)
            probs.append(f"missing message for {s}: {q.describe()} is still pending and "
                         f"the slot is eligible (0x{msg.address:016x}/0x{msg.data:08x})")
        for q in self._ambiguous:
            # MSI and MSI-X are never eligible together (PCIe 7.7.1.2), so
            # a request that may have gone to either is missing when each
            # of its slots has been eligible long enough since it
            if q.drops or any(not self._was_eligible_since(s, q.cycle) for s in q.slots):
                continue
            if any(self._last_take.get(s, (0, FOREVER))[1] > q.cycle + 1 for s in q.slots):
                continue  # may have merged into a later message of one of its slots
            probs.append(f"missing message for {q.describe()}: every slot it may have "
                         f"gone to has been eligible since")
        if device_pending is not None:
            got = {Slot(*s) for s in device_pending}
            want = self.expected_pending()
            unknown = self.uncertain_slots()
            extra = sorted(got - want - unknown)
            missing = sorted(want - got - unknown)
            if extra:
                probs.append("device reports pending but no request is pending: "
                             + ", ".join(map(str, extra)))
            if missing:
                probs.append("device does not report pending: "
                             + ", ".join(map(str, missing)))
        if probs:
            raise ScoreboardError("not quiescent: " + "\n  ".join(probs))

    def summary(self) -> str:
        o = self.irq_outcomes
        return (f"scoreboard: {self.messages_checked} messages and "
                f"{self.completions_checked} completions and "
                f"{self.error_messages_checked} Error Messages checked "
                f"({self.error_messages_unexpected} unexpected); "
                f"{self.requests_seen} rx TLPs; {self.irqs_seen} irq requests "
                f"({o['accepted']} to a slot, {o[DROP_RANGE]} out of range, "
                f"{o[DROP_DISABLED]} with no store enabled, {o['ambiguous']} ambiguous); "
                f"{len(self.expected_pending())} slots pending, "
                f"{len(self._expected)} completions and {len(self._expected_errors)} "
                f"Error Messages outstanding")


__all__ = ["Scoreboard", "ScoreboardError", "WRITE_LATENCY", "IMS", "MSIX", "MSI"]
