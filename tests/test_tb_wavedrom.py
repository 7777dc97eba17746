# SPDX-License-Identifier: MIT
"""tb/wavedrom_trace.py: samples to WaveDrom wave strings, without a simulator."""

import json

import pytest

from tb.wavedrom_trace import Row, bit_wave, data_wave, dumps, row_json, to_wavedrom


def test_bit_wave():
    assert bit_wave([0, 0, 1, 1, 1, 0]) == "0.1..0"
    assert bit_wave([None, None, 0, True, False]) == "x.010"
    assert bit_wave([]) == ""
    with pytest.raises(ValueError):
        bit_wave([2])


def test_data_wave():
    # a box per label, '.' while it stays, the blank character for None
    assert data_wave([None, "40000001", "FEE00000", "FEE00000", None]) == (
        "x==.x", ["40000001", "FEE00000"])
    assert data_wave(["IDLE", "IDLE", "QUEUED", "IDLE"]) == ("=.==", ["IDLE", "QUEUED", "IDLE"])
    assert data_wave([None, "s1", None, None], blank="0") == ("0=0.", ["s1"])
    with pytest.raises(ValueError):
        data_wave([5])


def test_rows_and_groups():
    assert row_json(Row("clk", [0] * 4, "clock")) == {"name": "clk", "wave": "p..."}
    assert row_json(Row("v", [0, 1, 0])) == {"name": "v", "wave": "010"}
    assert row_json(Row("d", [None, None], "data")) == {"name": "d", "wave": "x."}
    trace = to_wavedrom([(None, [Row("clk", [0, 0], "clock")]),
                         ("irq", [Row("irq_valid", [0, 1]), Row("irq_index", [None, "5"], "data")])],
                        head={"text": "t", "tock": -1})
    assert trace == {"signal": [{"name": "clk", "wave": "p."}, {},
                                ["irq", {"name": "irq_valid", "wave": "01"},
                                 {"name": "irq_index", "wave": "x=", "data": ["5"]}]],
                     "head": {"text": "t", "tock": -1}}
    with pytest.raises(ValueError):
        to_wavedrom([(None, [Row("a", [0]), Row("b", [0, 1])])])
    with pytest.raises(ValueError):
        Row("a", [0], "analog")


def test_dumps_round_trips_one_signal_per_line():
    trace = to_wavedrom([(None, [Row("clk", [0, 0, 0], "clock")]),
                         ("tx", [Row("tx_tvalid", [0, 1, 0]), Row("tx_tdata", [None, "AB", None], "data")])],
                        head={"text": "h", "tock": 0}, config={"hscale": 2})
    text = dumps(trace)
    assert json.loads(text) == trace
    assert '    {"name": "tx_tvalid", "wave": "010"},' in text.splitlines()
