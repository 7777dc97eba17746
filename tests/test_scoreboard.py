"""The scoreboard accepts what design.md allows and rejects what it forbids.

A second, independent DeviceModel plays the device: its completions and
messages are fed to the scoreboard, correct or deliberately broken.
"""

import pytest

from model import DeviceModel, Slot, tlp
from model.host import ModelHost
from tb.scoreboard import Scoreboard, ScoreboardError

BAR0 = 0xF000_0000
MSIX_ADDR = 0xFEE0_1000


class Bench:
    """Host -> (scoreboard, stand-in device) with a cycle counter."""

    def __init__(self, msi=4, msix=64, ims=256):
        self.dut = DeviceModel(msi, msix, ims)
        self.sb = Scoreboard(DeviceModel(msi, msix, ims))
        self.cycle = 100
        self.host = ModelHost(self.dut, bar0=BAR0, sink=self.send)
        self.host.enumerate(bus=3, device=1)

    def wait(self, n=20):
        self.cycle += n

    def send(self, dws, mutate=None, messages=True):
        """One rx TLP; its completion (if any) leaves 3 cycles later, then
        its Error Message (if any; ``messages=False`` holds them back in
        ``held``)."""
        self.cycle += 1
        self.sb.rx_request(self.cycle, dws)
        cpl = self.dut.request(dws)
        if cpl is not None:
            self.cycle += 3
            if mutate:
                cpl = mutate(list(cpl))
            self.sb.tx_tlp(self.cycle, cpl)
        self.held = list(self.dut.last_messages)
        if messages:
            for msg in self.held:
                self.cycle += 1
                self.sb.tx_tlp(self.cycle, msg)
        return cpl

    def irq(self, src, index, at=None):
        self.cycle = at if at is not None else self.cycle + 1
        self.sb.irq_accepted(self.cycle, src, index)
        return self.dut.irq(src, index)

    def message(self, slot, at=None, mutate=None):
        """The stand-in device takes ``slot`` and the message shows at ``at``."""
        self.cycle = at if at is not None else self.cycle + 2
        dws = self.dut.take(slot).dws()
        if mutate:
            dws = mutate(list(dws))
        self.sb.tx_tlp(self.cycle, dws)

    def raw_message(self, dws, at=None):
        self.cycle = at if at is not None else self.cycle + 2
        self.sb.tx_tlp(self.cycle, dws)

    def msix_ready(self, entries=(0, 1, 2, 3)):
        self.host.msix_control(enable=True)
        for i in entries:
            self.host.msix_entry(i, MSIX_ADDR + 16 * i, 0x20 + i)
        self.wait()


def test_happy_path_all_stores():
    b = Bench()
    b.msix_ready()
    b.host.ims_enable()
    b.host.pasid_enable()
    b.host.ims_entry(9, 0x1_0000_2000, 0xABCD, pasid=0x55)
    b.wait()
    for i in (0, 1, 2):
        b.irq(0, i)
    b.irq(1, 9)
    b.irq(0, 1)  # merges with the pending request of entry 1
    b.wait(5)
    for s in (Slot("msix", 2), Slot("ims", 9), Slot("msix", 0), Slot("msix", 1)):
        b.message(s)  # any order is fine: round robin is not predicted
    assert b.host.rd(0x038) == 4  # MSG_SENT read back through a checked completion
    b.wait()
    b.sb.check_quiescent(device_pending=b.dut.expected_pending())
    assert b.sb.messages_checked == 4
    assert b.sb.completions_checked >= 4  # config writes and the read
    assert "4 messages" in b.sb.summary()


def test_msi_multi_message_data():
    b = Bench(msi=8, msix=0, ims=0)
    b.host.msi_setup(0xFEE0_0000, 0x4320, mme=3)
    b.wait()
    b.irq(0, 5)
    b.wait(3)
    b.message(Slot("msi", 5))  # data 0x4325
    b.irq(0, 6)
    b.wait(3)
    with pytest.raises(ScoreboardError, match=r"data 0x00004325.*MSI vector 5 had no "
                                              r"pending request.*duplicate"):
        # the vector number must replace the low MME bits: 6, not 5
        b.message(Slot("msi", 6), mutate=lambda d: d[:-1] + [0x4325])


