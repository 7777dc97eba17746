"""Smoke test of the top level: clock, reset, quiet outputs."""

import cocotb
from cocotb.clock import Clock
from cocotb.triggers import ClockCycles, RisingEdge

from tests.configs import current_config, current_params, record_summary


async def reset(dut, cycles: int = 4) -> None:
    """Start a 4 ns clock on clk and hold rst high for *cycles* cycles."""
    # mypy infers Task[Never] for start_soon's Task argument (cocotb 2.1's overloads)
    cocotb.start_soon(Clock(dut.clk, 4, unit="ns").start())  # type: ignore[arg-type]
    dut.rst.value = 1
    dut.rx_tvalid.value = 0
    dut.rx_tdata.value = 0
    dut.rx_tkeep.value = 0
    dut.rx_tlast.value = 0
    dut.tx_tready.value = 1
    dut.irq_valid.value = 0
    dut.irq_src.value = 0
    dut.irq_index.value = 0
    await ClockCycles(dut.clk, cycles)
    dut.rst.value = 0
    await RisingEdge(dut.clk)


@cocotb.test()
async def test_reset_quiet(dut):
    """After reset the device sends nothing on tx."""
    params = current_params()
    dut._log.info("config %s: %s", current_config(), params)
    assert len(dut.tx_tdata) == params["DATA_WIDTH"]
    await reset(dut)
    for _ in range(16):
        await RisingEdge(dut.clk)
        assert dut.tx_tvalid.value == 0
    record_summary("test_reset_quiet", cycles_checked=16)
