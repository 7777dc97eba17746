// SPDX-License-Identifier: MIT
//
// ims_flr: Function Level Reset (PCIe 6.6.2; docs/design.md section 3).
//
// A write of 1 to Device Control's Initiate Function Level Reset (start)
// makes the FLR pending: the interrupt stores' gates close and the
// request handler decodes nothing more. The write's own completion still
// leaves; once the handler is idle and tx shows no beat (no packet is cut),
// function_reset is high for one cycle. It resets the function's state
// (config registers but the link-wide fields and sticky bits, the device
// registers, the tables and pending bits, the engine and the tx framer);
// the tables then clear in their reset sweep, with rx_tready and
// irq_ready low, and the function is back in its reset state.

`timescale 1ns / 1ps
`default_nettype none

module ims_flr (
    input  wire clk,
    input  wire rst,
    input  wire start,            // a config write set Initiate FLR
    input  wire handler_idle,     // no request being handled, no completion waiting
    input  wire tx_busy,          // tx shows a beat
    output wire pending,          // stop: no message, no new request
    output wire function_reset    // the FLR itself, one cycle
);

    reg pending_reg, reset_reg;
    wire fire = pending_reg && handler_idle && !tx_busy;

    always @(posedge clk) begin
        if (rst) begin
            pending_reg <= 1'b0;
            reset_reg <= 1'b0;
        end else begin
            pending_reg <= (pending_reg && !fire) || start;
            reset_reg <= fire;
        end
    end

    assign pending = pending_reg;
    assign function_reset = reset_reg;

endmodule

`resetall