def test_merge_boundary_p_minus_2_merges_p_minus_1_stays_pending():
    b = Bench()
    b.msix_ready()
    b.irq(0, 0, at=1000)
    b.irq(0, 0, at=1001)  # accepted in p-1: registered at the take edge, stays pending
    b.message(Slot("msix", 0), at=1002)
    assert b.sb.expected_pending() == {Slot("msix", 0)}
    with pytest.raises(ScoreboardError, match=r"missing message for MSI-X entry 0: "
                                              r"request at cycle 1001"):
        b.sb.check_quiescent()
    # the stand-in device does not model the set-wins edge: send by hand
    b.raw_message(tlp.build_mem_write(requester_id=0x0308, address=MSIX_ADDR, data=0x20),
                  at=1010)
    b.sb.check_quiescent()


def test_message_for_request_in_cycle_p_minus_1_is_rejected():
    b = Bench()
    b.msix_ready()
    b.irq(0, 1, at=500)
    with pytest.raises(ScoreboardError, match=r"message #1 to 0x00000000fee01010 "
                                              r"data 0x00000021 \(cycle 501\): MSI-X entry 1 "
                                              r"had no pending request: its request at "
                                              r"cycle 500 is too late"):
        b.message(Slot("msix", 1), at=501)


def test_late_reported_message_uses_stamps():
    # The monitor reports a message at its last beat; a request stamped after
    # the message's first cycle is already known and must stay pending.
    b = Bench()
    b.msix_ready()
    b.irq(0, 3, at=700)
    b.irq(0, 3, at=705)
    b.message(Slot("msix", 3), at=704)
    assert b.sb.expected_pending() == {Slot("msix", 3)}


def test_wrong_data():
    b = Bench()
    b.msix_ready()
    b.irq(0, 2)
    b.wait(3)
    with pytest.raises(ScoreboardError) as e:
        b.message(Slot("msix", 2), mutate=lambda d: d[:-1] + [0x99])
    msg = str(e.value)
    assert "message #1 to 0x00000000fee01020 data 0x00000099" in msg
    assert "matches no slot's ADDRESS/DATA" in msg
    assert "pending MSI-X entry 2: 0x00000000fee01020/0x00000022" in msg


def test_wrong_address():
    b = Bench()
    b.msix_ready()
    b.irq(0, 2)
    b.wait(3)
    with pytest.raises(ScoreboardError, match="to 0x00000000fee01024 .* matches no slot"):
        b.message(Slot("msix", 2), mutate=lambda d: d[:2] + [d[2] + 4, d[3]])


def test_masked_slot():
    b = Bench()
    b.msix_ready()
    b.host.mem_write(0x10000 + 16 * 1 + 12, 1)  # mask entry 1
    masked_at = b.cycle
    b.wait(30)
    b.irq(0, 1)
    b.wait(3)
    with pytest.raises(ScoreboardError,
                       match=rf"message #1 to 0x00000000fee01010 data 0x00000021 "
                             rf"\(cycle \d+\): MSI-X entry 1 is masked "
                             rf"\(masked at cycle {masked_at}\)"):
        b.raw_message(tlp.build_mem_write(requester_id=0x0308, address=0xFEE0_1010,
                                          data=0x21))


def test_mask_write_window_accepts_old_state():
    b = Bench()
    b.msix_ready()
    b.irq(0, 1)
    b.wait(3)
    b.host.mem_write(0x10000 + 16 * 1 + 12, 1)  # host masks entry 1 ...
    # ... but the device may still see the unmasked entry for 8 cycles
    b.raw_message(tlp.build_mem_write(requester_id=0x0308, address=0xFEE0_1010, data=0x21),
                  at=b.cycle + 5)
    assert b.sb.messages_checked == 1


def test_data_change_window():
    b = Bench()
    b.msix_ready()
    b.irq(0, 0)
    b.wait(3)
    b.host.mem_write(0x10008, 0x77)  # new DATA for entry 0
    w = b.cycle
    b.raw_message(tlp.build_mem_write(requester_id=0x0308, address=MSIX_ADDR, data=0x20),
                  at=w + 4)  # old DATA inside the window: fine
    b.irq(0, 0)
    b.wait(30)
    with pytest.raises(ScoreboardError, match=rf"MSI-X entry 0 holds "
                                              rf"0x00000000fee01000/0x00000077 since cycle {w}"):
        b.raw_message(tlp.build_mem_write(requester_id=0x0308, address=MSIX_ADDR, data=0x20))


def test_duplicate():
    b = Bench()
    b.msix_ready()
    b.irq(0, 3)
    b.wait(3)
    b.message(Slot("msix", 3))
    dws = tlp.build_mem_write(requester_id=0x0308, address=MSIX_ADDR + 48, data=0x23)
    with pytest.raises(ScoreboardError, match=r"message #2 .*already sent as message #1 .*"
                                              r"duplicate"):
        b.raw_message(dws)


