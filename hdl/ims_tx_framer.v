// SPDX-License-Identifier: MIT
//
// ims_tx_framer: puts completions and interrupt messages on the tx
// AXI4-Stream, one TLP per packet, DW k of a TLP in bits
// [32*(k%W)+31 : 32*(k%W)] of beat k/W (W = DATA_WIDTH/32). Every tx
// output is a register.
//
// Each source offers a whole TLP of up to 6 DWs (valid + DWs + count). A
// TLP is loaded when the output is empty or shows the last beat of the
// previous TLP as it leaves, so TLPs follow each other with no idle
// cycle. When both sources wait they alternate. `cpl_take` / `msg_take`
// mark the edge at which a TLP is loaded: the edge that shows its first
// beat on tx.

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

    localparam integer W = DATA_WIDTH / 32;          // DWs per beat
    localparam [3:0] W4 = W[3:0];
    localparam BEATS_MAX = (6 + W - 1) / W;          // beats of the longest TLP
    localparam TLP_BITS = 32 * W * BEATS_MAX;

    reg                  valid_reg, last_reg, last_was_msg_reg;
    reg [DATA_WIDTH-1:0] data_reg;
    reg [W-1:0]          keep_reg;
    reg [3:0]            left_reg;       // DWs after the beat shown

    // Load when the output is free at this edge. Which source is loaded
    // does not depend on tx_tready, only whether a load happens, so the
    // data path from the sources is short.
    wire free = !valid_reg || (tx_tready && last_reg);
    wire step = valid_reg && tx_tready && !last_reg;
    wire choose_msg = msg_valid && (!cpl_valid || !last_was_msg_reg);
    wire load = free && (msg_valid || cpl_valid);
    assign msg_take = free && choose_msg;
    assign cpl_take = free && cpl_valid && !choose_msg;

    wire [191:0] load_dws = choose_msg ? msg_dws : cpl_dws;
    wire [3:0]   load_n = {1'b0, choose_msg ? msg_ndw : cpl_ndw};
    wire [TLP_BITS-1:0] load_tlp;
    generate
        if (TLP_BITS > 192) begin : g_pad
            assign load_tlp = {{(TLP_BITS - 192){1'b0}}, load_dws};
        end else begin : g_exact
            assign load_tlp = load_dws;
        end
    endgenerate

    // tkeep of a beat with n DWs still to send
    function [W-1:0] keep_of;
        input [3:0] n;
        integer i;
        begin
            for (i = 0; i < W; i = i + 1)
                keep_of[i] = n > i[3:0];
        end
    endfunction

    // Control: valid, tlast, tkeep of the beat shown (all 0 when idle)
    always @(posedge clk) begin
        if (rst) begin
            valid_reg <= 1'b0;
            last_reg <= 1'b0;
            last_was_msg_reg <= 1'b0;
            keep_reg <= {W{1'b0}};
            left_reg <= 4'd0;
        end else if (load) begin
            valid_reg <= 1'b1;
            last_reg <= load_n <= W4;
            keep_reg <= keep_of(load_n);
            left_reg <= (load_n > W4) ? load_n - W4 : 4'd0;
            last_was_msg_reg <= choose_msg;
        end else if (step) begin
            last_reg <= left_reg <= W4;
            keep_reg <= keep_of(left_reg);
            left_reg <= (left_reg > W4) ? left_reg - W4 : 4'd0;
        end else if (valid_reg && tx_tready) begin
            valid_reg <= 1'b0;
            last_reg <= 1'b0;
            keep_reg <= {W{1'b0}};
        end
    end

    // Data: the first beat of a loaded TLP, then the following beats. The
    // registers load whenever the output is free (a TLP or not: valid_reg
    // says which), so the source's data only passes the choice between
    // completion and message.
    generate
        if (BEATS_MAX > 2) begin : g_three_beats
            localparam REST_BITS = TLP_BITS - DATA_WIDTH;
            reg [REST_BITS-1:0] rest_reg;
            always @(posedge clk) begin
                if (free) begin
                    data_reg <= load_tlp[DATA_WIDTH-1:0];
                    rest_reg <= load_tlp[TLP_BITS-1:DATA_WIDTH];
                end else if (step) begin
                    data_reg <= rest_reg[DATA_WIDTH-1:0];
                    rest_reg <= {{DATA_WIDTH{1'b0}}, rest_reg[REST_BITS-1:DATA_WIDTH]};
                end
            end
        end else if (BEATS_MAX == 2) begin : g_two_beats
            reg [DATA_WIDTH-1:0] rest_reg;
            always @(posedge clk) begin
                if (free) begin
                    data_reg <= load_tlp[DATA_WIDTH-1:0];
                    rest_reg <= load_tlp[TLP_BITS-1:DATA_WIDTH];
                end else if (step) begin
                    data_reg <= rest_reg;
                end
            end
        end else begin : g_one_beat
            always @(posedge clk)
                if (free)
                    data_reg <= load_tlp;
        end
    endgenerate

    assign tx_tdata = data_reg;
    assign tx_tkeep = keep_reg;
    assign tx_tlast = last_reg;
    assign tx_tvalid = valid_reg;

endmodule

`resetall
