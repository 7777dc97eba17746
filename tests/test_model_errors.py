"""Error logging and Error Messages of the model (design.md 2 "Errors",
section 3 Status / Device Status / AER), with literal offsets and values.

Registers (config offsets): 0x04 Command / Status (Status in bits 31:16),
0x48 Device Control / Device Status, 0x104 Uncorrectable Error Status,
0x108 Mask, 0x10C Severity, 0x110 Correctable Error Status, 0x114 Mask,
0x118 First Error Pointer (bits 4:0), 0x11C..0x128 Header Log.
"""

import pytest

from model import DeviceModel, tlp
from model.host import ModelHost

BAR0 = 0xF000_0000
OUTSIDE = 0xE000_0000               # not in BAR0
CMD = 0x0006                        # Memory Space Enable, Bus Master Enable
DEV_CTL = 0x2810                    # Device Control reset value
# Error Messages from 01:00.0 (design.md 2: Msg, Fmt 001b, Type 10000b, 4 DWs)
ERR_COR = [0x3000_0000, 0x0100_0030, 0, 0]
ERR_NONFATAL = [0x3000_0000, 0x0100_0031, 0, 0]
ERR_FATAL = [0x3000_0000, 0x0100_0033, 0, 0]


def dev(pasid_cap=True):
    d = DeviceModel(4, 64, 256, pasid_cap=pasid_cap)
    h = ModelHost(d, bar0=BAR0)
    h.enumerate(bus=1, device=0)     # Command = 0x0006
    return d, h


def errs(h):
    """(Status, Device Status, Uncorrectable Status, Correctable Status, FEP)."""
    return (h.cfg_rd(0x04) >> 16, h.cfg_rd(0x48) >> 16, h.cfg_rd(0x104), h.cfg_rd(0x110),
            h.cfg_rd(0x118) & 0x1F)


def header_log(h):
    return [h.cfg_rd(0x11C + 4 * k) for k in range(4)]


def send(d, dws):
    """One request; (completion status or None, messages it makes the device send)."""
    c = d.request(dws)
    return (tlp.parse_completion(c).status if c is not None else None), d.last_messages


UR_READ = tlp.mem_read(OUTSIDE, tag=7)                   # MRd outside BAR0: UR, completed
UR_WRITE = tlp.mem_write(OUTSIDE, 0x55)                  # MWr outside BAR0: UR, posted
CA_READ = tlp.mem_read(BAR0, length=3)                   # MRd Length 3 in BAR0: CA, completed
CA_WRITE = tlp.mem_write(BAR0 + 8, [1, 2, 3])            # MWr Length 3 in BAR0: CA, posted
POISONED = tlp.mem_write(BAR0 + 8, 0xBAD, ep=1)          # Poisoned TLP Received
CPL = tlp.build_completion(completer_id=0x0200, requester_id=0x0100, tag=9)   # Unexpected
MALFORMED = tlp.mem_read(BAR0) + [0]                     # one DW too many


@pytest.mark.parametrize("pasid_cap", [True, False])
def test_aer_capability_registers(pasid_cap):
    """AER (7.8.4); with End-End TLP Prefix Supported (PASID_CAP) Next is
    the PASID capability at 148h, the TLP Prefix Log (138h..147h) is there
    and TLP Prefix Blocked (bit 25) has a mask and a severity bit."""
    d, h = dev(pasid_cap)
    header = 0x1482_0001 if pasid_cap else 0x0002_0001    # AER, version 2, Next
    assert h.cfg_rd(0x100) == header
    want = {0x104: 0, 0x108: 0, 0x10C: 0x0004_0000, 0x110: 0, 0x114: 0x0000_2000,
            0x118: 0, 0x11C: 0, 0x120: 0, 0x124: 0, 0x128: 0, 0x12C: 0, 0x130: 0, 0x134: 0,
            0x138: 0, 0x13C: 0, 0x140: 0, 0x144: 0}
    assert {o: h.cfg_rd(o) for o in want} == want
    for off in want:
        h.cfg_write(off, 0xFFFF_FFFF)
    h.cfg_write(0x100, 0xFFFF_FFFF)
    # masks and severity keep exactly the implemented error bits (12, 15,
    # 16, 18, 20, and 25 with prefixes; Advisory Non-Fatal 13); status
    # writes of 1 clear; the pointer, the logs and the Root registers are RO
    assert h.cfg_rd(0x100) == header
    bits = 0x0215_9000 if pasid_cap else 0x0015_9000
    want.update({0x108: bits, 0x10C: bits, 0x114: 0x0000_2000})
    assert {o: h.cfg_rd(o) for o in want} == want
    h.cfg_write(0x114, 0)
    h.cfg_write(0x10C, 0x0000_1000, first_be=0b0010)  # byte 1 only
    assert (h.cfg_rd(0x114), h.cfg_rd(0x10C)) == (0, bits & ~0xFF00 | 0x1000)


