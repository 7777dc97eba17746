"""Interrupt rules of the model (CONTRACT.md, design.md 5)."""

import pytest

from model import DeviceModel, Slot, tlp
from model.host import ModelHost

MSI_ADDR = 0xFEE0_1000


def setup(msi=4, msix=64, ims=256, bus=1, device=2):
    d = DeviceModel(msi, msix, ims)
    h = ModelHost(d)
    h.enumerate(bus=bus, device=device)
    return d, h


def test_nothing_enabled_drops_disabled():
    d, h = setup()
    assert d.irq(0, 0) == "drop_disabled"
    assert d.irq(1, 0) == "drop_disabled"
    assert d.counters == {"drop_range": 0, "drop_disabled": 2, "msg_sent": 0}
    assert d.expected_pending() == set()


def test_msi_range_is_allocated_vectors():
    d, h = setup(msi=8)
    h.msi_setup(MSI_ADDR, 0x40, mme=2)  # 4 of 8 vectors allocated
    assert d.irq(0, 3) == "accepted"
    assert d.irq(0, 4) == "drop_range"  # capable of 8, but only 2**MME = 4 enabled
    assert d.irq(0, 0xFFFF) == "drop_range"
    assert d.expected_pending() == {Slot("msi", 3)}
    assert d.counters["drop_range"] == 2


def test_msix_takes_precedence_over_msi_and_ims_is_src1():
    d, h = setup()
    h.msi_setup(MSI_ADDR, 0x40)
    h.msix_control(enable=True)
    h.ims_enable()
    assert d.irq(0, 10) == "accepted"
    assert d.irq(0, 64) == "drop_range"
    assert d.irq(1, 255) == "accepted"
    assert d.irq(1, 256) == "drop_range"
    assert d.expected_pending() == {Slot("msix", 10), Slot("ims", 255)}
    h.msix_control(enable=False)
    assert d.irq(0, 0) == "accepted"  # MSI now (MME 0: vector 0 only)
    assert d.irq(0, 1) == "drop_range"
    assert Slot("msi", 0) in d.expected_pending()


def test_msix_function_mask_does_not_block_accept():
    d, h = setup()
    h.msix_control(enable=True, function_mask=True)
    assert d.irq(0, 1) == "accepted"
    assert d.eligible_slots() == []


@pytest.mark.parametrize("data,mme,vector,want", [
    (0x4321, 0, 0, 0x4321), (0x4320, 3, 5, 0x4325), (0x4327, 3, 5, 0x4325),
    (0xFFFF, 5, 0, 0xFFE0), (0xFFE0, 5, 31, 0xFFFF), (0x0002, 1, 1, 0x0003),
])
def test_msi_multiple_message_data(data, mme, vector, want):
    # PCI LB 6.8.3.4: the function modifies the low MME bits of Message Data
    d, h = setup(msi=32)
    h.msi_setup(MSI_ADDR, data, mme=mme)
    assert d.irq(0, vector) == "accepted"
    m = d.take(Slot("msi", vector))
    assert m.data == want and m.address == MSI_ADDR
    assert m.dws() == [0x4000_0001, 0x0110_000F, MSI_ADDR, want]  # upper 16 bits 0


def test_msi_per_vector_mask_and_bme():
    d, h = setup(msi=4)
    h.msi_setup(MSI_ADDR, 0x10, mme=2, mask=0b0100)
    d.irq(0, 2)
    d.irq(0, 1)
    assert d.eligible_slots() == [Slot("msi", 1)]
    assert h.cfg_rd(0x94) == 0b0110  # Pending Bits
    h.cfg_write(0x90, 0)
    assert set(d.eligible_slots()) == {Slot("msi", 1), Slot("msi", 2)}
    h.set_bme(False)
    assert d.eligible_slots() == []
    assert d.expected_pending() == {Slot("msi", 1), Slot("msi", 2)}
    h.set_bme(True)
    d.take(Slot("msi", 1))
    assert h.cfg_rd(0x94) == 0b0100


def test_msi_enable_gates_sending():
    d, h = setup(msi=1)
    h.msi_setup(MSI_ADDR, 0x10)
    d.irq(0, 0)
    h.cfg_write(0x80, 0, first_be=0b0100)  # MSI Enable off: stays pending
    assert d.eligible_slots() == [] and d.expected_pending() == {Slot("msi", 0)}
    with pytest.raises(ValueError):
        d.take(Slot("msi", 0))


