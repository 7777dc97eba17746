"""Request handling and completions of the model (design.md 2)."""

import pytest

from model import DeviceModel, tlp
from model.host import ModelHost

BAR0 = 0xF000_0000


def dev_enumerated(**kw):
    d = DeviceModel(4, 64, 256)
    h = ModelHost(d, bar0=BAR0)
    h.enumerate(**kw)
    return d, h


def cpl(d, dws):
    c = d.request(dws)
    assert c is not None, f"no completion for {tlp.describe(dws)}"
    return tlp.parse_completion(c)


def test_cfgrd_completion_fields_before_capture():
    d = DeviceModel(4, 64, 256)
    req = tlp.build_cfg(False, bus=3, device=4, register=0x00, requester_id=0xBEEF,
                        tag=0x42)
    c = cpl(d, req)
    assert c.fmt == tlp.FMT_3DW_DATA and c.type == tlp.TYPE_CPL  # CplD
    assert c.completer_id == 0  # nothing captured yet: a read does not capture
    assert (c.requester_id, c.tag, c.status, c.byte_count, c.lower_address) == \
        (0xBEEF, 0x42, tlp.CPL_SC, 4, 0)
    assert c.length_field == 1 and c.data == [0x1135_1234]
    assert (c.td, c.ep, c.bcm) == (0, 0, 0)
    assert (d.bus, d.device) == (0, 0)


def test_bus_device_capture():
    d = DeviceModel(4, 64, 256)
    # CfgWr0 to function 0 with SC captures Bus/Device (PCIe 2.2.6.2)
    c = cpl(d, tlp.build_cfg(True, bus=0x5A, device=0x13, register=0x3C, data=1))
    assert c.fmt == tlp.FMT_3DW and c.status == tlp.CPL_SC and c.length_field == 0
    assert c.completer_id == 0x5A << 8 | 0x13 << 3
    assert (d.bus, d.device) == (0x5A, 0x13)
    # a UR config write (function 1) does not capture
    c = cpl(d, tlp.build_cfg(True, bus=0x01, device=0x01, function=1, register=0x3C, data=1))
    assert c.status == tlp.CPL_UR and (d.bus, d.device) == (0x5A, 0x13)
    assert c.completer_id == 0x5A << 8 | 0x13 << 3
    # a write with Length 2 is malformed: discarded, no completion, no capture
    bad = tlp.build_cfg(True, bus=0x02, device=0, register=0x3C, data=1, length=2) + [0]
    assert d.request(bad) is None and d.bus == 0x5A
    # a config read does not capture
    cpl(d, tlp.build_cfg(False, bus=0x77, device=1, register=0))
    assert (d.bus, d.device) == (0x5A, 0x13)
    # requests the device initiates carry the captured ID
    assert d.global_state().requester_id == 0x5A98


def test_tc_attr_copied_incl_ido():
    d, h = dev_enumerated()
    c = cpl(d, tlp.mem_read(BAR0, tc=6, attr=0b111, tag=9, requester_id=0x0010))
    dw0 = tlp.build_completion(completer_id=0, requester_id=0, tag=0, tc=6, attr=0b111,
                               data=[0])[0]
    assert (c.tc, c.attr) == (6, 0b111) and c.dws[0] == dw0
    assert c.dws[0] >> 18 & 1 and (c.dws[0] >> 12) & 3 == 3


@pytest.mark.parametrize("offset,fbe,bc,la", [
    (0x000, 0b1111, 4, 0x00), (0x004, 0b1111, 4, 0x04), (0x008, 0b0001, 1, 0x08),
    (0x008, 0b0010, 1, 0x09), (0x008, 0b1100, 2, 0x0A), (0x00C, 0b1000, 1, 0x0F),
    (0x00C, 0b0110, 2, 0x0D), (0x00C, 0b1010, 3, 0x0D), (0x014, 0b1001, 4, 0x14),
    (0x07C, 0b1111, 4, 0x7C), (0x080, 0b1111, 4, 0x00), (0x0FC, 0b0100, 1, 0x7E),
    (0x010, 0b0000, 1, 0x10),  # zero-length read: byte count 1, LA from address
])
def test_mrd_byte_count_lower_address(offset, fbe, bc, la):
    d, h = dev_enumerated()
    c = cpl(d, tlp.mem_read(BAR0 + offset, first_be=fbe))
    assert c.status == tlp.CPL_SC and c.fmt == tlp.FMT_3DW_DATA
    assert (c.byte_count, c.lower_address, c.length_field) == (bc, la, 1)