def test_no_request_at_all():
    b = Bench()
    b.msix_ready()
    with pytest.raises(ScoreboardError, match="MSI-X entry 1 had no pending request"):
        b.raw_message(tlp.build_mem_write(requester_id=0x0308, address=0xFEE0_1010,
                                          data=0x21))


def test_4dw_header_for_low_address():
    b = Bench()
    b.msix_ready()
    b.irq(0, 0)
    b.wait(3)
    dws = [0x6000_0001, 0x0308_000F, 0, MSIX_ADDR, 0x20]
    with pytest.raises(ScoreboardError, match=r"4DW header for an address below 4 GiB"):
        b.raw_message(dws)


@pytest.mark.parametrize("field,mutate,pattern", [
    ("fbe", lambda d: [d[0], d[1] & ~0xF | 0x7] + d[2:], "First BE 0111b"),
    ("lbe", lambda d: [d[0], d[1] | 0xF0] + d[2:], "Last BE 1111b"),
    ("tag", lambda d: [d[0], d[1] | 0x500] + d[2:], "TAG 5"),
    ("tc", lambda d: [d[0] | 0x100000] + d[1:], "TC 1"),
    ("length", lambda d: [d[0] + 1] + d[1:] + [0], "Length 2"),
    ("addr_bits", lambda d: d[:2] + [d[2] | 1] + d[3:], "address bits 1:0"),
])
def test_header_fields(field, mutate, pattern):
    b = Bench()
    b.msix_ready()
    b.irq(0, 0)
    b.wait(3)
    with pytest.raises(ScoreboardError, match=pattern):
        b.message(Slot("msix", 0), mutate=mutate)


def test_requester_id_must_be_captured_bdf():
    b = Bench()
    b.msix_ready()
    b.irq(0, 0)
    b.wait(3)
    with pytest.raises(ScoreboardError, match=r"Requester ID 0x0000, expected 0x0308"):
        b.message(Slot("msix", 0), mutate=lambda d: [d[0], d[1] & 0xFFFF] + d[2:])


@pytest.mark.parametrize("what,pattern", [
    ("bme", "Bus Master Enable is clear"),
    ("function_mask", "Function Mask is set"),
    ("msix_enable", "MSI-X Enable is clear"),
])
def test_not_eligible_global(what, pattern):
    b = Bench()
    b.msix_ready()
    b.irq(0, 0)
    if what == "bme":
        b.host.set_bme(False)
    elif what == "function_mask":
        b.host.msix_control(enable=True, function_mask=True)
    else:
        b.host.msix_control(enable=False)
    b.wait(30)
    dws = tlp.build_mem_write(requester_id=0x0308, address=MSIX_ADDR, data=0x20)
    with pytest.raises(ScoreboardError, match=pattern):
        b.raw_message(dws)
    # the request is still pending but not eligible: quiescent is fine
    b.sb.check_quiescent(device_pending=[("msix", 0)])


def test_ims_pasid_prefix_required():
    b = Bench()
    b.host.ims_enable()
    b.host.pasid_enable()
    b.host.ims_entry(4, 0xFEE0_4000, 0x44, pasid=0x321)
    b.wait()
    b.irq(1, 4)
    b.wait(3)
    with pytest.raises(ScoreboardError, match=r"matches no slot.*IMS entry 4 has this "
                                              r"ADDRESS/DATA with PASID 0x00321"):
        b.message(Slot("ims", 4), mutate=lambda d: d[1:])  # prefix dropped


def test_ims_disabled_store():
    b = Bench()
    b.host.ims_enable()
    b.host.ims_entry(4, 0xFEE0_4000, 0x44)
    b.wait()
    b.irq(1, 4)
    b.host.ims_enable(False)
    b.wait(30)
    with pytest.raises(ScoreboardError, match=r"IMS_CTRL.Enable is clear \(changed at cycle"):
        b.raw_message(tlp.build_mem_write(requester_id=0x0308, address=0xFEE0_4000,
                                          data=0x44))


def test_missing_message_at_quiescence():
    b = Bench()
    b.msix_ready()
    b.irq(0, 2)
    b.wait(50)
    with pytest.raises(ScoreboardError, match=r"missing message for MSI-X entry 2: request "
                                              r"at cycle \d+ is still pending and the slot "
                                              r"is eligible \(0x00000000fee01020/0x00000022\)"):
        b.sb.check_quiescent()


