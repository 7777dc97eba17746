"""Configuration space of the model (design.md 3), through CfgRd0/CfgWr0."""

import pytest

from model import DeviceModel, tlp
from model.host import ModelHost

PARAM_SETS = [(0, 0, 0), (1, 0, 0), (4, 0, 0), (32, 0, 0), (0, 1, 0), (0, 2048, 0),
              (4, 64, 256), (1, 0, 16), (32, 2048, 32768)]


def host(msi=4, msix=64, ims=256):
    return ModelHost(DeviceModel(msi, msix, ims))


def test_header_identity_and_ro():
    h = host()
    assert h.cfg_rd(0x00) == 0x1135_1234  # Device ID 0x1135, Vendor ID 0x1234
    assert h.cfg_rd(0x08) == 0x0880_0001  # class 0x088000, revision 1
    assert h.cfg_rd(0x2C) == 0x0001_1234
    assert h.cfg_rd(0x34) == 0x40
    for off in (0x00, 0x08, 0x2C, 0x34):
        before = h.cfg_rd(off)
        h.cfg_write(off, 0xFFFFFFFF)
        assert h.cfg_rd(off) == before, f"RO register 0x{off:02x} changed"


def test_command_status_rw_bits():
    h = host()
    assert h.cfg_rd(0x04) == 0x0010_0000  # Status.Capabilities List = 1
    h.cfg_write(0x04, 0xFFFF_FFFF)
    # RW (PCIe 7.5.1.1.3): MSE (1), BME (2), Parity Error Response (6),
    # SERR# Enable (8), Interrupt Disable (10); Status is RO here
    assert h.cfg_rd(0x04) == 0x0010_0546
    h.cfg_write(0x04, 0x0000_0000, first_be=0b0001)  # low byte only: bits 1, 2, 6
    assert h.cfg_rd(0x04) == 0x0010_0500


def test_cache_line_and_interrupt_line_byte_enables():
    h = host()
    h.cfg_write(0x0C, 0xFFFF_FFFF)
    assert h.cfg_rd(0x0C) == 0x0000_00FF  # Latency, Header Type 0, BIST stay 0
    h.cfg_write(0x0C, 0x0000_0012, first_be=0b0010)  # byte 1 only: not CLS
    assert h.cfg_rd(0x0C) == 0xFF
    h.cfg_write(0x0C, 0x0000_0012, first_be=0b0001)
    assert h.cfg_rd(0x0C) == 0x12
    h.cfg_write(0x3C, 0xFFFF_FFFF)
    assert h.cfg_rd(0x3C) == 0xFF  # Interrupt Pin 0 (no INTx), RO


def test_bar_sizing():
    h = host()
    assert h.cfg_rd(0x10) == 0x0000_0004  # 64-bit memory BAR, not prefetchable
    assert h.cfg_rd(0x14) == 0
    h.cfg_write(0x10, 0xFFFF_FFFF)
    h.cfg_write(0x14, 0xFFFF_FFFF)
    assert h.cfg_rd(0x10) == 0xFFF0_0004  # 1 MiB
    assert h.cfg_rd(0x14) == 0xFFFF_FFFF
    for off in range(0x18, 0x28, 4):
        h.cfg_write(off, 0xFFFF_FFFF)
        assert h.cfg_rd(off) == 0, f"BAR at 0x{off:02x} must be unimplemented"
    h.cfg_write(0x10, 0x1234_5678)
    assert h.cfg_rd(0x10) == 0x1230_0004
    assert h.dev.cfg.bar0_base == 0xFFFF_FFFF_1230_0000


def walk_caps(h):
    ids, ptr, seen = [], h.cfg_rd(0x34) & 0xFF, set()
    while ptr:
        assert ptr not in seen and ptr % 4 == 0 and ptr >= 0x40
        seen.add(ptr)
        dw = h.cfg_rd(ptr)
        ids.append((ptr, dw & 0xFF))
        ptr = (dw >> 8) & 0xFF
    return ids