def test_qw_read():
    d, h = dev_enumerated()
    c = cpl(d, tlp.mem_read(BAR0 + 0x010, length=2, first_be=0b1110, last_be=0b0111))
    assert c.status == tlp.CPL_SC and c.length_field == 2
    assert c.data == [4, 64]  # MSI_VECTORS, MSIX_TABLE_SIZE
    assert (c.byte_count, c.lower_address) == (6, 0x11)


@pytest.mark.parametrize("length,addr_off,fbe,lbe,bc,la", [
    (3, 0x000, 0xF, 0xF, 12, 0x00),
    (2, 0x004, 0xF, 0xF, 8, 0x04),   # QW not aligned
    (2, 0x00C, 0xE, 0x7, 6, 0x0D),
    (1024, 0x000, 0xF, 0xF, 0, 0x00),  # Length 0 = 1024 DWs, 4096 bytes = 000h
    (16, 0x040, 0xC, 0x1, 16 * 4 - 2 - 3, 0x42),
])
def test_mrd_completer_abort(length, addr_off, fbe, lbe, bc, la):
    d, h = dev_enumerated()
    c = cpl(d, tlp.mem_read(BAR0 + addr_off, length=length, first_be=fbe, last_be=lbe))
    assert c.status == tlp.CPL_CA and c.fmt == tlp.FMT_3DW and c.type == tlp.TYPE_CPL
    assert (c.byte_count, c.lower_address, c.length_field) == (bc, la, 0)


def test_mrd_unsupported_request():
    d, h = dev_enumerated()
    # outside BAR0: memory-read byte count / lower address rules still apply
    c = cpl(d, tlp.mem_read(BAR0 + 0x10_0000 + 0x24, first_be=0b1100))
    assert (c.status, c.byte_count, c.lower_address) == (tlp.CPL_UR, 2, 0x26)
    c = cpl(d, tlp.mem_read(BAR0 - 4))
    assert c.status == tlp.CPL_UR
    # 4DW read to the same address still hits (64-bit compare)
    assert cpl(d, tlp.mem_read(BAR0, force_4dw=True)).status == tlp.CPL_SC
    # Memory Space Enable clear
    h.cfg_write(0x04, 0x4)
    c = cpl(d, tlp.mem_read(BAR0 + 8, length=2))
    assert (c.status, c.byte_count, c.lower_address) == (tlp.CPL_UR, 8, 0x08)


def ur_case(kind):
    if kind == "cfg_function1":
        return tlp.build_cfg(False, bus=1, device=0, function=1, register=0)
    if kind == "cfgwr_function7":
        return tlp.build_cfg(True, bus=1, device=0, function=7, register=0x3C, data=1)
    if kind == "cfg1_read":
        return tlp.build_cfg(False, bus=1, device=0, register=0, type1=True)
    if kind == "cfg1_write":
        return tlp.build_cfg(True, bus=1, device=0, register=0x3C, data=1, type1=True)
    if kind == "io_read":
        return tlp.build_request(tlp.FMT_3DW, tlp.TYPE_IO, address=0x100, tag=5)
    if kind == "io_write":
        return tlp.build_request(tlp.FMT_3DW_DATA, tlp.TYPE_IO, address=0x100, data=[1])
    if kind == "fetch_add":
        return tlp.build_request(tlp.FMT_3DW_DATA, tlp.TYPE_FETCH_ADD, address=BAR0 + 8,
                                 data=[1])
    if kind == "swap64":
        return tlp.build_request(tlp.FMT_4DW_DATA, tlp.TYPE_SWAP, address=BAR0 + 8,
                                 data=[1, 2])
    if kind == "cas":
        return tlp.build_request(tlp.FMT_3DW_DATA, tlp.TYPE_CAS, address=BAR0 + 8,
                                 data=[1, 2])
    if kind == "unknown_nodata":
        return tlp.build_request(tlp.FMT_3DW, 0b00110, address=0)
    if kind == "unknown_nodata_4dw":
        return tlp.build_request(tlp.FMT_4DW, 0b11011, address=0)
    raise AssertionError(kind)