@pytest.mark.parametrize("pasid_cap", [True, False])
def test_pasid_capability(pasid_cap):
    """PASID Extended Capability (7.8.8): ID 001Bh, version 1, Next 0; Max
    PASID Width 20, no Execute or Privileged Mode; PASID Enable the only RW
    bit, reset 0 (also by FLR). Absent without PASID_CAP."""
    d, h = dev(pasid_cap)
    if not pasid_cap:
        assert (h.cfg_rd(0x148), h.cfg_rd(0x14C), h.cfg_rd(0x64)) == (0, 0, 0x0010_0000)
        h.cfg_write(0x14C, 0xFFFF_FFFF)
        assert h.cfg_rd(0x14C) == 0 and not d.global_state().pasid_enable
        return
    assert (h.cfg_rd(0x148), h.cfg_rd(0x14C)) == (0x0001_001B, 0x0000_1400)
    h.cfg_write(0x148, 0xFFFF_FFFF)
    h.cfg_write(0x14C, 0xFFFF_FFFF)
    assert (h.cfg_rd(0x148), h.cfg_rd(0x14C)) == (0x0001_001B, 0x0001_1400)
    assert d.global_state().pasid_enable
    h.cfg_write(0x48, 0x8000 | 0x2810, first_be=0b0011)            # Initiate FLR
    assert h.cfg_rd(0x14C) == 0x0000_1400 and not d.global_state().pasid_enable


def test_prefix_log():
    """An error of a TLP with an End-End prefix logs it in the TLP Prefix Log
    (6.2.4.4) and sets TLP Prefix Log Present (7.8.4.7, bit 11); a later
    first error without one clears the bit. A Local prefix is not logged."""
    d, h = dev()
    h.cfg_write(0x108, 0)
    assert send(d, [0x9100_0042] + UR_WRITE)[0] is None and d.last_error == "ur"
    assert (h.cfg_rd(0x118), h.cfg_rd(0x138)) == (0x800 | 20, 0x9100_0042)
    assert header_log(h) == UR_WRITE[:3] + [0]
    h.cfg_write(0x104, 0xFFFF_FFFF)                               # FEP no longer valid
    assert send(d, [0x8100_0001] + UR_WRITE)[0] is None and d.last_error == "malformed"
    assert (h.cfg_rd(0x118), h.cfg_rd(0x138)) == (18, 0)
    assert header_log(h) == UR_WRITE[:3] + [0]


def test_default_masks_completed_ur_is_advisory_and_silent():
    """Reset masks: a UR this function completes is an Advisory Non-Fatal
    Error whose Correctable Error Mask bit 13 is set: Device Status CED and
    URD, Correctable Status bit 13, nothing else, no message."""
    d, h = dev()
    assert send(d, UR_READ) == (tlp.CPL_UR, [])
    assert d.last_error == "ur" and d.last_outcome.advisory
    assert errs(h) == (0x0010, 0x0009, 0, 0x2000, 0)
    assert header_log(h) == [0, 0, 0, 0]


def test_advisory_unmasked_logs_and_sends_err_cor():
    d, h = dev()
    h.cfg_write(0x114, 0)                                   # unmask Advisory Non-Fatal
    h.cfg_write(0x48, DEV_CTL | 0x1)                        # CERE
    # a UR needs UR Reporting Enable too for ERR_COR (design.md 2 step 1)
    assert send(d, UR_READ) == (tlp.CPL_UR, [])
    assert errs(h) == (0x0010, 0x0009, 0x0010_0000, 0x2000, 20)
    assert header_log(h) == UR_READ[:3] + [0]              # 3DW header, DW3 0
    h.cfg_write(0x48, DEV_CTL | 0x9)                        # CERE + URRE
    assert send(d, UR_READ) == (tlp.CPL_UR, [ERR_COR])
    # a CA does not need URRE
    h.cfg_write(0x48, DEV_CTL | 0x1)
    assert send(d, CA_READ) == (tlp.CPL_CA, [ERR_COR])
    # Signaled Target Abort (Status 11); First Error Pointer still the UR's
    assert errs(h) == (0x0810, 0x0009, 0x0010_8000, 0x2000, 20)
    assert header_log(h)[0] == UR_READ[0]


