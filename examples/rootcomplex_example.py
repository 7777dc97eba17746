"""ims_endpoint in a cocotbext-pcie testbench: enumerate, MSI-X, IMS."""

import cocotb
from cocotb.clock import Clock
from cocotb.triggers import ClockCycles, with_timeout
from cocotbext.pcie.core import RootComplex

from tb.ims_domain import ImsDomain
from tb.irq import IrqBus, IrqDriver
from tb.rc_adapter import RcAdapter


@cocotb.test()
async def rootcomplex_example(dut):
    cocotb.start_soon(Clock(dut.clk, 4, unit="ns").start())
    irq = IrqDriver(IrqBus.from_prefix(dut, "irq"), dut.clk, dut.rst)  # device logic's requests

    rc = RootComplex()
    ep = RcAdapter(dut)                    # ims_endpoint's rx_*/tx_* streams as a device
    rc.make_port().connect(ep)             # on a root port, like any cocotbext-pcie device

    dut.rst.value = 1
    await ClockCycles(dut.clk, 8)
    dut.rst.value = 0
    await ep.wait_ready()                  # the device clears its tables after reset

    await rc.enumerate()                   # config space answers from the RTL
    dev = rc.find_device(ep.pcie_id)
    await dev.enable_device()
    await dev.set_master()

    # MSI-X (MSI on an MSI-only build): irq_index k is vector k
    await dev.alloc_irq_vectors(1, 32)
    await irq.request(0, 5)
    await with_timeout(dev.msi_vectors[5].event.wait(), 2, "us")

    # IMS: an entry written while masked, then unmasked (a per-device MSI domain)
    ims = await ImsDomain(rc, dev).create()
    await ims.enable_pasid()               # as the IOMMU's SVA bind does first
    ims_irq = await ims.alloc_irq(pasid=0x1234)
    await ims.request_irq(ims_irq)
    await irq.request(1, ims_irq.index)
    await with_timeout(ims_irq.event.wait(), 2, "us")
    assert ep.writes[-1].pasid == 0x1234   # PASID prefix, seen by the adapter
