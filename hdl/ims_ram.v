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
//
// With ECP5_OUTREG and a build that defines IMS_ECP5, the RAM is
// ims_ram_ecp5 instead: DP16KD whose own output registers take
// the fabric registers' place (same latency; the data leaves the RAM
// 0.96 ns after the edge instead of 5.8 ns before the fabric register).

`timescale 1ns / 1ps
`default_nettype none
`include "ims_params.vh"

module ims_ram #(
    // Word width in bits
    parameter WIDTH = 32,
    // Address bits: 2**AW words
    parameter AW = 10,
    // Bits per write-enable lane (WIDTH a multiple of it)
    parameter LANE = WIDTH,
    // 1: on ECP5 (IMS_ECP5), read through the DP16KD's output register
    // (ims_ram_ecp5; lanes of up to 9 bits below 2048 words)
    parameter ECP5_OUTREG = 0
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
        `IMS_CHECK_RANGE("ECP5_OUTREG", ECP5_OUTREG, 0, 1)
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

`ifdef IMS_ECP5
    localparam USE_DP16KD = ECP5_OUTREG != 0 && AW <= 15 && (AW >= 11 || LANE <= 9);
`else
    localparam USE_DP16KD = 0;
`endif

    generate
`ifdef IMS_ECP5
        if (USE_DP16KD) begin : g_dp16kd
            ims_ram_ecp5 #(.WIDTH(WIDTH), .AW(AW), .LANE(LANE)) ram (
                .clk(clk), .a_addr(a_addr), .a_wen(a_wen), .a_wdata(a_wdata),
                .a_rdata(a_rdata), .b_addr(b_addr), .b_rdata(b_rdata));
        end else
`endif
        if (!USE_DP16KD) begin : g_inferred

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
        end
    endgenerate

endmodule

`resetall
