"""Tests of ims_endpoint: pytest entry files (test_*.py) and, in tests/sim/,
the cocotb test modules they run.  A package so simulator processes can
import ``tests.sim.<module>`` and ``tests.configs`` by name."""
