# SPDX-License-Identifier: MIT
"""cocotb testbench for ims_endpoint.

Modules:

* ``tb.framing``   TLP <-> DW list <-> stream beats (no simulator needed)
* ``tb.cycles``    cycle counter, the time base of every monitor
* ``tb.stream``    rx source / tx sink (cocotbext-axi) and the TLP monitor
* ``tb.irq``       irq driver and monitor
* ``tb.pause``     pause generators for gaps and backpressure
* ``tb.host``      host model: requests, tags, completions, enumeration
* ``tb.testbench`` Testbench: owns everything, wires monitors to the scoreboard
* ``tb.scoreboard`` the checker (reference model in ``model/``)
"""

from .framing import (TlpTransaction, beats_to_dws, dws_to_beats, dws_to_tlp,
                      tlp_to_dws)

__all__ = ["TlpTransaction", "beats_to_dws", "dws_to_beats", "dws_to_tlp", "tlp_to_dws",
           "Testbench"]


def __getattr__(name):
    # Testbench pulls in the model and scoreboard; import it on first use
    if name == "Testbench":
        from .testbench import Testbench
        return Testbench
    raise AttributeError(f"module 'tb' has no attribute {name!r}")
