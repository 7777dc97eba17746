"""One register style in all of hdl/*.v (tests/rtl_style.py, docs/design.md
"RTL conventions"); plain pytest, no simulator."""

import textwrap

import pytest

from tests import rtl_style


def test_hdl_follows_the_register_style():
    files = rtl_style.hdl_files()
    assert len(files) >= 10, files
    problems = rtl_style.check_files(files)
    assert not problems, "register style (docs/design.md, RTL conventions):\n" + "\n".join(problems)


def check(body: str) -> list[str]:
    src = textwrap.dedent("""\
        module m (input wire clk, input wire rst, input wire [3:0] d,
                  output reg [3:0] q, output wire [3:0] y);
            reg [3:0] mem [0:3];
            reg [3:0] a_reg, b, c;
            integer i;
        """) + textwrap.dedent(body) + "endmodule\n"
    return rtl_style.check_text(src, "m.v")


def test_the_style_passes():
    assert check("""
        // registers: *_reg, non-blocking; memories and loop integers exempt
        always @(posedge clk) begin
            if (rst) a_reg <= 4'd0;
            else a_reg <= {a_reg[2:0], d[0]};   /* b <= d; in a comment */
            for (i = 0; i < 4; i = i + 1)
                mem[i] <= d;
        end
        // combinational: blocking, not named *_reg
        always @* begin
            b = a_reg;
            case (d)
                4'd1: c = a_reg <= d;           // a compare, not an assignment
                default: c = 4'd0;
            endcase
        end
        always @(*) q = b | c;
        `define SET_B(x) \\
            always @(posedge clk) b <= x;
    """) == []


@pytest.mark.parametrize("body, expect", [
    ("always @(posedge clk) q <= d;\n",
     ["m.v:6: q: register written in a clocked block is not named *_reg"]),
    ("always @(posedge clk) begin\n    {a_reg, b} <= {d, d};\nend\n",
     ["m.v:7: b: register written in a clocked block is not named *_reg"]),
    ("always @(posedge clk)\n    if (rst) a_reg = 4'd0;\n",
     ["m.v:7: a_reg: blocking assignment in a clocked block (only loop integers)"]),
    ("always @* begin\n    a_reg = d;\nend\n",
     ["m.v:7: a_reg: assigned in a combinational block but named *_reg"]),
    ("always @* b <= d;\n",
     ["m.v:6: b: non-blocking assignment in a combinational block"]),
    ("always @(posedge clk or posedge rst) a_reg <= d;\n",
     ["m.v:6: always @( posedge clk or posedge rst ): only @(posedge clk) and @* are used"]),
    ("always @(posedge clk) begin\n    a_reg <= d;\n    do_something(d);\nend\n",
     ["m.v:6: always block not understood (line 8: no assignment in statement)"]),
])
def test_a_violation_is_reported(body, expect):
    assert check(body) == expect


def test_a_broken_file_is_named(tmp_path):
    bad = tmp_path / "broken.v"
    bad.write_text("module broken (input wire clk, input wire d, output reg q);\n"
                   "    always @(posedge clk)\n"
                   "        q <= d;\n"
                   "endmodule\n")
    assert rtl_style.check_files([bad]) == [
        f"{bad}:3: q: register written in a clocked block is not named *_reg"]
    assert rtl_style.main([str(bad)]) == 1