def test_device_pending_mismatch():
    b = Bench()
    b.msix_ready()
    b.host.mem_write(0x1001C, 1)  # mask entry 1
    b.irq(0, 1)
    b.wait()
    b.sb.check_quiescent(device_pending={Slot("msix", 1)})
    with pytest.raises(ScoreboardError, match="device does not report pending: MSI-X entry 1"):
        b.sb.check_quiescent(device_pending=[])
    with pytest.raises(ScoreboardError, match="device reports pending but no request is "
                                              "pending: MSI-X entry 7"):
        b.sb.check_quiescent(device_pending=[("msix", 1), ("msix", 7)])


def set_status(d, status):
    d[1] = d[1] & ~(7 << 13) | status << 13
    return d


def test_wrong_completion_status():
    b = Bench()
    with pytest.raises(ScoreboardError, match=r"completion #\d+ at cycle \d+ for CfgRd0 03:01.2 reg 0x000 .*"
                                              r"status CA, expected UR"):
        b.send(tlp.build_cfg(False, bus=3, device=1, function=2, register=0),
               mutate=lambda d: set_status(d, tlp.CPL_CA))


def test_wrong_completion_fields():
    b = Bench()
    with pytest.raises(ScoreboardError, match=r"byte count 0x4, expected 0x2"):
        b.send(tlp.mem_read(BAR0 + 8, first_be=0b1100),
               mutate=lambda d: [d[0], d[1] & ~0xFFF | 4] + d[2:])
    b = Bench()
    with pytest.raises(ScoreboardError, match=r"tag 0x8, expected 0x7"):
        b.send(tlp.mem_read(BAR0, tag=7), mutate=lambda d: [d[0], d[1], d[2] + 0x100, d[3]])
    b = Bench()
    with pytest.raises(ScoreboardError, match=r"data DW0 0x494d5346, expected 0x494d5345"):
        b.send(tlp.mem_read(BAR0), mutate=lambda d: d[:3] + [d[3] + 1])
    b = Bench()
    with pytest.raises(ScoreboardError, match=r"completer id 0x0, expected 0x308"):
        b.send(tlp.mem_read(BAR0), mutate=lambda d: [d[0], d[1] & 0xFFFF] + d[2:])


def test_unexpected_and_missing_completion():
    b = Bench()
    cpl = tlp.build_completion(completer_id=0x308, requester_id=0, tag=1)
    with pytest.raises(ScoreboardError, match="unexpected completion"):
        b.sb.tx_tlp(b.cycle + 1, cpl)
    b.sb.rx_request(b.cycle + 2, tlp.mem_read(BAR0))
    with pytest.raises(ScoreboardError, match=r"1 completion\(s\) never arrived.*MRd"):
        b.sb.check_quiescent()


def test_device_sends_other_tlp():
    b = Bench()
    with pytest.raises(ScoreboardError,
                       match="neither a completion, an Error Message nor an interrupt"):
        b.sb.tx_tlp(b.cycle, tlp.mem_read(0x1000))


def test_counter_read_tolerates_events_in_flight():
    b = Bench(msi=0, msix=4, ims=0)
    b.irq(0, 0)  # nothing enabled: DROP_DISABLED = 1
    b.wait()
    r = b.cycle + 1
    b.sb.rx_request(r, tlp.mem_read(BAR0 + 0x034, tag=1))
    b.sb.irq_accepted(r + 1, 0, 0)  # a drop between the read and its completion
    cpl = lambda v: tlp.build_completion(completer_id=0x308, requester_id=0, tag=1,  # noqa
                                         byte_count=4, lower_address=0x34, data=[v])
    b.sb.tx_tlp(r + 3, cpl(2))  # sampled after the second drop: fine
    b.sb.rx_request(r + 10, tlp.mem_read(BAR0 + 0x034, tag=1))
    b.sb.irq_accepted(r + 11, 0, 0)
    b.sb.tx_tlp(r + 13, cpl(2))  # sampled before the third drop: fine too
    b.sb.rx_request(r + 20, tlp.mem_read(BAR0 + 0x034, tag=1))
    with pytest.raises(ScoreboardError, match=r"counter drop_disabled reads 5, expected 3"):
        b.sb.tx_tlp(r + 23, cpl(5))