@pytest.mark.parametrize("kind", ["cfg_function1", "cfgwr_function7",
                                  "cfg1_read", "cfg1_write", "io_read", "io_write",
                                  "fetch_add", "swap64", "cas", "unknown_nodata",
                                  "unknown_nodata_4dw"])
def test_unsupported_request_non_memory(kind):
    d, h = dev_enumerated(bus=2, device=3)
    dws = ur_case(kind)
    before = d.config_read(0x3C)
    c = cpl(d, dws)
    assert c.status == tlp.CPL_UR and c.fmt == tlp.FMT_3DW and c.type == tlp.TYPE_CPL
    # non-memory-read completions: Byte Count 4, Lower Address 0; AtomicOps:
    # Byte Count = operand size (PCIe 2.2.9)
    operand = {"fetch_add": 4, "swap64": 8, "cas": 4}.get(kind, 4)
    assert (c.byte_count, c.lower_address, c.length_field) == (operand, 0, 0)
    assert c.completer_id == 2 << 8 | 3 << 3
    assert d.config_read(0x3C) == before


def test_malformed_mrd_is_not_completed():
    """A DW count that disagrees with the header makes the TLP malformed:
    discarded, never completed, even a read (design.md 2; PCIe 2.3)."""
    d, h = dev_enumerated()
    dws = tlp.build_request(tlp.FMT_3DW, tlp.TYPE_MEM, address=BAR0 + 0x44,
                            first_be=0b1100, tag=0x21) + [0x1234]   # one DW too many
    assert d.request(dws) is None and d.last_error == "malformed"


def test_mrdlk_is_ur_with_cpllk():
    d, h = dev_enumerated()
    dws = tlp.build_request(tlp.FMT_3DW, tlp.TYPE_MEM_LOCKED, address=BAR0 + 0x6,
                            first_be=0b0010, tag=0x33)
    c = cpl(d, dws)
    assert c.status == tlp.CPL_UR and c.type == tlp.TYPE_CPL_LOCKED and c.fmt == tlp.FMT_3DW
    assert (c.byte_count, c.lower_address, c.tag) == (1, 0x05, 0x33)


def test_poisoned_cfgwr_is_ur_and_not_performed():
    d = DeviceModel(4, 64, 256)
    dws = tlp.build_cfg(True, bus=9, device=1, register=0x3C, data=0x55)
    dws[0] |= 1 << 14  # EP
    c = cpl(d, dws)
    assert c.status == tlp.CPL_UR
    assert d.config_read(0x3C) == 0 and (d.bus, d.device) == (0, 0)


@pytest.mark.parametrize("extra", [+1, -1])
def test_malformed_non_posted_is_discarded(extra):
    d, h = dev_enumerated()
    dws = tlp.build_cfg(True, bus=1, device=0, register=0x3C, data=0x12)
    dws = dws + [0] if extra > 0 else dws[:-1]
    assert d.request(dws) is None and d.last_error == "malformed"
    assert d.config_read(0x3C) == 0
    rd = tlp.mem_read(BAR0 + 4) + ([0] if extra > 0 else [])
    if extra < 0:
        rd = rd[:2]  # header cut short
    assert d.request(rd) is None and d.last_error == "malformed"


@pytest.mark.parametrize("dws", [
    tlp.build_cfg(False, bus=1, device=0, register=0, length=2),
    tlp.build_cfg(False, bus=1, device=0, register=0, length=0),
    tlp.build_cfg(True, bus=1, device=0, register=0x3C, data=[1, 2], length=2),
    tlp.build_cfg(False, bus=1, device=0, register=0, four_dw=True),
    tlp.build_cfg(True, bus=1, device=0, register=0x3C, data=1, four_dw=True),
    tlp.build_cfg(False, bus=1, device=0, register=0, type1=True, four_dw=True),
    tlp.build_cfg(False, bus=1, device=0, function=3, register=0, length=2),
    tlp.build_request(tlp.FMT_4DW, tlp.TYPE_IO, address=0x100),
    tlp.build_request(tlp.FMT_3DW_DATA, tlp.TYPE_IO, address=0x100, data=[1, 2]),
])
def test_config_and_io_need_3dw_length_1(dws):
    """Configuration and I/O requests in a 4DW format or with Length != 1
    are malformed (design.md 2; PCIe 2.2.7), before any UR they would get."""
    d, h = dev_enumerated()
    assert d.request(dws) is None and d.last_error == "malformed"


