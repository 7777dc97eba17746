// SPDX-License-Identifier: MIT
//
// ims_check_armed: simulation only. `active` is high once a reset has been
// seen and while reset is low: the cycles in which the runtime checks of
// the other modules ($display + $finish) apply. Before the first reset the
// state is arbitrary (Verilator's random initial values) and the clock may
// already run, so a check there would report nothing real.

`timescale 1ns / 1ps
`default_nettype none

module ims_check_armed (
    input  wire clk,
    input  wire rst,
    output wire active
);

    reg armed_reg;
    initial armed_reg = 1'b0;
    always @(posedge clk)
        if (rst)
            armed_reg <= 1'b1;
    assign active = armed_reg && !rst;

endmodule

`resetall
