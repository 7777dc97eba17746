// SPDX-License-Identifier: MIT
//
// ims_tx_framer: puts completions and interrupt messages on the tx
// AXI4-Stream, one TLP per packet, DW k of a TLP in bits
// [32*(k%W)+31 : 32*(k%W)] of beat k/W (W = DATA_WIDTH/32).
//
// Each source offers a whole TLP of up to 6 DWs (valid + DWs + count).
// A TLP is loaded into the output register when the register is empty or
// its last beat leaves in this cycle, so TLPs follow each other with no
// idle cycle. When both sources wait they alternate. `cpl_take` /
// `msg_take` mark the edge at which a TLP is loaded, which is also the
// edge that shows its first beat on tx.

`timescale 1ns / 1ps
`default_nettype none

module ims_tx_framer #(
    // Stream width in bits: 64, 128 or 256
    parameter DATA_WIDTH = 64
) (
    input  wire                     clk,
    input  wire                     rst,

    input  wire                     cpl_valid,
    input  wire [191:0]             cpl_dws,
    input  wire [2:0]               cpl_ndw,
    output wire                     cpl_take,

    input  wire                     msg_valid,
    input  wire [191:0]             msg_dws,
    input  wire [2:0]               msg_ndw,
    output wire                     msg_take,

    output wire [DATA_WIDTH-1:0]    tx_tdata,
    output wire [DATA_WIDTH/32-1:0] tx_tkeep,
    output wire                     tx_tlast,
    output wire                     tx_tvalid,
    input  wire                     tx_tready
);

    localparam integer W = DATA_WIDTH / 32;  // DWs per beat
    localparam [5:0] W6 = W[5:0];
    localparam BEATS_MAX = (6 + W - 1) / W;  // beats of the longest TLP

    localparam TLP_BITS = 32 * W * BEATS_MAX;

    reg [TLP_BITS-1:0] tlp_reg;
    reg [2:0] ndw_reg;
    reg [2:0] beat_reg;
    reg       valid_reg;
    reg       last_was_msg;

    wire [5:0] dws_sent = ({3'b000, beat_reg} + 6'd1) * W6;
    wire last_beat = dws_sent >= {3'b000, ndw_reg};
    wire slot_free = !valid_reg || (tx_tready && last_beat);

    // Alternate between the sources when both wait
    wire choose_msg = msg_valid && (!cpl_valid || !last_was_msg);
    assign msg_take = slot_free && choose_msg;
    assign cpl_take = slot_free && cpl_valid && !choose_msg;

    wire [191:0] chosen_dws = msg_take ? msg_dws : cpl_dws;
    wire [TLP_BITS-1:0] chosen_tlp;
    generate
        if (TLP_BITS > 192) begin : g_pad
            assign chosen_tlp = {{(TLP_BITS - 192){1'b0}}, chosen_dws};
        end else begin : g_exact
            assign chosen_tlp = chosen_dws;
        end
    endgenerate

    // Output register: load a TLP, else step through its beats
    always @(posedge clk) begin
        if (rst) begin
            valid_reg <= 1'b0;
            beat_reg <= 3'd0;
            ndw_reg <= 3'd0;
            tlp_reg <= {TLP_BITS{1'b0}};
            last_was_msg <= 1'b0;
        end else if (msg_take || cpl_take) begin
            valid_reg <= 1'b1;
            beat_reg <= 3'd0;
            ndw_reg <= msg_take ? msg_ndw : cpl_ndw;
            tlp_reg <= chosen_tlp;
            last_was_msg <= msg_take;
        end else if (valid_reg && tx_tready) begin
            if (last_beat)
                valid_reg <= 1'b0;
            else
                beat_reg <= beat_reg + 3'd1;
        end
    end

    // DWs of this beat that belong to the TLP
    wire [5:0] dws_before = {3'b000, beat_reg} * W6;
    wire [5:0] dws_left = {3'b000, ndw_reg} - dws_before;
    genvar k;
    generate
        for (k = 0; k < W; k = k + 1) begin : g_keep
            assign tx_tkeep[k] = valid_reg && (dws_left > k);
        end
    endgenerate

    assign tx_tdata = valid_reg ? tlp_reg[32*W*beat_reg +: 32*W] : {DATA_WIDTH{1'b0}};
    assign tx_tlast = valid_reg && last_beat;
    assign tx_tvalid = valid_reg;

endmodule

`resetall