VDM0 = [0x3000_0000, 0x0000_007E, 0, 0]          # Msg Vendor_Defined Type 0, to RC
VDM1 = [0x3400_0000, 0x0000_007F, 0, 0]          # Msg Vendor_Defined Type 1, local


@pytest.mark.parametrize("dws,error", [
    (tlp.build_request(tlp.FMT_3DW_DATA, 0b10000, data=[1]), None),  # MsgD routed to RC
    (tlp.build_request(tlp.FMT_4DW, 0b10100, address=0), None),  # Msg (no data), local
    (VDM1, None),                                 # Type 1: silently discarded (2.2.8.6)
    (VDM0, "ur"),                                 # Type 0: UR (PCIe 2.2.8.6)
    ([0x7000_0001, 0x0000_007E, 0, 0, 5], "ur"),   # MsgD Vendor Type 0
    (tlp.build_completion(completer_id=1, requester_id=2, tag=3), "uc"),  # Cpl
    (tlp.build_completion(completer_id=1, requester_id=2, tag=3, data=[5]), "uc"),  # CplD
    (tlp.build_completion(completer_id=1, requester_id=2, tag=3, locked=True), "uc"),  # CplLk
    (tlp.build_request(tlp.FMT_3DW_DATA, 0b00110, data=[1]), "ur"),  # other type with data
    (tlp.mem_write(BAR0 - 4, 1), "ur"),          # MWr outside BAR0
    (tlp.mem_write(BAR0 + 4, [1, 2]), "ca"),      # MWr in BAR0, QW not aligned
    (tlp.mem_write(BAR0 + 8, [1, 2, 3]), "ca"),   # MWr in BAR0, Length 3
    (tlp.mem_write(BAR0 + 8, 1, ep=1), "poisoned"),
    (tlp.mem_write(BAR0 + 8, [1, 2, 3], ep=1), "ca"),   # CA before Poisoned (6.2.3.2.3)
    (tlp.mem_write(BAR0 - 8, 1, ep=1), "ur"),    # UR before Poisoned
    (tlp.mem_write(BAR0 + 8, 1), None),
])
def test_dropped_without_completion(dws, error):
    """Posted TLPs and completions get no completion; what each logs is the
    design.md 2 table's "error logged" column."""
    d, h = dev_enumerated()
    assert d.request(dws) is None
    assert d.last_error == error, d.last_note


def test_mwr_with_mse_clear_and_in_d3hot_is_posted_ur():
    d, h = dev_enumerated()
    h.cfg_write(0xC4, 0x3)                        # D3hot
    assert d.request(tlp.mem_write(BAR0 + 8, 1)) is None and d.last_error == "ur"
    h.cfg_write(0xC4, 0x0)
    h.cfg_write(0x04, 0x4)                        # Memory Space Enable clear
    assert d.request(tlp.mem_write(BAR0 + 8, 1)) is None and d.last_error == "ur"
    h.cfg_write(0x04, 0x6)
    assert h.rd(0x008) == 0                       # neither write was performed


def test_pasid_prefix_needs_pasid_enable():
    """PCIe 6.20.2.2: "Endpoints that support PASID must signal Unsupported
    Request (UR) when they receive a TLP with a PASID and the PASID Enable
    bit is Clear"; with it set, a memory request is handled as without."""
    d, h = dev_enumerated()
    dws = [0x9100_0007] + tlp.mem_read(BAR0 + 0x000, tag=0x11)
    c = cpl(d, dws)
    assert c.status == tlp.CPL_UR and c.tag == 0x11 and d.last_error == "ur"
    assert d.request([0x9100_0007] + tlp.mem_write(BAR0 + 0x008, 0xABCD)) is None
    assert d.last_error == "ur" and h.rd(0x008) == 0
    h.pasid_enable()
    c = cpl(d, dws)
    assert c.status == tlp.CPL_SC and c.data == [0x494D_5345] and c.tag == 0x11
    d.request([0x9100_0007] + tlp.mem_write(BAR0 + 0x008, 0xABCD))
    assert h.rd(0x008) == 0xABCD


