"""BAR0 of the model (design.md 4): device registers, MSI-X table/PBA, IMS table."""

import pytest

from model import DeviceModel, Slot
from model.host import ModelHost

BAR0 = 0xF000_0000


def host(msi=4, msix=64, ims=256, **kw):
    h = ModelHost(DeviceModel(msi, msix, ims, **kw), bar0=BAR0)
    h.enumerate()
    return h


@pytest.mark.parametrize("msi,msix,ims", [(4, 64, 256), (0, 0, 0), (32, 2048, 32768)])
def test_device_registers(msi, msix, ims):
    h = host(msi, msix, ims)
    assert h.rd(0x000) == 0x494D_5345  # "IMSE"
    assert h.rd(0x004) == 0x0001_0000
    assert h.rd(0x00C) == 64
    assert (h.rd(0x010), h.rd(0x014), h.rd(0x020)) == (msi, msix, ims)
    assert h.rd(0x024) == (0x80000 if ims else 0)
    # stride 16, layout version 2, PASID supported; all 0 without IMS
    assert h.rd(0x028) == (0x0001_0210 if ims else 0)
    for off in (0x000, 0x004, 0x00C, 0x010, 0x020, 0x024, 0x028):
        before = h.rd(off)
        h.mem_write(off, 0xFFFF_FFFF)
        assert h.rd(off) == before
    for off in (0x018, 0x01C, 0x03C, 0x100, 0xFFC, 0x1000, 0x40000):
        h.mem_write(off, 0xFFFF_FFFF)
        assert h.rd(off) == 0


def test_scratch_byte_enables_and_qw():
    h = host()
    h.mem_write(0x008, 0x1122_3344)
    h.mem_write(0x008, 0xAABB_CCDD, first_be=0b0100)
    assert h.rd(0x008) == 0x11BB_3344
    h.mem_write(0x008, 0xAABB_CCDD, first_be=0b1001)
    assert h.rd(0x008) == 0xAABB_33DD
    h.mem_write(0x008, 0, first_be=0)  # no byte enabled: no effect
    assert h.rd(0x008) == 0xAABB_33DD
    h.mem_write(0x008, [0xCAFE_F00D, 0xFFFF_FFFF])  # QW: SCRATCH and RO DATA_WIDTH
    c = h.mem_read(0x008, length=2)
    assert c.data == [0xCAFE_F00D, 64]


def test_data_width_register():
    assert host(data_width=128).rd(0x00C) == 128


def test_ims_ctrl():
    h = host()
    h.mem_write(0x02C, 0xFFFF_FFFF)
    assert h.rd(0x02C) == 1 and h.dev.global_state().ims_enable
    h.mem_write(0x02C, 0, first_be=0b0010)
    assert h.rd(0x02C) == 1
    h.mem_write(0x02C, 0, first_be=0b0001)
    assert h.rd(0x02C) == 0


def test_ims_ctrl_without_ims_is_ro_zero():
    h = host(4, 64, 0)
    h.mem_write(0x02C, 1)
    assert h.rd(0x02C) == 0  # design.md 4: RO 0 when IMS_SIZE = 0
    assert not h.dev.global_state().ims_enable  # but there is no IMS store
    assert h.dev.irq(1, 0) == "drop_disabled"


def test_msix_table_reset_and_access():
    h = host(0, 64, 0)
    for i in (0, 1, 63):
        base = 0x10000 + 16 * i
        assert [h.rd(base + 4 * k) for k in range(4)] == [0, 0, 0, 1]  # PCIe 7.7.2: masked
    h.mem_write(0x10000 + 16 * 5, 0xFFFF_FFFF)
    h.mem_write(0x10000 + 16 * 5 + 4, 0xFFFF_FFFF)
    h.mem_write(0x10000 + 16 * 5 + 8, 0xFFFF_FFFF)
    h.mem_write(0x10000 + 16 * 5 + 12, 0xFFFF_FFFE)
    assert [h.rd(0x10050 + 4 * k) for k in range(4)] == \
        [0xFFFF_FFFC, 0xFFFF_FFFF, 0xFFFF_FFFF, 0]
    # QW access to an entry: DW n and n+1 together
    h.mem_write(0x10000 + 16 * 7, [0xFEE0_1004, 0x0000_0001])
    assert h.mem_read(0x10070, length=2).data == [0xFEE0_1004, 1]
    assert h.dev.slot_state(Slot("msix", 7)).address == 0x1_FEE0_1004
    # byte-enable write into Message Data
    h.mem_write(0x10078, 0x0000_2100, first_be=0b0010)
    assert h.rd(0x10078) == 0x2100
    # entries beyond the table read 0 and ignore writes
    h.mem_write(0x10000 + 16 * 64, 0x1234)
    assert h.rd(0x10000 + 16 * 64) == 0 and h.rd(0x10000 + 16 * 64 + 12) == 0


def test_msix_pba_reflects_pending_and_is_ro():
    h = host(0, 64, 0)
    h.msix_control(enable=True)
    for i in (0, 5, 33, 63):
        assert h.dev.irq(0, i) == "accepted"
    assert h.rd(0x18000) == (1 << 0) | (1 << 5)
    assert h.rd(0x18004) == (1 << 1) | (1 << 31)
    assert h.mem_read(0x18000, length=2).data == [0x21, 0x8000_0002]
    h.mem_write(0x18000, [0, 0])
    assert h.rd(0x18000) == 0x21
    assert h.rd(0x18008) == 0  # beyond 64 entries