def test_advisory_with_uncorrectable_mask_set_still_sends_err_cor():
    d, h = dev()
    h.cfg_write(0x114, 0)
    h.cfg_write(0x108, 0x0010_0000)                         # mask UR
    h.cfg_write(0x48, DEV_CTL | 0x9)
    assert send(d, UR_READ) == (tlp.CPL_UR, [ERR_COR])
    assert errs(h) == (0x0010, 0x0009, 0x0010_0000, 0x2000, 0)   # status, no header
    assert header_log(h) == [0, 0, 0, 0]


def test_fatal_severity_makes_a_completed_ur_not_advisory():
    d, h = dev()
    h.cfg_write(0x10C, 0x0014_0000)                         # UR Fatal (and Malformed)
    h.cfg_write(0x48, DEV_CTL | 0x4)                        # FERE only
    assert send(d, UR_READ) == (tlp.CPL_UR, [])             # a UR needs URRE or SERR#
    assert not d.last_outcome.advisory
    assert errs(h) == (0x0010, 0x000C, 0x0010_0000, 0, 20)  # FED + URD; no ANF
    h.cfg_write(0x48, DEV_CTL | 0xC)                        # FERE + URRE
    assert send(d, UR_READ) == (tlp.CPL_UR, [ERR_FATAL])
    assert errs(h)[0] == 0x0010                             # SERR# clear: no SSE


def test_serr_enable_alone_reports_posted_ur_as_nonfatal():
    d, h = dev()
    h.cfg_write(0x04, CMD | 0x100)                          # SERR# Enable
    assert send(d, UR_WRITE) == (None, [ERR_NONFATAL])
    assert not d.last_outcome.advisory
    # Signaled System Error (Status 14); NFED + URD; UR logged
    assert errs(h) == (0x4010, 0x000A, 0x0010_0000, 0, 20)
    assert header_log(h) == UR_WRITE[:3] + [0]              # DW3 0, not the payload


def test_posted_errors_without_enables_send_nothing():
    d, h = dev()
    assert send(d, UR_WRITE) == (None, [])
    assert errs(h) == (0x0010, 0x000A, 0x0010_0000, 0, 20)
    h.cfg_write(0x48, DEV_CTL | 0x2)                        # NFERE: a UR still needs URRE
    assert send(d, UR_WRITE) == (None, [])
    assert send(d, CA_WRITE) == (None, [ERR_NONFATAL])
    assert errs(h) == (0x0810, 0x000A, 0x0010_8000, 0, 20)
    h.cfg_write(0x48, DEV_CTL | 0xA)
    assert send(d, UR_WRITE) == (None, [ERR_NONFATAL])


def test_masked_uncorrectable_sets_status_only():
    d, h = dev()
    h.cfg_write(0x108, 0x0010_0000)                         # mask UR
    h.cfg_write(0x04, CMD | 0x100)
    h.cfg_write(0x48, DEV_CTL | 0xF)
    assert send(d, UR_WRITE) == (None, [])
    assert errs(h) == (0x0010, 0x000A, 0x0010_0000, 0, 0)   # no SSE, no pointer
    assert header_log(h) == [0, 0, 0, 0]


def test_first_error_pointer_keeps_the_first_header_until_cleared():
    d, h = dev()
    first = tlp.mem_write(OUTSIDE + 0x40, 1)
    send(d, first)                                          # UR posted: logged
    send(d, CA_WRITE)                                       # CA posted: status only
    assert errs(h) == (0x0810, 0x000A, 0x0010_8000, 0, 20)
    assert header_log(h) == first[:3] + [0]
    h.cfg_write(0x104, 0x0000_8000)                         # clear CA: pointer still valid
    send(d, CA_WRITE)
    assert h.cfg_rd(0x118) == 20 and header_log(h)[2] == OUTSIDE + 0x40
    h.cfg_write(0x104, 0x0010_0000)                         # clear UR: now invalid
    assert h.cfg_rd(0x118) == 20                            # (the pointer itself stays)
    send(d, CA_WRITE)
    assert h.cfg_rd(0x118) == 15 and header_log(h) == CA_WRITE[:3] + [0]
    # an error of the kind the pointer shows, after its bit was cleared,
    # is logged afresh
    h.cfg_write(0x104, 0x0000_8000)
    again = tlp.mem_write(BAR0 + 4, [1, 2], tag=0x5A)       # CA: QW not aligned
    send(d, again)
    assert h.cfg_rd(0x118) == 15 and header_log(h) == again[:3] + [0]