def test_msi_and_msix_both_enabled_send_nothing():
    """PCIe 7.7.1.2 / 7.7.2.2: MSI may be used only while MSI-X Enable is
    clear and MSI-X only while MSI Enable is clear; pending bits wait."""
    d, h = setup(msi=4, msix=8)
    h.msi_setup(MSI_ADDR, 0x10)                 # MSI Enable set, vector 0 unmasked
    d.irq(0, 0)                                 # MSI (MSI-X is not enabled yet)
    h.msix_entry(2, 0xFEE0_0000, 0x22)
    h.msix_control(enable=True)                 # now both Enables are set
    d.irq(0, 2)                                 # routed to MSI-X
    assert d.expected_pending() == {Slot("msi", 0), Slot("msix", 2)}
    assert d.eligible_slots() == []
    h.cfg_write(0x80, 0, first_be=0b0100)       # MSI Enable clear: MSI-X may send
    assert d.eligible_slots() == [Slot("msix", 2)]
    d.take(Slot("msix", 2))
    h.cfg_write(0x80, 1 << 16, first_be=0b0100)  # both set again: MSI waits
    assert d.eligible_slots() == []
    h.msix_control(enable=False)                # MSI-X Enable clear: MSI may send
    assert d.eligible_slots() == [Slot("msi", 0)]


def test_msix_reset_masked_then_unmask():
    d, h = setup(msix=8, msi=0, ims=0)
    h.msix_control(enable=True)
    d.irq(0, 3)
    assert d.eligible_slots() == []  # every entry is masked after reset
    h.msix_entry(3, 0x1_0000_0040, 0xD3)
    assert d.eligible_slots() == [Slot("msix", 3)]
    h.msix_control(enable=True, function_mask=True)
    assert d.eligible_slots() == []
    h.msix_control(enable=True)
    m = d.take(Slot("msix", 3))
    # 4DW header above 4 GiB; Requester ID {bus 1, device 2, function 0}
    assert m.dws() == [0x6000_0001, 0x0110_000F, 0x1, 0x40, 0xD3]
    assert d.expected_pending() == set() and h.rd(0x18000) == 0


def test_merge_and_take_rules():
    d, h = setup(msix=8, msi=0, ims=0)
    h.msix_control(enable=True)
    h.msix_entry(1, 0xFEE0_0000, 0x21)
    d.irq(0, 1)
    d.irq(0, 1)  # merges: still one pending bit
    assert d.expected_pending() == {Slot("msix", 1)}
    d.take(Slot("msix", 1))
    assert d.expected_pending() == set()
    d.irq(0, 1)  # after the take: another message
    assert d.eligible_slots() == [Slot("msix", 1)]
    d.take(Slot("msix", 1))
    assert d.counters["msg_sent"] == 2
    assert h.rd(0x038) == 2


def test_ims_pasid_message_and_store_enable():
    d, h = setup(msi=1, msix=0, ims=16)
    h.ims_entry(7, 0xFEE0_2000, 0xAB, pasid=0x12345)
    d.irq(1, 7)  # IMS not enabled yet
    assert d.expected_pending() == set() and d.counters["drop_disabled"] == 1
    h.ims_enable()
    d.irq(1, 7)
    # PCIe 6.20.1: no PASID-tagged TLP while PASID Enable is clear: it waits
    assert d.eligible_slots() == [] and d.expected_pending() == {Slot("ims", 7)}
    h.pasid_enable()
    assert d.eligible_slots() == [Slot("ims", 7)]
    h.ims_enable(False)
    assert d.eligible_slots() == []  # store disabled: kept pending
    h.ims_enable(True)
    m = d.take(Slot("ims", 7))
    assert m.pasid == 0x12345
    assert m.dws() == [0x9101_2345, 0x4000_0001, 0x0110_000F, 0xFEE0_2000, 0xAB]


def test_message_requester_id_follows_capture():
    d, h = setup(msix=2, msi=0, ims=0, bus=0x80, device=0x1F)
    h.msix_control(enable=True)
    h.msix_entry(0, 0xFEE0_0000, 1)
    d.irq(0, 0)
    m = d.take(Slot("msix", 0))
    assert tlp.parse_mem_write(m.dws()).requester_id == 0x80F8


def test_reset_clears_pending_tables_counters_capture():
    d, h = setup(msix=4, msi=0, ims=4)
    h.msix_control(enable=True)
    h.msix_entry(0, 0xFEE0_0000, 1)
    d.irq(0, 0)
    d.irq(0, 9)
    d.reset()
    assert d.expected_pending() == set() and d.counters["drop_range"] == 0
    assert (d.bus, d.device) == (0, 0)
    assert d.slot_state(Slot("msix", 0)).masked and d.slot_state(Slot("ims", 3)).masked
