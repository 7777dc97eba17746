# SPDX-License-Identifier: MIT
"""Signals sampled once per clock cycle, as a WaveDrom timing diagram.

Plain Python (no cocotb): tests/sim/wave_tests.py samples the signals of
one interrupt's life, :func:`to_wavedrom` turns the samples into WaveDrom
JSON (https://wavedrom.com/tutorial.html), scripts/wave.py renders it to
docs/interrupt_life.svg with the ``wavedrom`` package.

One wave character per clock cycle (sample ``k`` is the k-th character):

* ``bit`` rows: 0 -> ``0``, 1 -> ``1``, None (X/Z) -> ``x``; a value equal to
  the one before -> ``.``.
* ``data`` rows (buses): a label (str) -> ``=`` with the label in the row's
  ``data`` list; the same label as the cycle before -> ``.`` (one box over
  several cycles); None -> the row's ``blank`` character (``x``: not
  meaningful, e.g. tdata while tvalid is low).
* ``clock`` rows: ``p`` and then ``.``: a rising edge at the start of every
  cycle (the samples are ignored, only their number counts).

A cycle is the clock period that ends with a rising edge (tb/cycles.py): a
sample is the value the design sees at that edge, so on the picture a
register changes at the start of the cycle that samples its new value.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence

KINDS = ("bit", "data", "clock")


@dataclasses.dataclass
class Row:
    """One signal: its name on the picture and one sample per cycle."""
    name: str
    samples: Sequence
    kind: str = "bit"
    blank: str = "x"        # data rows: the character for a None sample

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"{self.name}: kind {self.kind!r}, not one of {', '.join(KINDS)}")


def bit_wave(samples: Sequence) -> str:
    """0/1/None samples as a wave string ('0', '1', 'x', '.' for repeats)."""
    out, last = [], object()
    for s in samples:
        if s is None:
            ch = "x"
        elif s in (0, 1):          # (True and False too)
            ch = str(int(s))
        else:
            raise ValueError(f"bit sample {s!r} is not 0, 1 or None")
        out.append("." if ch == last else ch)
        last = ch
    return "".join(out)


def data_wave(samples: Sequence, blank: str = "x") -> tuple[str, list[str]]:
    """Labels (str) or None as a wave string with '=' boxes and their labels."""
    wave, data, last = [], [], object()
    for s in samples:
        if s is not None and not isinstance(s, str):
            raise ValueError(f"data sample {s!r} is not a label (str) or None")
        key = ("label", s) if s is not None else ("blank",)
        if key == last:
            wave.append(".")
        elif s is None:
            wave.append(blank)
        else:
            wave.append("=")
            data.append(s)
        last = key
    return "".join(wave), data


def row_json(row: Row) -> dict:
    """The WaveDrom signal entry of one row."""
    if row.kind == "clock":
        n = len(row.samples)
        return {"name": row.name, "wave": ("p" + "." * (n - 1)) if n else ""}
    if row.kind == "bit":
        return {"name": row.name, "wave": bit_wave(row.samples)}
    wave, data = data_wave(row.samples, row.blank)
    entry: dict[str, str | list[str]] = {"name": row.name, "wave": wave}
    if data:
        entry["data"] = data
    return entry


def to_wavedrom(groups: Sequence[tuple[str | None, Sequence[Row]]], head: dict | None = None,
                foot: dict | None = None, config: dict | None = None) -> dict:
    """WaveDrom JSON of rows in groups: [(group name or None, [Row, ...]), ...].

    A named group becomes a WaveDrom group (a list headed by its name), an
    unnamed one puts its rows at the top level; an empty spacer ({})
    separates consecutive groups. Every row must have as many samples as
    the first one.
    """
    lengths = {len(r.samples) for _, rows in groups for r in rows}
    if len(lengths) > 1:
        raise ValueError(f"rows have different numbers of samples: {sorted(lengths)}")
    signal: list = []
    for i, (name, rows) in enumerate(groups):
        if i:
            signal.append({})
        entries = [row_json(r) for r in rows]
        if name is None:
            signal.extend(entries)
        else:
            signal.append([name, *entries])
    out: dict = {"signal": signal}
    if head is not None:
        out["head"] = head
    if foot is not None:
        out["foot"] = foot
    if config is not None:
        out["config"] = config
    return out


def dumps(trace: dict) -> str:
    """WaveDrom JSON as text, one signal per line (the committed file's
    form: a changed row is a one-line diff). ``json.loads`` gives back
    ``trace``."""
    def entry(e, indent):
        if isinstance(e, list):          # a group: its name, then its rows
            inner = ",\n".join(entry(x, indent + 2) for x in e[1:])
            return f"{' ' * indent}[{json.dumps(e[0])},\n{inner}]"
        return " " * indent + json.dumps(e)
    lines = ["{", ' "signal": [', ",\n".join(entry(e, 2) for e in trace["signal"]), " ]"]
    for key, value in trace.items():
        if key != "signal":
            lines[-1] += ","
            lines.append(f" {json.dumps(key)}: {json.dumps(value)}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def render_svg(text: str) -> str:
    """The SVG the ``wavedrom`` package renders from WaveDrom JSON text
    (its render() changes the dict it reads, so it gets the text)."""
    import wavedrom
    return wavedrom.render(text).tostring() + "\n"