def test_unsupported_end_end_prefix_is_ur():
    """PCIe 2.2.10.4: a Request "that contains an unsupported End-End TLP
    Prefix type" is an Unsupported Request: completed with UR when
    non-posted, a write not performed (a Vendor-Defined E0 prefix here)."""
    d, h = dev_enumerated()
    h.pasid_enable()
    vendor = 0x9E00_0001                       # Fmt 100b, Type 1 1110b
    c = cpl(d, [vendor] + tlp.mem_read(BAR0, tag=3))
    assert (c.status, c.tag, d.last_error) == (tlp.CPL_UR, 3, "ur")
    assert d.request([vendor] + tlp.mem_write(BAR0 + 8, 5)) is None and d.last_error == "ur"
    assert h.rd(0x008) == 0


def test_pasid_only_on_memory_requests():
    """A PASID is permitted on memory requests (PCIe 6.20: "PASID is not
    permitted on any other type of TLP"): on a configuration read it is an
    Unsupported Request (design.md 2), on a completion the TLP stays an
    Unexpected Completion."""
    d, h = dev_enumerated()
    h.pasid_enable()
    c = cpl(d, [0x9100_0001] + tlp.build_cfg(False, bus=1, device=0, register=0, tag=4))
    assert (c.status, c.tag, d.last_error) == (tlp.CPL_UR, 4, "ur")
    done = tlp.build_completion(completer_id=0x0200, requester_id=0x0100, tag=9)
    assert d.request([0x9100_0001] + done) is None and d.last_error == "uc"


def test_local_prefix_is_malformed():
    """This function supports no Local TLP Prefix type: with Extended Fmt
    Field Supported set such a TLP is Malformed (PCIe 2.2.10.2)."""
    d, h = dev_enumerated()
    assert d.request([0x8100_0000] + tlp.mem_read(BAR0)) is None
    assert d.last_error == "malformed"


def test_no_pasid_build_any_prefix_is_malformed():
    """PASID_CAP = 0: no End-End TLP Prefix support, so "a TLP with an
    End-End TLP Prefix ... is handled as a Malformed TLP" (2.2.10.4), its
    first four DWs in the Header Log (6.2.4.4); PASID Enable does not exist."""
    d = DeviceModel(4, 64, 256, pasid_cap=False)
    h = ModelHost(d, bar0=BAR0)
    h.enumerate()
    dws = [0x9100_0007] + tlp.mem_read(BAR0, tag=0x11)
    assert d.request(dws) is None and d.last_error == "malformed"
    assert [h.cfg_rd(0x11C + 4 * k) for k in range(4)] == dws[:4]
    assert h.cfg_rd(0x118) & 0x800 == 0 and h.cfg_rd(0x138) == 0


def test_two_prefixes_are_malformed():
    """One End-End prefix is supported; a request behind two is discarded
    without a completion, and a write behind two is not performed."""
    d, h = dev_enumerated()
    pfx = [0x9100_0007, 0x9100_0008]
    assert d.request(pfx + tlp.mem_read(BAR0 + 0x000, tag=0x11)) is None
    assert d.request(pfx + tlp.mem_write(BAR0 + 0x008, 0xABCD)) is None
    assert h.rd(0x008) == 0


def test_td_digest_counts_as_a_dw():
    d, h = dev_enumerated()
    dws = tlp.mem_read(BAR0)
    dws[0] |= 1 << 15
    assert cpl(d, dws + [0x1234_5678]).status == tlp.CPL_SC
    assert d.request(dws) is None and d.last_error == "malformed"  # digest missing


def test_every_non_posted_gets_one_completion_posted_none():
    d, h = dev_enumerated()
    for dws in [tlp.mem_read(BAR0), tlp.build_cfg(False, bus=1, device=0, register=0),
                ur_case("io_read")]:
        assert d.request(dws) is not None
    assert d.request(tlp.mem_write(BAR0 + 8, 1)) is None


@pytest.mark.parametrize("dws", [[0x00000001], [0x91000042, 0x04000001]])
def test_header_without_dw1_is_dropped(dws):
    """Only DW0 (a MRd, a CfgRd0) after any prefixes: nothing to complete to."""
    d, h = dev_enumerated()
    assert d.request(dws) is None