@pytest.mark.parametrize("msi,msix,ims", PARAM_SETS)
def test_capability_chain(msi, msix, ims):
    h = host(msi, msix, ims)
    want = [(0x40, 0x10)]
    if msi:
        want.append((0x80, 0x05))
    if msix:
        want.append((0xA0, 0x11))
    want.append((0xC0, 0x01))   # Power Management, required of every function (7.5.2)
    assert walk_caps(h) == want
    if not msi:
        assert all(h.cfg_rd(o) == 0 for o in range(0x80, 0x98, 4))
    if not msix:
        assert all(h.cfg_rd(o) == 0 for o in range(0xA0, 0xAC, 4))


def test_pcie_capability():
    h = host()
    assert h.cfg_rd(0x40) >> 16 == 0x0002  # version 2, Device/Port Type 0 (endpoint)
    assert h.cfg_rd(0x44) == 0x1000_8000  # Role-Based Error Reporting, FLR Capability
    assert h.cfg_rd(0x48) == 0x0000_2810
    h.cfg_write(0x48, 0xFFFF_7FFF)         # bit 15 would start an FLR
    assert h.cfg_rd(0x48) == 0x0000_78FF  # bits 8,9,10 RO 0, 15 reads 0; Device Status RW1C
    # 2.5 GT/s, x1; ASPM Optionality Compliance (bit 22) must be 1b (7.5.3.6)
    assert h.cfg_rd(0x4C) == 0x0040_0011
    h.cfg_write(0x50, 0xFFFF_FFFF)
    assert h.cfg_rd(0x50) == 0x0011_00CB
    assert h.cfg_rd(0x6C) == 0x2 and h.cfg_rd(0x70) == 0x1
    # Device Capabilities 2: Extended Fmt Field Supported (20), End-End TLP
    # Prefix Supported (21), Max End-End TLP Prefixes 01b = one (23:22)
    h.cfg_write(0x64, 0xFFFF_FFFF)
    assert h.cfg_rd(0x64) == 0x0070_0000
    # Device Control 2 reads 0: End-End TLP Prefix Blocking (15) is RsvdP in
    # an endpoint (7.5.3.16)
    for off in (0x54, 0x58, 0x5C, 0x60, 0x68, 0x74, 0x78):
        h.cfg_write(off, 0xFFFF_FFFF)
        assert h.cfg_rd(off) == 0


@pytest.mark.parametrize("vectors,mmc", [(1, 0), (2, 1), (4, 2), (8, 3), (16, 4), (32, 5)])
def test_msi_message_control_and_mme_clamp(vectors, mmc):
    h = host(vectors, 0, 0)
    mc = h.cfg_rd(0x80) >> 16
    assert mc == (mmc << 1) | (1 << 7) | (1 << 8)  # 64-bit and per-vector masking
    # MME = 7 is above every MMC: stored as MMC
    h.cfg_write(0x80, 0x0071_0000, first_be=0b0100)
    mc = h.cfg_rd(0x80) >> 16
    assert (mc >> 4) & 7 == mmc and mc & 1
    h.cfg_write(0x80, 0xFFFF_FFFF)  # RO bits 15:9, MMC, 64-bit, PVM keep their values
    assert h.cfg_rd(0x80) >> 16 == (mmc << 4) | (mmc << 1) | 1 | (1 << 7) | (1 << 8)
    h.cfg_write(0x80, 0)
    assert h.cfg_rd(0x80) >> 16 == (mmc << 1) | (1 << 7) | (1 << 8)


def test_mme_below_mmc_is_kept():
    h = host(8, 0, 0)
    h.cfg_write(0x80, 0x0021_0000)
    assert (h.cfg_rd(0x80) >> 20) & 7 == 2