def test_pba_read_tolerates_request_in_flight_but_not_stale_bits():
    b = Bench(msi=0, msix=4, ims=0)
    b.host.msix_control(enable=True)  # entries stay masked: requests stay pending
    b.irq(0, 1)
    b.wait()
    r = b.cycle + 1
    b.sb.rx_request(r, tlp.mem_read(BAR0 + 0x18000, tag=2))
    b.sb.irq_accepted(r + 1, 0, 2)
    cpl = lambda v: tlp.build_completion(completer_id=0x308, requester_id=0, tag=2,  # noqa
                                         byte_count=4, lower_address=0, data=[v])
    b.sb.tx_tlp(r + 4, cpl(0b0010))  # entry 2's bit may or may not be seen yet
    b.sb.rx_request(r + 20, tlp.mem_read(BAR0 + 0x18000, tag=2))
    with pytest.raises(ScoreboardError, match=r"pending bit of MSI-X entry 2 reads 0"):
        b.sb.tx_tlp(r + 24, cpl(0b0010))  # now it must be 1


def ambiguous_request():
    """MSI enabled; the host enables MSI-X and an irq arrives 3 cycles later:
    the device may still route it to MSI vector 0. Returns the bench and
    the cycle of the MSI-X Enable write."""
    b = Bench(msi=1, msix=4, ims=0)
    b.host.msi_setup(0xFEE0_0000, 0x50)
    b.host.msix_entry(0, MSIX_ADDR, 0x20)
    b.wait()
    b.host.msix_control(enable=True)
    w = b.cycle
    b.sb.irq_accepted(w + 3, 0, 0)
    return b, w


def test_ambiguous_routing_after_enable_write():
    b, w = ambiguous_request()
    # The stand-in device routed it by the old state: MSI vector 0.
    b.cycle = w + 6
    b.raw_message(tlp.build_mem_write(requester_id=0x0308, address=0xFEE0_0000, data=0x50),
                  at=w + 6)
    b.wait(30)
    b.sb.check_quiescent()
    assert b.sb.irq_outcomes["ambiguous"] == 1


def test_ambiguous_request_not_sent_anywhere_is_missing():
    b, _ = ambiguous_request()
    b.wait(40)
    # Both Enables set: neither may send (PCIe 7.7.1.2), the request waits
    b.sb.check_quiescent()
    b.host.cfg_write(0x80, 0)            # MSI Enable clear: MSI-X entry 0 may send
    b.wait(40)
    b.host.cfg_write(0x80, 0x0001_0000)  # MSI Enable set, ...
    b.host.msix_control(enable=False)    # ... MSI-X Enable clear: MSI vector 0 may send
    b.wait(40)
    with pytest.raises(ScoreboardError, match=r"missing message for request at cycle \d+ "
                                              r"\(routed to one of: MSI vector 0, "
                                              r"MSI-X entry 0\): every slot it may have "
                                              r"gone to has been eligible since"):
        b.sb.check_quiescent()


def test_ambiguous_request_waits_while_a_slot_was_never_eligible():
    b, _ = ambiguous_request()
    b.wait(40)
    b.host.cfg_write(0x80, 0)            # only MSI-X may send; MSI vector 0 never could
    b.wait(40)
    b.sb.check_quiescent()               # it may be pending on MSI vector 0


def test_reset_forgets_everything():
    b = Bench()
    b.msix_ready()
    b.irq(0, 1)
    b.sb.reset(cycle=b.cycle)
    b.sb.check_quiescent()
    assert b.sb.model.cfg.bar0_base == 0


def test_many_requests_to_a_masked_slot_stay_cheap():
    b = Bench(msi=0, msix=4, ims=0)
    b.host.msix_control(enable=True)
    b.host.msix_entry(0, MSIX_ADDR, 0x20, masked=True)
    b.wait()
    for _ in range(1000):
        b.irq(0, 0)
    assert len(b.sb._reqs[Slot("msix", 0)]) <= 64
    b.host.msix_entry(0, MSIX_ADDR, 0x20)  # unmask: one message for all of them
    b.wait(3)
    b.message(Slot("msix", 0))
    b.wait(30)
    b.sb.check_quiescent(device_pending=[])
    assert b.sb.irq_outcomes["accepted"] == 1000


# --------------------------------------------------------------------------
# Error Messages (design.md 2 "Errors")

UR_READ = tlp.mem_read(0xE000_0000)          # outside BAR0: UR, completed


def error_bench():
    """Advisory Non-Fatal unmasked, every reporting enable and SERR# set."""
    b = Bench()
    b.host.cfg_write(0x114, 0)
    b.host.cfg_write(0x48, 0x2810 | 0xF)
    b.host.cfg_write(0x04, 0x0106)
    return b


