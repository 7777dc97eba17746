// SPDX-License-Identifier: MIT
//
// ims_ram: an inferred two-port RAM that maps to block RAM (ECP5 DP16KD,
// Xilinx RAMB) or, when shallower than 128 words, to distributed RAM.
//
//   port A  read and write, one write enable per lane of LANE bits (a
//           table entry's byte strobes); bits a user always writes with 0
//           and never reads are not stored
//   port B  read only
//
// Both reads take two cycles: the address is registered by the RAM at the
// first edge and the data by a fabric register at the second, so no path
// starts at a RAM output (about 5.8 ns on ECP5) and ends anywhere but in a
// flip-flop. A read of port A during its own write returns the old word.
// Port B reading the word port A writes at the same edge is undefined
// (`no_rw_check`: no collision logic is built); users must not rely on it,
// and simulation returns X there so that a design that does is caught.

`timescale 1ns / 1ps
`default_nettype none
`include "ims_params.vh"

module ims_ram #(
    // Word width in bits
    parameter WIDTH = 32,
    // Address bits: 2**AW words
    parameter AW = 10,
    // Bits per write-enable lane (WIDTH a multiple of it)
    parameter LANE = WIDTH
) (
    input  wire             clk,

    input  wire [AW-1:0]    a_addr,
    input  wire [WIDTH/LANE-1:0] a_wen,
    input  wire [WIDTH-1:0] a_wdata,
    output wire [WIDTH-1:0] a_rdata,

    input  wire [AW-1:0]    b_addr,
    output wire [WIDTH-1:0] b_rdata
);

    // Illegal parameters stop elaboration with the instance's name
    initial begin
        `IMS_CHECK(WIDTH >= 1, "WIDTH", WIDTH, "at least 1")
        `IMS_CHECK(AW >= 1, "AW", AW, "at least 1")
        `IMS_CHECK_RANGE("LANE", LANE, 1, WIDTH)
        `IMS_CHECK(WIDTH % LANE == 0, "WIDTH", WIDTH, "a multiple of LANE")
    end

    // 128 words or more go to block RAM whatever the width. Distributed
    // RAM reads without a clock, so its read address would run through
    // 8 or more LUT RAMs and their depth multiplexer into the read
    // register in one cycle (a 256 x 2 slot-state RAM was the critical
    // path of the default configuration on ECP5); a block RAM registers
    // the address at its pins.
    /* verilator lint_off UNUSEDPARAM */   // (read by synthesis only)
    localparam RAM_STYLE = (AW >= 7) ? "block" : "auto";
    /* verilator lint_on UNUSEDPARAM */
    (* ram_style = RAM_STYLE, no_rw_check *)
    reg [WIDTH-1:0] mem [0:(1 << AW) - 1];
    reg [WIDTH-1:0] a_q_reg, b_q_reg;
    reg [WIDTH-1:0] a_rdata_reg, b_rdata_reg;

    integer i;

    // Lane-enabled write, registered reads (the RAM's own register)
    always @(posedge clk) begin
        for (i = 0; i < WIDTH / LANE; i = i + 1)
            if (a_wen[i])
                mem[a_addr][LANE*i +: LANE] <= a_wdata[LANE*i +: LANE];
        a_q_reg <= mem[a_addr];
        b_q_reg <= mem[b_addr];
`ifndef SYNTHESIS
        if (|a_wen && a_addr == b_addr)
            b_q_reg <= {WIDTH{1'bx}};
`endif
    end

    // Output registers in the fabric
    always @(posedge clk) begin
        a_rdata_reg <= a_q_reg;
        b_rdata_reg <= b_q_reg;
    end

    assign a_rdata = a_rdata_reg;
    assign b_rdata = b_rdata_reg;

endmodule

`resetall
