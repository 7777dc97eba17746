"""The configuration space as Linux's pciutils see it: enumerate the device
as an OS does, read all 4096 bytes back over CfgRd0 and write them in
``lspci -xxxx`` format to the run folder (config.lspci), for
tests/test_sim_lspci.py and ``make lspci`` to decode with ``lspci -F``."""

import os
from pathlib import Path

import cocotb

from tb.lspci import CONFIG_BYTES, dump_text
from tb.testbench import Testbench
from tests.configs import current_config, current_params, record_summary

BUS, DEVICE = 0x01, 0x00


@cocotb.test()
async def test_config_dump(dut):
    """Dump the configuration space after enumeration."""
    params = current_params()
    tb = Testbench(dut, params, record=record_summary)
    dut._log.info("config %s %s", current_config(), params)
    await tb.start()
    await tb.host.enumerate(bus=BUS, device=DEVICE)
    data = bytearray()
    for off in range(0, CONFIG_BYTES, 4):
        data += (await tb.host.cfg_read32(off)).to_bytes(4, "little")
    path = Path(os.environ["IMS_RUN_DIR"]) / "config.lspci"
    path.write_text(dump_text(bytes(data), BUS, DEVICE))
    dut._log.info("configuration space dump: %s", path)
    await tb.finish("test_config_dump")
