// SPDX-License-Identifier: MIT
//
// ims_tx_framer: puts completions and interrupt messages on the tx
// AXI4-Stream, one TLP per packet, DW k of a TLP in bits
// [32*(k%W)+31 : 32*(k%W)] of beat k/W (W = DATA_WIDTH/32). Every tx
// output is a register.
//
// The engine (ims_msg_engine) offers the next TLP of up to 6 DWs (valid +
// DWs + count). A TLP is loaded when the output is empty or shows the last
// beat of the previous TLP as it leaves, so TLPs follow each other with no
// idle cycle. `tlp_take` marks the edge at which a TLP is loaded: the edge
// that shows its first beat on tx.
//
// Only the first beat is loaded at that edge (the path from the engine's
// choice is short and narrow); the beats after it are copied in the next
// cycle from tlp_rest_dws, where the engine keeps the TLP taken.

`timescale 1ns / 1ps
`default_nettype none
`include "ims_params.vh"

module ims_tx_framer #(
    // Stream width in bits: 64, 128 or 256
    parameter DATA_WIDTH = 64
) (
    input  wire                     clk,
    input  wire                     rst,

    // The next TLP (ims_msg_engine chooses it), loaded at the take
    input  wire                     tlp_valid,
    input  wire [191:0]             tlp_dws,
    input  wire [2:0]               tlp_ndw,
    output wire                     tlp_take,
    input  wire [191:0]             tlp_rest_dws,   // the TLP taken at the last edge

    output wire [DATA_WIDTH-1:0]    tx_tdata,
    output wire [DATA_WIDTH/32-1:0] tx_tkeep,
    output wire                     tx_tlast,
    output wire                     tx_tvalid,
    input  wire                     tx_tready
);

    // Illegal parameters stop elaboration with the instance's name
    initial begin
        `IMS_CHECK_DATA_WIDTH("DATA_WIDTH", DATA_WIDTH)
    end

    localparam integer W = DATA_WIDTH / 32;          // DWs per beat
    localparam [3:0] W4 = W[3:0];
    localparam BEATS_MAX = (6 + W - 1) / W;          // beats of the longest TLP
    localparam TLP_BITS = 32 * W * BEATS_MAX;

    reg                  valid_reg, last_reg;
    reg [DATA_WIDTH-1:0] data_reg;
    reg [W-1:0]          keep_reg;
    reg [3:0]            left_reg;       // DWs after the beat shown

    // Load when the output is free at this edge
    wire free = !valid_reg || (tx_tready && last_reg);
    wire step = valid_reg && tx_tready && !last_reg;
    wire load = free && tlp_valid;
    assign tlp_take = load;

    wire [3:0] load_n = {1'b0, tlp_ndw};
    /* verilator lint_off UNUSEDSIGNAL */
    wire [TLP_BITS-1:0] load_tlp;        // its first beat (all of it at 256 bits)
    /* verilator lint_on UNUSEDSIGNAL */
    generate
        if (TLP_BITS > 192) begin : g_pad
            assign load_tlp = {{(TLP_BITS - 192){1'b0}}, tlp_dws};
        end else begin : g_exact
            assign load_tlp = tlp_dws;
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
            keep_reg <= {W{1'b0}};
            left_reg <= 4'd0;
        end else if (load) begin
            valid_reg <= 1'b1;
            last_reg <= (load_n <= W4);
            keep_reg <= keep_of(load_n);
            left_reg <= (load_n > W4) ? load_n - W4 : 4'd0;
        end else if (step) begin
            last_reg <= (left_reg <= W4);
            keep_reg <= keep_of(left_reg);
            left_reg <= (left_reg > W4) ? left_reg - W4 : 4'd0;
        end else if (valid_reg && tx_tready) begin
            valid_reg <= 1'b0;
            last_reg <= 1'b0;
            keep_reg <= {W{1'b0}};
        end
    end

    // Data: the first beat of a loaded TLP at the load; in the next cycle
    // (fresh) the beats after it, from the source's stable copy; then they
    // step through.
    reg fresh_reg;
    always @(posedge clk)
        fresh_reg <= !rst && load;
    wire [191:0] stable_dws = tlp_rest_dws;
    /* verilator lint_off UNUSEDSIGNAL */
    wire [TLP_BITS-1:0] stable_tlp;      // the beats after the first
    /* verilator lint_on UNUSEDSIGNAL */
    generate
        if (TLP_BITS > 192) begin : g_pad_stable
            assign stable_tlp = {{(TLP_BITS - 192){1'b0}}, stable_dws};
        end else begin : g_exact_stable
            assign stable_tlp = stable_dws;
        end

        if (BEATS_MAX > 2) begin : g_three_beats
            localparam REST_BITS = TLP_BITS - DATA_WIDTH;     // beats 1, 2
            reg [REST_BITS-1:0] rest_reg;
            always @(posedge clk) begin
                if (free)
                    data_reg <= load_tlp[DATA_WIDTH-1:0];
                else if (step)
                    data_reg <= fresh_reg ? stable_tlp[2*DATA_WIDTH-1:DATA_WIDTH]
                                          : rest_reg[DATA_WIDTH-1:0];
                if (fresh_reg)
                    rest_reg <= step ? {{DATA_WIDTH{1'b0}}, stable_tlp[TLP_BITS-1:2*DATA_WIDTH]}
                                     : stable_tlp[TLP_BITS-1:DATA_WIDTH];
                else if (step)
                    rest_reg <= {{DATA_WIDTH{1'b0}}, rest_reg[REST_BITS-1:DATA_WIDTH]};
            end
        end else if (BEATS_MAX == 2) begin : g_two_beats
            reg [DATA_WIDTH-1:0] rest_reg;                   // beat 1
            always @(posedge clk) begin
                if (free)
                    data_reg <= load_tlp[DATA_WIDTH-1:0];
                else if (step)
                    data_reg <= fresh_reg ? stable_tlp[TLP_BITS-1:DATA_WIDTH] : rest_reg;
                if (fresh_reg)
                    rest_reg <= stable_tlp[TLP_BITS-1:DATA_WIDTH];
            end
        end else begin : g_one_beat
            wire unused_stable = &{1'b0, stable_tlp, fresh_reg};
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