def test_msi_registers():
    h = host(4, 0, 0)
    h.cfg_write(0x84, 0xFFFF_FFFF)
    assert h.cfg_rd(0x84) == 0xFFFF_FFFC
    h.cfg_write(0x88, 0x1234_5678)
    assert h.cfg_rd(0x88) == 0x1234_5678
    h.cfg_write(0x8C, 0xFFFF_FFFF)
    assert h.cfg_rd(0x8C) == 0x0000_FFFF
    h.cfg_write(0x90, 0xFFFF_FFFF)
    assert h.cfg_rd(0x90) == 0xF
    h.cfg_write(0x94, 0xFFFF_FFFF)
    assert h.cfg_rd(0x94) == 0  # Pending Bits RO
    h.cfg_write(0x8C, 0xAB00, first_be=0b0010)  # byte write into Message Data
    assert h.cfg_rd(0x8C) == 0xABFF


@pytest.mark.parametrize("size", [1, 64, 2048])
def test_msix_capability(size):
    h = host(0, size, 0)
    dw = h.cfg_rd(0xA0)
    assert dw & 0xFFFF == 0xC011 and (dw >> 16) & 0x7FF == size - 1   # next: PM at 0xC0
    assert h.cfg_rd(0xA4) == 0x0001_0000 and h.cfg_rd(0xA8) == 0x0001_8000
    h.cfg_write(0xA0, 0xFFFF_FFFF)
    assert h.cfg_rd(0xA0) >> 16 == 0xC000 | (size - 1)  # Enable, Function Mask RW
    assert h.dev.cfg.msix_enable and h.dev.cfg.msix_function_mask
    h.cfg_write(0xA0, 0, first_be=0b0111)  # Message Control bits 15:8 not enabled
    assert h.cfg_rd(0xA0) >> 16 == 0xC000 | (size - 1)
    h.cfg_write(0xA4, 0xFFFF_FFFF)
    assert h.cfg_rd(0xA4) == 0x0001_0000


def test_extended_space_and_unlisted_bytes():
    h = host()
    # 0x100-0x137 is the AER capability (tests/test_model_errors.py); the
    # Root Error registers at its end and the rest of 0x100-0xFFF read 0
    for off in (0x12C, 0x130, 0x134, 0x138, 0x13C, 0x200, 0xFFC, 0x28, 0x30, 0x38, 0xB0, 0xFC):
        h.cfg_write(off, 0xFFFF_FFFF)
        assert h.cfg_rd(off) == 0


def test_reset_restores_defaults():
    h = host()
    h.cfg_write(0x04, 0x6)
    h.cfg_write(0x80, 0x0001_0000)
    h.cfg_write(0x10, 0xFFFF_FFFF)
    h.dev.reset()
    assert h.cfg_rd(0x04) == 0x0010_0000
    assert h.cfg_rd(0x10) == 0x4
    assert not h.dev.cfg.msi_enable


def test_from_params_and_parameter_ranges():
    d = DeviceModel.from_params(dict(DATA_WIDTH=64, MSI_VECTORS=8, MSIX_TABLE_SIZE=3,
                                     IMS_SIZE=5))
    assert (d.params.msi_vectors, d.params.msix_table_size, d.params.ims_size) == (8, 3, 5)
    for bad in (dict(msi_vectors=3), dict(msi_vectors=64), dict(msix_table_size=2049),
                dict(ims_size=32769), dict(data_width=32)):
        with pytest.raises(ValueError):
            DeviceModel(**bad)


def test_ims_needs_msi_or_msix():
    """PCIe 6.1.4: an interrupting function supports MSI or MSI-X; IMS alone
    is not a legal build."""
    with pytest.raises(ValueError, match=r"IMS_SIZE 16 needs MSI_VECTORS > 0 or MSIX_TABLE_SIZE"):
        DeviceModel(0, 0, 16)
    DeviceModel(1, 0, 16)
    DeviceModel(0, 1, 16)


