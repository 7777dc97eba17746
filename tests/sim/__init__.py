"""cocotb test modules (run inside the simulator by tests/simrun.py; pytest
does not collect them)."""