def test_ims_table_ctrl_and_pasid():
    h = host(1, 0, 16)
    assert [h.rd(0x80000 + 4 * k) for k in range(4)] == [0, 0, 0, 1]
    ctrl = 0x80000 + 16 * 3 + 12
    h.mem_write(ctrl, 0xFFFF_FFFF)
    # bit 1 PENDING RO, bit 2 and bits 11:4 RO 0: MASK, PASID_EN (bit 3, as
    # Linux's struct ims_slot has it) and PASID stick
    assert h.rd(ctrl) == 0xFFFF_F009
    h.mem_write(ctrl, 0xABCD_E008)
    st = h.dev.slot_state(Slot("ims", 3))
    assert (st.masked, st.pasid_en, st.pasid) == (False, True, 0xABCDE)
    h.ims_enable()
    h.dev.irq(1, 3)
    assert h.rd(ctrl) == 0xABCD_E00A  # PENDING now reads 1
    h.mem_write(ctrl, 0xABCD_E008 | 2)
    assert h.rd(ctrl) == 0xABCD_E00A  # writing PENDING does nothing
    h.mem_write(0x80000 + 16 * 16, 0x1234)  # beyond the 16 entries
    assert h.rd(0x80000 + 16 * 16) == 0


def test_no_pasid_build_entry_and_layout():
    """PASID_CAP = 0: PASID_EN and PASID RO 0, IMS_LAYOUT bit 16 (PASID
    supported) 0; an entry written with PASID_EN sends without a PASID."""
    h = host(1, 0, 16, pasid_cap=False)
    assert h.rd(0x028) == 0x0000_0210
    ctrl = 0x80000 + 16 * 3 + 12
    h.mem_write(ctrl, 0xFFFF_FFFF)
    assert h.rd(ctrl) == 0x0000_0001
    h.mem_write(ctrl, 0xABCD_E008)
    st = h.dev.slot_state(Slot("ims", 3))
    assert (st.masked, st.pasid_en, st.pasid) == (False, False, 0)
    h.ims_enable()
    h.dev.irq(1, 3)
    assert h.dev.eligible_slots() == [Slot("ims", 3)]
    assert h.dev.take(Slot("ims", 3)).pasid is None


def test_absent_store_windows_read_zero():
    h = host(4, 0, 0)
    for off in (0x10000, 0x1000C, 0x18000, 0x80000, 0x8000C):
        h.mem_write(off, 0xFFFF_FFFF)
        assert h.rd(off) == 0


def test_counters_write_clear_and_saturate():
    h = host(1, 0, 4)
    for _ in range(3):
        assert h.dev.irq(0, 0) == "drop_disabled"  # no store enabled
    h.ims_enable()
    assert h.dev.irq(1, 4) == "drop_range"
    assert (h.rd(0x030), h.rd(0x034), h.rd(0x038)) == (1, 3, 0)
    h.mem_write(0x034, 0x1234, first_be=0b1000)  # any value, any byte enable
    assert h.rd(0x034) == 0 and h.rd(0x030) == 1
    h.mem_write(0x030, 0, first_be=0)  # no byte enabled: nothing written
    assert h.rd(0x030) == 1
    h.dev.regs.set(0x030, 0xFFFF_FFFF)
    h.dev.irq(1, 9)
    assert h.rd(0x030) == 0xFFFF_FFFF  # saturates


@pytest.mark.parametrize("why", ["mse", "outside", "unaligned_qw", "length3",
                                 "poisoned", "malformed"])
def test_writes_that_are_dropped(why):
    h = host()
    h.mem_write(0x008, 0x5555_5555)
    from model import tlp
    addr, data, kw = BAR0 + 0x008, [0xDEAD_BEEF], {}
    if why == "mse":
        h.cfg_write(0x04, 0x4)
    elif why == "outside":
        addr = BAR0 + 0x10_0008
    elif why == "unaligned_qw":
        addr, data = BAR0 + 0x004, [0xDEAD_BEEF, 0xDEAD_BEEF]
    elif why == "length3":
        data = [0xDEAD_BEEF] * 3
    elif why == "poisoned":
        kw["ep"] = 1
    dws = tlp.mem_write(addr, data, **kw)
    if why == "malformed":
        dws = dws + [0]
    assert h.dev.request(dws) is None
    h.cfg_write(0x04, 0x6)
    assert h.rd(0x008) == 0x5555_5555


def test_bar0_above_4gib_and_3dw_upper_zero():
    h = ModelHost(DeviceModel(0, 0, 0), bar0=0x2_0000_0000)
    h.enumerate()
    h.mem_write(0x008, 0x77)
    assert h.rd(0x008) == 0x77
    from model import tlp
    # a 3DW request compares with address[63:32] = 0: misses this BAR
    c = tlp.parse_completion(h.dev.request(tlp.mem_read(0x0000_0008)))
    assert c.status == tlp.CPL_UR
