// SPDX-License-Identifier: MIT
//
// ims_rx_deframer: collects one TLP from the rx AXI4-Stream for the
// request handler. DW k of the packet is in lane k%W of beat k/W (the
// framing of ../shared/CONTRACT.md), so each DW's place is known from its
// beat and lane: no packing logic.
//
// With SKIP_PREFIX (a function that supports one End-End TLP Prefix), a
// TLP prefix (Fmt 100b) in DW0 is set apart (tlp_prefix) and the DWs after
// it are the TLP; without, every DW is. The first 6 DWs of the TLP (a 4-DW
// header and a 2-DW payload at most; behind a second prefix, that prefix
// first) are kept, the rest only counted, so the handler can check the
// header's Length against what arrived and decide on the prefixes
// (design.md 2). A packet is flagged bad (the handler drops it) when its
// tkeep is not contiguous from lane 0 and full on every beat but the last.
//
// rx_tready is a register: low from the edge after a TLP's last beat until
// the handler has taken the TLP, so TLPs are handled one at a time.

`timescale 1ns / 1ps
`default_nettype none
`include "ims_params.vh"

module ims_rx_deframer #(
    // Stream width in bits: 64, 128 or 256
    parameter DATA_WIDTH = 64,
    // 1: a prefix in DW0 is set apart; 0: prefixes are TLP DWs like the rest
    parameter SKIP_PREFIX = 1
) (
    input  wire                     clk,
    input  wire                     rst,
    input  wire                     enable,

    /* verilator lint_off UNUSEDSIGNAL */
    input  wire [DATA_WIDTH-1:0]    rx_tdata,    // at 256 bits, lane 7 is never kept
    /* verilator lint_on UNUSEDSIGNAL */
    input  wire [DATA_WIDTH/32-1:0] rx_tkeep,
    input  wire                     rx_tlast,
    input  wire                     rx_tvalid,
    output wire                     rx_tready,

    output wire                     tlp_valid,
    output wire [191:0]             tlp_dws,     // DW k after the prefix in bits 32k+31:32k
    output wire [11:0]              tlp_ndw,     // DWs after the prefix (saturates)
    output wire                     tlp_prefixed,   // DW0 was a prefix, set apart
    output wire [31:0]              tlp_prefix,
    output wire [11:0]              tlp_expected_ndw,  // DWs its header says it has
    output wire [1:0]               tlp_length_1_2,    // {Length is 2, Length is 1} of tlp_dws
    // BAR0 hit of the header's address, compared as its DWs arrive:
    // 3DW (DW2 is ADDRESS[31:2]) and 4DW (DW2, DW3 are ADDRESS[63:32],
    // ADDRESS[31:2]); bar0_base only changes between TLPs
    input  wire [63:20]             bar0_base,
    output wire                     tlp_bar_hit_3dw,
    output wire                     tlp_bar_hit_4dw,
    // no header to complete to (fewer than two DWs after the prefix) or
    // bad framing (tkeep): Malformed
    output wire                     tlp_headerless,
    input  wire                     tlp_done
);

    // Illegal parameters stop elaboration with the instance's name
    initial begin
        `IMS_CHECK_DATA_WIDTH("DATA_WIDTH", DATA_WIDTH)
        `IMS_CHECK_RANGE("SKIP_PREFIX", SKIP_PREFIX, 0, 1)
    end

    localparam integer W = DATA_WIDTH / 32;
    localparam [11:0] NDW_MAX = 12'hFFF;

    reg        rx_tready_reg;
    reg [2:0]  beat_reg;          // beat number in the packet (saturates at 7)
    reg        prefixed_reg;      // one prefix in front of the header
    reg [11:0] count_reg;         // DWs after the prefix so far
    reg        bad_reg;
    // The TLP handed to the request handler (the tlp_* outputs)
    reg         tlp_valid_reg, tlp_headerless_reg, tlp_prefixed_reg;
    reg [31:0]  tlp_prefix_reg;
    reg [191:0] tlp_dws_reg;
    reg [11:0]  tlp_ndw_reg, tlp_expected_ndw_reg;

    wire accept = rx_tvalid && rx_tready_reg;
    wire first = beat_reg == 3'd0;

    // DWs of this beat and their number (tkeep contiguous from lane 0)
    function [3:0] ones;
        input [W-1:0] keep;
        integer i;
        begin
            ones = 4'd0;
            for (i = 0; i < W; i = i + 1)
                if (keep[i]) ones = i[3:0] + 4'd1;
        end
    endfunction
    /* verilator lint_off UNUSEDSIGNAL */
    wire [W:0] keep_plus_one = {1'b0, rx_tkeep} + 1'b1;    // carry out unused
    /* verilator lint_on UNUSEDSIGNAL */
    wire keep_ok = rx_tkeep != {W{1'b0}} && (rx_tkeep & keep_plus_one[W-1:0]) == {W{1'b0}}
                && (rx_tlast || rx_tkeep == {W{1'b1}});
    wire [3:0] beat_dws = ones(rx_tkeep);

    // A prefix in lane 0 of the first beat is set apart
    wire pfx0 = SKIP_PREFIX != 0 && rx_tkeep[0] && rx_tdata[31:29] == 3'b100;
    wire prefixed = first ? pfx0 : prefixed_reg;
    wire [3:0] body_dws = beat_dws - {3'd0, first && pfx0};
    wire [12:0] count_sum = {1'b0, count_reg} + {9'd0, body_dws};
    wire [11:0] count_next = count_sum[12] ? NDW_MAX : count_sum[11:0];
    // fewer than two DWs with this beat's: from the count and the beat's
    // DWs, not from their sum (the handler's every decision starts here)
    wire count_below_2 = count_reg[11:1] == 11'd0 && body_dws[3:1] == 3'd0
                      && !(count_reg[0] && body_dws[0]);

    // The DW count the header announces (Fmt, Length, TD), taken from DW0
    // as it arrives in the first beat, so that the handler compares two
    // registers: 3 or 4 header DWs, Length payload DWs (0 means 1024) if
    // it has data, and a TLP Digest DW if TD. (DW0 is in lane 1 behind a
    // prefix; tkeep is left out of that choice: a packet without lane 0 is
    // bad anyway.)
    /* verilator lint_off UNUSEDSIGNAL */
    wire [31:0] dw0 = pfx0 ? rx_tdata[63:32] : rx_tdata[31:0];
    /* verilator lint_on UNUSEDSIGNAL */
    wire [10:0] dw0_length = {dw0[9:0] == 10'd0, dw0[9:0]};   // 0 means 1024
    wire [11:0] expected_ndw = {1'b0, dw0[30] ? dw0_length : 11'd0}
                             + {9'd0, dw0[29] ? 3'd4 : 3'd3} + {11'd0, dw0[15]};

    wire tlp_valid_next = (accept && rx_tlast) || (tlp_valid_reg && !tlp_done);
    assign rx_tready = rx_tready_reg;
    assign tlp_valid = tlp_valid_reg;
    assign tlp_dws = tlp_dws_reg;
    assign tlp_ndw = tlp_ndw_reg;
    assign tlp_expected_ndw = tlp_expected_ndw_reg;
    assign tlp_headerless = tlp_headerless_reg;
    assign tlp_prefixed = tlp_prefixed_reg;
    assign tlp_prefix = tlp_prefix_reg;

    // Kept DW j (after the prefix) is packet DW j+prefixed: lane (j+p)%W
    // of beat (j+p)/W. The address DWs are also compared with BAR0 as they
    // arrive (flags 0 until the DW is in)
    reg       dw2_hi_eq_reg, dw2_lo_eq_reg, dw3_lo_eq_reg;
    genvar j;
    generate
        for (j = 0; j < 6; j = j + 1) begin : g_slot
            localparam integer BEAT0 = j / W, BEAT1 = (j + 1) / W;
            wire here0 = beat_reg == BEAT0[2:0] && rx_tkeep[j % W];
            wire here1 = beat_reg == BEAT1[2:0] && rx_tkeep[(j + 1) % W];
            wire [31:0] dw_lane0 = rx_tdata[32*(j % W) +: 32];         // no prefix
            wire [31:0] dw_lane1 = rx_tdata[32*((j + 1) % W) +: 32];   // behind one
            wire [31:0] dw = prefixed ? dw_lane1 : dw_lane0;
            wire load = accept && (prefixed ? here1 : here0);
            always @(posedge clk) begin
                if (rst)
                    tlp_dws_reg[32*j +: 32] <= 32'd0;
                else if (load)
                    tlp_dws_reg[32*j +: 32] <= dw;
                else if (accept && first)
                    tlp_dws_reg[32*j +: 32] <= 32'd0;   // not in this TLP (yet)
            end
            // (both lanes the DW may be in are compared, then one result is
            // chosen: no wide multiplexer in front of the compare)
            if (j == 2) begin : g_dw2
                wire hi_eq = prefixed ? dw_lane1 == bar0_base[63:32]
                                      : dw_lane0 == bar0_base[63:32];
                wire lo_eq = prefixed ? dw_lane1[31:20] == bar0_base[31:20]
                                      : dw_lane0[31:20] == bar0_base[31:20];
                always @(posedge clk)
                    if (load) begin
                        dw2_hi_eq_reg <= hi_eq;
                        dw2_lo_eq_reg <= lo_eq;
                    end else if (rst || (accept && first)) begin
                        dw2_hi_eq_reg <= 1'b0;
                        dw2_lo_eq_reg <= 1'b0;
                    end
            end
            // (DW0's Length compared as it arrives: the handler's
            // decisions and write data depend on it)
            if (j == 0) begin : g_dw0
                reg [1:0] length_1_2_reg;
                always @(posedge clk)
                    if (rst)
                        length_1_2_reg <= 2'b00;
                    else if (load)
                        length_1_2_reg <= {dw[9:0] == 10'd2, dw[9:0] == 10'd1};
                    else if (accept && first)
                        length_1_2_reg <= 2'b00;    // as the DW: 0, Length 1024
                assign tlp_length_1_2 = length_1_2_reg;
            end
            if (j == 3) begin : g_dw3
                wire lo_eq = prefixed ? dw_lane1[31:20] == bar0_base[31:20]
                                      : dw_lane0[31:20] == bar0_base[31:20];
                always @(posedge clk)
                    if (load)
                        dw3_lo_eq_reg <= lo_eq;
                    else if (rst || (accept && first))
                        dw3_lo_eq_reg <= 1'b0;
            end
        end
    endgenerate
    // a 3DW address has ADDRESS[63:32] 0
    reg bar_hi_zero_reg;
    always @(posedge clk)
        bar_hi_zero_reg <= bar0_base[63:32] == 32'd0;
    assign tlp_bar_hit_3dw = dw2_lo_eq_reg && bar_hi_zero_reg;
    assign tlp_bar_hit_4dw = dw2_hi_eq_reg && dw3_lo_eq_reg;

    // Packet state; rx_tready low while a TLP waits for the handler.
    // tlp_done, a late signal from the request handler and the tx side,
    // enters only tlp_valid: the packet state restarts at the last beat,
    // the kept DWs and the address compares at the next first beat, and
    // the tlp_* fields are loaded at the last beat and only read while
    // tlp_valid is set
    always @(posedge clk) begin
        if (rst || (accept && rx_tlast)) begin
            beat_reg <= 3'd0;
            prefixed_reg <= 1'b0;
            count_reg <= 12'd0;
            bad_reg <= 1'b0;
        end else if (accept) begin
            if (beat_reg != 3'd7)
                beat_reg <= beat_reg + 3'd1;
            prefixed_reg <= prefixed;
            count_reg <= count_next;
            bad_reg <= bad_reg || !keep_ok;
        end
        // The first beat's fields
        if (!rst && accept && first) begin
            tlp_expected_ndw_reg <= expected_ndw;
            tlp_prefix_reg <= pfx0 ? rx_tdata[31:0] : 32'd0;
        end
        if (rst) begin
            tlp_ndw_reg <= 12'd0;
            tlp_headerless_reg <= 1'b0;
            tlp_prefixed_reg <= 1'b0;
        end else if (accept && rx_tlast) begin
            tlp_ndw_reg <= count_next;
            tlp_headerless_reg <= bad_reg || !keep_ok || count_below_2;
            tlp_prefixed_reg <= prefixed;
        end
        if (rst) begin
            tlp_valid_reg <= 1'b0;
            rx_tready_reg <= 1'b0;
        end else begin
            tlp_valid_reg <= tlp_valid_next;
            rx_tready_reg <= enable && !tlp_valid_next;
        end
    end

endmodule

`resetall