def test_status_bits_are_rw1c():
    d, h = dev()
    h.cfg_write(0x114, 0)
    send(d, CA_READ)
    send(d, POISONED)
    send(d, UR_WRITE)
    assert errs(h) == (0x8810, 0x000B, 0x0010_9000, 0x2000, 15)
    h.cfg_write(0x04, 0x0000_0000)                          # zeros clear nothing
    h.cfg_write(0x04, 0xFFFF_0000 | CMD, first_be=0b0011)   # Command bytes only
    h.cfg_write(0x48, 0x0000_0000 | DEV_CTL)
    h.cfg_write(0x104, 0)
    h.cfg_write(0x110, 0)
    assert errs(h) == (0x8810, 0x000B, 0x0010_9000, 0x2000, 15)
    h.cfg_write(0x04, 0x0800_0000 | CMD)                    # Signaled Target Abort
    h.cfg_write(0x48, 0x0001_0000 | DEV_CTL)                # CED
    h.cfg_write(0x104, 0x0000_1000)                         # Poisoned
    assert errs(h) == (0x8010, 0x000A, 0x0010_8000, 0x2000, 15)
    h.cfg_write(0x04, 0xFFFF_0000 | CMD)
    h.cfg_write(0x48, 0xFFFF_0000 | DEV_CTL)
    h.cfg_write(0x104, 0xFFFF_FFFF)
    h.cfg_write(0x110, 0xFFFF_FFFF)
    assert errs(h) == (0x0010, 0, 0, 0, 15)
    assert h.cfg_rd(0x04) & 0xFFFF == CMD and h.cfg_rd(0x48) & 0xFFFF == DEV_CTL


def test_errors_in_d3hot_are_reported_as_in_d0():
    # PCIe 5.3.1.4: "If an error caused by a received TLP (e.g., an
    # unsupported request) is detected while in D1, D2, or D3Hot, and
    # reporting is enabled, ... an error message must be sent."
    d, h = dev()
    h.cfg_write(0x04, CMD | 0x100)                          # SERR# Enable
    h.cfg_write(0xC4, 0x3)                                  # D3hot
    mrd = tlp.mem_read(BAR0)                                # in D3hot: UR (completed)
    h.cfg_write(0x10C, 0x0014_0000)                         # UR Fatal: not advisory
    assert send(d, mrd) == (tlp.CPL_UR, [ERR_FATAL])
    assert send(d, tlp.mem_write(BAR0 + 8, 1)) == (None, [ERR_FATAL])
    assert errs(h) == (0x4010, 0x000C, 0x0010_0000, 0, 20)  # SSE: ERR_FATAL with SERR#
    assert header_log(h) == mrd[:3] + [0]


def test_bus_master_enable_does_not_gate_error_messages():
    d, h = dev()
    h.cfg_write(0x04, 0x0002 | 0x100)                       # MSE, SERR#; BME clear
    assert send(d, UR_WRITE) == (None, [ERR_NONFATAL])


def test_message_carries_the_captured_id():
    d = DeviceModel(4, 64, 256)
    h = ModelHost(d, bar0=BAR0)
    h.enumerate(bus=0x3A, device=0x05)
    h.cfg_write(0x04, CMD | 0x100)
    assert send(d, UR_WRITE) == (None, [[0x3000_0000, 0x3A28_0031, 0, 0]])
    assert tlp.describe(d.last_messages[0]) == \
        "Msg ERR_NONFATAL routing 000b requester 0x3a28 tag 0x00 len 0"


@pytest.mark.parametrize("dws,hdr", [
    (MALFORMED, MALFORMED[:3] + [0]),
    (tlp.mem_read(BAR0)[:2], tlp.mem_read(BAR0)[:2] + [0, 0]),           # header cut
    # two prefixes, more than the function takes: the first overflow prefix
    # in DW0, then what follows (PCIe 6.2.4.4)
    ([0x9100_0001, 0x9100_0002] + tlp.mem_read(BAR0, force_4dw=True),
     [0x9100_0002] + tlp.mem_read(BAR0, force_4dw=True)[:3]),
    ([0x9100_0001], [0, 0, 0, 0]),                                        # only a prefix
    ([0x0000_0001], [0x0000_0001, 0, 0, 0]),                              # lone DW0
    # reserved Fmt: the header size by Fmt[0], as for the defined ones
    ([0xA000_0001, 0x0000_000F, 0x1000, 5], [0xA000_0001, 0x0000_000F, 0x1000, 5]),
    # (Fmt 1xxb: no header size known, the first four DWs)
    ([0xC000_0001, 0x0000_000F, 0x1000, 5], [0xC000_0001, 0x0000_000F, 0x1000, 5]),
    (tlp.build_cfg(False, bus=1, device=0, register=0, length=2),         # CfgRd Length 2
     tlp.build_cfg(False, bus=1, device=0, register=0, length=2) + [0]),
    (tlp.build_request(tlp.FMT_4DW, tlp.TYPE_IO, address=0x10),          # IORd 4DW
     tlp.build_request(tlp.FMT_4DW, tlp.TYPE_IO, address=0x10)),
])
def test_malformed_is_fatal_by_default(dws, hdr):
    d, h = dev()
    h.cfg_write(0x48, DEV_CTL | 0x4)                        # FERE
    assert send(d, dws) == (None, [ERR_FATAL])
    assert d.last_error == "malformed"
    assert errs(h) == (0x0010, 0x0004, 0x0004_0000, 0, 18)
    assert header_log(h) == hdr