def test_power_management_capability():
    """PCIe 7.5.2: PMC version 011b, D1/D2 and PME not supported; PMCSR
    PowerState RW for D0 (00b) and D3hot (11b), a write of an unsupported
    state (01b, 10b) discarded; No_Soft_Reset = 1."""
    h = host()
    assert h.cfg_rd(0xC0) == 0x0003_0001          # PMC 0x0003, last capability, ID 01h
    assert h.cfg_rd(0xC4) == 0x0000_0008          # D0, No_Soft_Reset
    h.cfg_write(0xC4, 0x0000_0003)                # D3hot
    assert h.cfg_rd(0xC4) == 0x0000_000B
    for unsupported in (0b01, 0b10):
        h.cfg_write(0xC4, unsupported)
        assert h.cfg_rd(0xC4) == 0x0000_000B      # discarded: still D3hot
    h.cfg_write(0xC4, 0xFFFF_FFFF)                # D3hot again; every other bit RO
    assert h.cfg_rd(0xC4) == 0x0000_000B
    h.cfg_write(0xC4, 0)
    assert h.cfg_rd(0xC4) == 0x0000_0008


def test_d3hot_takes_only_configuration_requests():
    """PCIe 5.3.1.4.1: in D3hot memory requests are Unsupported Requests
    (a MRd completes with UR, a MWr is dropped) and no interrupt is sent;
    back in D0 (No_Soft_Reset: nothing was reset) the pending one goes."""
    from model import Slot, tlp
    h = host(msi=0, msix=8, ims=0)
    h.enumerate()
    h.msix_control(enable=True)
    h.msix_entry(2, 0xFEE0_0000, 0x42)
    h.mem_write(0x008, 0x1111)                    # SCRATCH
    h.cfg_write(0xC4, 0x3)                        # D3hot
    assert h.mem_read(0x008).status == tlp.CPL_UR
    h.mem_write(0x008, 0x2222)                    # dropped
    h.dev.irq(0, 2)
    assert h.dev.eligible_slots() == [] and h.dev.expected_pending() == {Slot("msix", 2)}
    assert h.cfg_rd(0x00) == 0x1135_1234          # configuration still works
    h.cfg_write(0xC4, 0x0)                        # D0
    assert h.rd(0x008) == 0x1111
    assert h.dev.eligible_slots() == [Slot("msix", 2)]


def test_function_level_reset():
    """Device Control bit 15 (design.md 3, PCIe 6.6.2): the write completes
    (Completer ID still the captured one), then everything resets but Link
    Control, Max_Payload_Size, the sticky AER registers and Bus/Device."""
    d = DeviceModel(4, 64, 256)
    h = ModelHost(d, bar0=0xF000_0000)
    h.enumerate(bus=5, device=2)
    h.cfg_write(0x0C, 0x20)
    h.cfg_write(0x50, 0x0040)                       # Common Clock Configuration
    h.mem_write(0x008, 0x5A5A)
    h.ims_enable()
    h.ims_entry(3, 0xFEE0_0000, 7)
    d.request(tlp.mem_write(0xE000_0000, 1))        # a posted UR: Device Status, AER
    h.cfg_write(0x108, 0x0010_0000)                 # AER UR mask (RWS)
    assert h.cfg_rd(0x48) >> 16 == 0xA and h.cfg_rd(0x104) == 0x0010_0000
    c = h.cfg_write(0x48, 0x2810 | 0x20 | 0x8000)   # MPS 256 B + Initiate FLR
    assert c.status == tlp.CPL_SC and c.completer_id == 5 << 8 | 2 << 3 and d.last_flr
    assert h.cfg_rd(0x04) == 0x0010_0000            # Command and Status reset
    assert h.cfg_rd(0x10) == 0x4 and h.cfg_rd(0x0C) == 0
    assert h.cfg_rd(0x48) == 0x0000_2830            # MPS kept, Device Status 0, bit 15 0
    assert h.cfg_rd(0x50) == 0x0011_0040            # Link Control kept
    assert (h.cfg_rd(0x104), h.cfg_rd(0x108), h.cfg_rd(0x118)) == (0x0010_0000, 0x0010_0000, 20)
    assert (d.bus, d.device) == (5, 2)
    h.enumerate(bus=5, device=2)
    assert h.rd(0x008) == 0 and h.rd(0x02C) == 0
    assert h.rd(0x80000 + 16 * 3 + 12) == 1 and h.rd(0x80000 + 16 * 3 + 8) == 0
    h.cfg_write(0x48, 0x2810, first_be=0b0001)      # bit 15 not written: no FLR
    assert not d.last_flr