def test_error_messages_checked_in_order():
    b = error_bench()
    b.send(UR_READ)                                   # UR completed: ERR_COR
    b.send(tlp.mem_write(0xE000_0000, 1))             # UR posted: ERR_NONFATAL
    b.send(UR_READ[:2])                               # malformed: ERR_FATAL
    b.wait()
    b.sb.check_quiescent()
    assert b.sb.error_messages_checked == 3
    assert "3 Error Messages checked (0 unexpected)" in b.sb.summary()


def test_missing_error_message():
    b = error_bench()
    b.send(UR_READ, messages=False)
    b.wait()
    with pytest.raises(ScoreboardError, match=r"1 Error Message\(s\) never arrived; the first "
                                              r"is Msg ERR_COR .* for MRd 3DW 0xe0000000"):
        b.sb.check_quiescent()


def test_unexpected_error_message():
    b = Bench()                                       # reset enables: nothing is reported
    b.send(UR_READ)
    with pytest.raises(ScoreboardError, match=r"unexpected Error Message .* Msg ERR_COR.*last "
                                              r"rx TLP logged Unsupported Request, completed "
                                              r"\(advisory, masked; no message\)"):
        b.raw_message(tlp.build_error_message(0x30, requester_id=0x0308))
    assert b.sb.error_messages_unexpected == 1


def test_wrong_error_message():
    b = error_bench()
    b.send(tlp.mem_write(0xE000_0000, 1), messages=False)
    with pytest.raises(ScoreboardError, match=r"error message #1 .* for MWr 3DW 0xe0000000.*"
                                              r"ERR_FATAL, expected ERR_NONFATAL"):
        b.raw_message(tlp.build_error_message(0x33, requester_id=0x0308))
    b = error_bench()
    b.send(tlp.mem_write(0xE000_0000, 1), messages=False)
    with pytest.raises(ScoreboardError, match=r"requester id 0x0, expected 0x308"):
        b.raw_message(tlp.build_error_message(0x31, requester_id=0))


def test_error_message_after_the_next_completion_is_rejected():
    b = error_bench()
    b.send(UR_READ, messages=False)
    late = b.held
    with pytest.raises(ScoreboardError, match=r"completion #\d+ .* came before error message "
                                              r"#1 Msg ERR_COR"):
        b.send(tlp.mem_read(BAR0))
    b = error_bench()
    b.send(UR_READ, messages=False)
    b.sb.rx_request(b.cycle + 1, tlp.mem_read(BAR0))
    b.dut.request(tlp.mem_read(BAR0))
    b.raw_message(late[0])                            # before the second completion: fine


def test_error_message_before_its_completion_is_rejected():
    b = error_bench()
    b.cycle += 1
    b.sb.rx_request(b.cycle, UR_READ)
    b.dut.request(UR_READ)
    with pytest.raises(ScoreboardError, match=r"error message #1 .* came before completion "
                                              r"#\d+ for MRd 3DW 0xe0000000"):
        b.raw_message(b.dut.last_messages[0])


def test_function_level_reset_cancels_pending_requests():
    """An FLR (Device Control bit 15, design.md 3) clears every pending bit:
    a request still pending is not missing afterwards, and a message for it
    after the write-latency window is an error."""
    b = Bench()
    b.msix_ready()
    b.host.set_bme(False)
    b.wait()
    b.irq(0, 0)
    b.wait()
    assert b.sb.expected_pending() == {Slot("msix", 0)}
    b.host.cfg_write(0x48, 0x2810 | 0x8000)
    flr = b.cycle
    b.sb.check_quiescent(device_pending=set())
    with pytest.raises(ScoreboardError, match=r"MSI-X entry 0 had no pending request: its "
                                              r"request at cycle \d+ was cleared by the "
                                              r"Function Level Reset"):
        b.raw_message(tlp.build_mem_write(requester_id=0x0308, address=MSIX_ADDR, data=0x20),
                      at=flr + 30)


def test_function_level_reset_message_inside_the_window():
    b = Bench()
    b.msix_ready()
    b.irq(0, 1, at=b.cycle + 1)
    b.host.cfg_write(0x48, 0x2810 | 0x8000)
    b.raw_message(tlp.build_mem_write(requester_id=0x0308, address=MSIX_ADDR + 16, data=0x21),
                  at=b.cycle + 2)
    b.sb.check_quiescent(device_pending=set())