def test_malformed_poisoned_sets_no_parity_error():
    d, h = dev()
    send(d, tlp.mem_write(BAR0 + 8, 1, ep=1)[:3])           # header only: malformed
    assert errs(h) == (0x0010, 0x0004, 0x0004_0000, 0, 18)


def test_poisoned_write_is_advisory():
    d, h = dev()
    assert send(d, POISONED) == (None, [])
    assert errs(h) == (0x8010, 0x0001, 0, 0x2000, 0)        # Detected Parity Error, CED
    h.cfg_write(0x114, 0)
    h.cfg_write(0x48, DEV_CTL | 0x1)
    assert send(d, POISONED) == (None, [ERR_COR])
    assert errs(h) == (0x8010, 0x0001, 0x0000_1000, 0x2000, 12)
    assert header_log(h) == POISONED[:3] + [0]
    assert h.rd(0x008) == 0                                 # not performed


def test_poisoned_cfgwr_is_a_completed_ur_with_parity_error():
    d, h = dev()
    wr = tlp.build_cfg(True, bus=1, device=0, register=0x3C, data=0x5A, ep=1)
    assert send(d, wr) == (tlp.CPL_UR, [])
    assert d.last_error == "ur"
    assert errs(h) == (0x8010, 0x0009, 0, 0x2000, 0)
    assert h.cfg_rd(0x3C) == 0


def test_unexpected_completion_advisory_or_fatal():
    d, h = dev()
    assert send(d, CPL) == (None, [])
    assert errs(h) == (0x0010, 0x0001, 0, 0x2000, 0)
    h.cfg_write(0x10C, 0x0005_0000)                         # UC Fatal
    h.cfg_write(0x48, DEV_CTL | 0x4)
    assert send(d, CPL) == (None, [ERR_FATAL])
    assert errs(h) == (0x0010, 0x0005, 0x0001_0000, 0x2000, 16)
    assert header_log(h) == CPL[:3] + [0]


def test_vendor_defined_type0_is_posted_ur():
    d, h = dev()
    h.cfg_write(0x48, DEV_CTL | 0xA)                        # NFERE + URRE
    vdm = [0x3000_0000, 0x0000_007E, 0x1234_0000, 0]
    assert send(d, vdm) == (None, [ERR_NONFATAL])
    assert errs(h) == (0x0010, 0x000A, 0x0010_0000, 0, 20)
    assert header_log(h) == vdm
    assert send(d, [0x3000_0000, 0x0000_007F, 0, 0]) == (None, [])   # Type 1: ignored
    assert send(d, [0x3000_0000, 0x0000_0020, 0, 0]) == (None, [])   # Assert_INTA: ignored


def test_completed_error_message_follows_nothing_else():
    """One message per erroneous TLP at most; a good request sends none."""
    d, h = dev()
    h.cfg_write(0x04, CMD | 0x100)
    h.cfg_write(0x48, DEV_CTL | 0xF)
    h.cfg_write(0x114, 0)
    assert send(d, tlp.mem_read(BAR0)) == (tlp.CPL_SC, [])
    assert send(d, UR_READ) == (tlp.CPL_UR, [ERR_COR])
    assert send(d, tlp.mem_read(BAR0)) == (tlp.CPL_SC, [])


def test_sticky_bits_cleared_by_reset():
    d, h = dev()
    h.cfg_write(0x108, 0x0000_1000)
    send(d, UR_WRITE)
    d.reset()
    h.enumerate(bus=1, device=0)
    assert errs(h) == (0x0010, 0, 0, 0, 0) and h.cfg_rd(0x108) == 0
    assert header_log(h) == [0, 0, 0, 0]
