// SPDX-License-Identifier: MIT
//
// ims_late_select: out = option number sel (W bits each). Synthesis keeps
// it a netlist of its own (keep_hierarchy), so that sel, a signal that
// arrives late in the cycle, stays at the last LUT before the register it
// feeds: the options are computed from early signals in front of it, and
// the optimiser cannot fold sel into that logic (which would put it first).
// A mux of 2 or 4 options is one LUT (with the PFU's wide-function muxes).

`timescale 1ns / 1ps
`default_nettype none
`include "ims_params.vh"

`ifndef FORMAL
(* keep_hierarchy *)
`endif
module ims_late_select #(
    // Select bits, 1 or more: 2**N options
    parameter N = 1,
    // Bits of an option, 1 or more
    parameter W = 1
) (
    input  wire [(W << N)-1:0] options,   // option k: bits W*k +: W
    input  wire [N-1:0]        sel,
    output wire [W-1:0]        out
);

    // Illegal parameters stop elaboration with the instance's name
    initial begin
        `IMS_CHECK(N >= 1, "N", N, "at least 1")
        `IMS_CHECK(W >= 1, "W", W, "at least 1")
    end

    // A tree of 2:1 muxes, select bit 0 first (a ?: tree, not an indexed
    // part select: with sel unknown in simulation it yields the options'
    // common bits, as the hardware does, where a part select yields X).
    // Level l (2**(N-l) options) starts at bit W * (2**(N+1) - 2**(N-l+1)).
    wire [(W << (N + 1)) - W - 1:0] tree;
    assign tree[(W << N) - 1:0] = options;
    genvar l, k;
    generate
        for (l = 0; l < N; l = l + 1) begin : g_level
            localparam FROM = (W << (N + 1)) - (W << (N - l + 1));
            localparam TO = (W << (N + 1)) - (W << (N - l));
            for (k = 0; k < (1 << (N - l - 1)); k = k + 1) begin : g_mux
                assign tree[TO + W*k +: W] = sel[l] ? tree[FROM + W*(2*k+1) +: W]
                                                    : tree[FROM + W*(2*k) +: W];
            end
        end
    endgenerate
    assign out = tree[(W << (N + 1)) - 2*W +: W];

endmodule

`resetall
