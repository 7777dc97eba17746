// SPDX-License-Identifier: MIT
//
// ims_framer_formal: the formal harness of the tx framer alone (issue 11,
// property 1 proven: formal/framer.sby, `mode prove`, k-induction). At the
// device's ports (formal/ims_formal_top.v) the tx stream rules are checked
// by bmc, and within its depths on completions only; here ims_tx_framer
// gets every TLP the engine can offer, in any order, under any
// backpressure, and the rules are proven for all time, not to a depth.
//
// Free in every cycle (the solver chooses): the engine's offer (tlp_valid,
// tlp_dws, tlp_ndw), tx_tready, and reset after the first cycle (the
// framer's reset is synchronous and may come in any cycle). Assumptions,
// each what ims_msg_engine guarantees the framer:
//   A1  reset in the first cycle
//   A2  an offered TLP has 3 to 6 DWs: a completion without data (Cpl,
//       3DW header), a CplD of 1 or 2 DWs (4, 5), an Error Message (4DW
//       header, 4), an interrupt message (3DW or 4DW header + DATA, and a
//       PASID prefix DW when it has one: 4, 5, 6) (ims_req_handler's
//       cpl_ndw, ims_msg_tlp's ndw)
//   A3  tlp_rest_dws in the cycle after a take is the TLP taken at that
//       edge (ims_msg_engine keeps it there: "in the cycle after, the TLP
//       taken stays in tx_rest_dws"); in every other cycle it is free, so
//       a framer that read it at another time would fail
// The offer need not hold while it is not taken (the engine may offer
// another TLP in the next cycle), and its DWs beyond tlp_ndw are free.
// The data is symbolic in full (192 bits of each TLP): the solver needs no
// abstraction here (the framer only moves the DWs).
//
// The shadow: the TLP taken (its DWs and count) and the beat of it shown
// (f_beat); DW k of the TLP belongs in lane k%W of beat k/W (CONTRACT.md
// "TLP framing").
//
// Helper invariants (h_*) tie the shadow to the framer's hidden state
// (left_reg, fresh_reg, rest_reg): k-induction needs them, because an
// unreachable state can hide under backpressure for any number of cycles.
// Yosys has no hierarchical references, so the harness declares undriven
// wires f_dut_* and formal/framer.sby connects them to the flattened
// framer's registers (`connect -set`); a wire left unconnected would be
// free, and its helper would fail.
//
// This file is for Yosys only (read_verilog -formal).

`default_nettype none

module ims_framer_formal #(
    // Stream width in bits: 64, 128 or 256
    parameter DATA_WIDTH = 64
) (
    input  wire         clk,
    input  wire         rst,
    input  wire         tlp_valid,
    input  wire [191:0] tlp_dws,
    input  wire [2:0]   tlp_ndw,
    input  wire [191:0] tlp_rest_free,   // tlp_rest_dws outside the cycle after a take
    input  wire         tx_tready
);

    localparam integer W = DATA_WIDTH / 32;          // DWs per beat
    localparam [5:0] W6 = W[5:0];
    localparam integer BEATS_MAX = (6 + W - 1) / W;  // beats of a 6-DW TLP
    localparam integer TLP_BITS = 32 * W * BEATS_MAX;

    wire                  tlp_take;
    wire [191:0]          tlp_rest_dws;
    wire [DATA_WIDTH-1:0] tx_tdata;
    wire [W-1:0]          tx_tkeep;
    wire                  tx_tlast, tx_tvalid;

    ims_tx_framer #(.DATA_WIDTH(DATA_WIDTH)) dut (
        .clk(clk), .rst(rst),
        .tlp_valid(tlp_valid), .tlp_dws(tlp_dws), .tlp_ndw(tlp_ndw), .tlp_take(tlp_take),
        .tlp_rest_dws(tlp_rest_dws),
        .tx_tdata(tx_tdata), .tx_tkeep(tx_tkeep), .tx_tlast(tx_tlast),
        .tx_tvalid(tx_tvalid), .tx_tready(tx_tready));

    // The framer's hidden registers, connected by formal/framer.sby
    // (undriven here on purpose: see the header)
    wire [3:0]   f_dut_left;      // dut.left_reg
    wire         f_dut_fresh;     // dut.fresh_reg
    wire [127:0] f_dut_rest;      // dut.g_three_beats.rest_reg (64), g_two_beats.rest_reg (128)

    // ---------------------------------------------------------------
    // Assumptions
    // ---------------------------------------------------------------
    reg f_past_valid = 1'b0;     // a clock edge has passed (the first one a reset)
    always @(posedge clk)
        f_past_valid <= 1'b1;
    always @(*) begin
        // A1
        if (!f_past_valid)
            assume(rst);
        // A2
        if (tlp_valid)
            assume(tlp_ndw >= 3'd3 && tlp_ndw <= 3'd6);
    end

    // ---------------------------------------------------------------
    // The shadow of the TLP taken, and A3
    // ---------------------------------------------------------------
    reg         f_busy = 1'b0;   // a taken TLP has beats not yet accepted
    reg [1:0]   f_beat = 2'd0;   // the beat of it shown
    reg [3:0]   f_ndw = 4'd0;    // its DW count
    reg [191:0] f_tlp;           // its DWs, as taken
    reg         f_fresh = 1'b0;  // it was taken at the last edge

    wire [5:0] f_sent = W6 * {4'd0, f_beat};         // DWs before the beat shown
    wire       f_model_last = f_sent + W6 >= {2'b0, f_ndw};

    always @(posedge clk) begin
        if (rst) begin
            f_busy <= 1'b0;
            f_beat <= 2'd0;
            f_fresh <= 1'b0;
        end else begin
            f_fresh <= tlp_take;
            if (tlp_take) begin
                f_busy <= 1'b1;
                f_beat <= 2'd0;
                f_ndw <= {1'b0, tlp_ndw};
                f_tlp <= tlp_dws;
            end else if (f_busy && tx_tready) begin
                if (f_model_last)
                    f_busy <= 1'b0;
                else
                    f_beat <= f_beat + 2'd1;
            end
        end
    end
    // A3
    assign tlp_rest_dws = f_fresh ? f_tlp : tlp_rest_free;

    // What the beat shown must carry: DWs W*f_beat .. W*f_beat+W-1 of the TLP
    wire [TLP_BITS-1:0] f_tlp_pad;
    generate
        if (TLP_BITS > 192) begin : g_pad
            assign f_tlp_pad = {{(TLP_BITS - 192){1'b0}}, f_tlp};
        end else begin : g_exact
            assign f_tlp_pad = f_tlp;
        end
    endgenerate
    wire [TLP_BITS-1:0]   f_from_beat = f_tlp_pad >> (DATA_WIDTH * f_beat);
    wire [DATA_WIDTH-1:0] f_want = f_from_beat[DATA_WIDTH-1:0];
    // the DWs after the beat shown (the framer's rest_reg, from beat f_beat+1)
    wire [TLP_BITS-1:0]   f_after_beat = f_from_beat >> DATA_WIDTH;

    // tkeep's lanes, 32 bits each
    reg [DATA_WIDTH-1:0] f_keep_bits;
    integer i;
    always @(*)
        for (i = 0; i < DATA_WIDTH; i = i + 1)
            f_keep_bits[i] = tx_tkeep[i / 32];

    function [5:0] ones;
        input [W-1:0] keep;
        integer j;
        begin
            ones = 6'd0;
            for (j = 0; j < W; j = j + 1)
                ones = ones + {5'd0, keep[j]};
        end
    endfunction

    function keep_contiguous;
        input [W-1:0] keep;
        begin
            keep_contiguous = keep != {W{1'b0}}
                           && (keep & (keep + {{(W-1){1'b0}}, 1'b1})) == {W{1'b0}};
        end
    endfunction

    // DWs sent through the beat shown
    wire [5:0] f_end = f_sent + ones(tx_tkeep);

    // ---------------------------------------------------------------
    // (1) tx is AXI4-Stream, framed as CONTRACT.md "TLP framing" says
    // ---------------------------------------------------------------
    always @(posedge clk)
        if (f_past_valid && !$past(rst) && $past(tx_tvalid && !tx_tready)) begin
            // (a) "while tx_tvalid && !tx_tready, tvalid stays high and
            // tdata, tkeep, tlast hold" (AXI4-Stream: once TVALID is
            // asserted it must remain asserted until the handshake)
            p_tx_hold_valid: assert(tx_tvalid);
            p_tx_hold_data:  assert(tx_tdata == $past(tx_tdata) && tx_tkeep == $past(tx_tkeep)
                                    && tx_tlast == $past(tx_tlast));
        end

    always @(*)
        if (f_past_valid) begin
            if (tx_tvalid) begin
                // (b) "tkeep marks present DWs ... DW k in lane k%W of beat
                // k/W": contiguous from lane 0, full on every beat but the last
                p_tx_keep: assert(keep_contiguous(tx_tkeep) && (tx_tlast || tx_tkeep == {W{1'b1}}));
                // (c) "tlast on its last beat": exactly on the beat where the
                // DWs sent reach the count of the TLP taken
                p_tx_last: assert(tx_tlast == (f_end >= {2'b0, f_ndw})
                                  && (!tx_tlast || f_end == {2'b0, f_ndw}));
                // (d) "DW k of a TLP sits in bits [32*(k%W)+31 : 32*(k%W)] of
                // beat k/W": beat f_beat carries DWs W*f_beat.. of the TLP
                // taken, in the lanes tkeep marks (CONTRACT.md says nothing
                // of the other lanes: they are free)
                p_tx_data: assert(((tx_tdata ^ f_want) & f_keep_bits) == {DATA_WIDTH{1'b0}});
            end
            // (e) "A TLP is loaded when the output is empty or shows the
            // last beat of the previous TLP as it leaves, so TLPs follow
            // each other with no idle cycle" (ims_tx_framer): the take is
            // exactly then, while a TLP is offered
            if (!rst)
                p_line_rate: assert(tlp_take == (tlp_valid && (!tx_tvalid || (tx_tready && tx_tlast))));
            // (e) tvalid is high exactly from a take until the last beat of
            // the TLP taken is accepted: it never rises without a take and
            // shows no beat of its own (an empty or repeated one)
            p_tx_valid: assert(tx_tvalid == f_busy);
        end

    // ---------------------------------------------------------------
    // Helper invariants for the induction: the framer's state is the
    // shadow's (each is implied on reachable states; the proof shows it)
    // ---------------------------------------------------------------
    always @(*)
        if (f_past_valid) begin
            // the TLP shown has a count the engine offers, and the beat
            // shown has DWs of it
            h_count: assert(!f_busy || (f_ndw >= 4'd3 && f_ndw <= 4'd6 && f_sent < {2'b0, f_ndw}));
            // left_reg: the DWs after the beat shown
            h_left: assert({2'b0, f_dut_left} == ((f_busy && !f_model_last)
                                                  ? {2'b0, f_ndw} - f_sent - W6 : 6'd0));
            // fresh_reg: a take at the last edge, which showed beat 0
            h_fresh: assert(f_dut_fresh == f_fresh && (!f_fresh || (f_busy && f_beat == 2'd0)));
            // idle: nothing shown
            h_idle: assert(f_busy || (!tx_tlast && tx_tkeep == {W{1'b0}}));
            // data_reg: the whole beat shown (all lanes, the framer loads
            // whole beats)
            h_data: assert(!f_busy || tx_tdata == f_want);
        end
    generate
        if (BEATS_MAX > 2) begin : g_rest3
            // rest_reg (64 bits): the beats after the one shown, copied in the
            // cycle after the take
            always @(*)
                if (f_past_valid)
                    h_rest: assert(!f_busy || f_fresh
                                   || f_dut_rest == f_after_beat[TLP_BITS-DATA_WIDTH-1:0]);
        end else if (BEATS_MAX == 2) begin : g_rest2
            // rest_reg (128 bits): beat 1, copied in the cycle after the take
            always @(*)
                if (f_past_valid)
                    h_rest: assert(!f_busy || f_fresh
                                   || f_dut_rest == f_tlp_pad[TLP_BITS-1:DATA_WIDTH]);
        end else begin : g_rest1
            // (256 bits: one beat, no rest_reg; f_dut_rest is not connected)
            wire unused_rest = &{1'b0, f_dut_rest, f_after_beat};
        end
    endgenerate

    // ---------------------------------------------------------------
    // Covers: nothing passes vacuously
    // ---------------------------------------------------------------
    reg [1:0] f_chain = 2'd0;    // TLPs in a row, each taken as the last beat left
    always @(posedge clk)
        if (rst || (tx_tvalid && tx_tready && tx_tlast && !tlp_take))
            f_chain <= 2'd0;
        else if (tx_tvalid && tx_tready && tx_tlast && tlp_take && f_chain != 2'd3)
            f_chain <= f_chain + 2'd1;

    reg f_held = 1'b0;           // the beat shown was held by tx_tready low
    always @(posedge clk)
        f_held <= !rst && tx_tvalid && !tx_tready;

    wire f_sent_last = f_past_valid && !rst && tx_tvalid && tx_tready && tx_tlast;
    always @(posedge clk) begin
        // a take as a last beat that was held under backpressure leaves
        c_take_after_hold: cover(f_past_valid && !rst && f_held && tlp_take && tx_tvalid);
        // a 6-DW TLP's last beat, BEATS_MAX beats (3 at 64 bits)
        c_six_dws: cover(f_sent_last && f_ndw == 4'd6 && f_beat == BEATS_MAX - 1);
        // every count the engine offers, sent
        c_three_dws: cover(f_sent_last && f_ndw == 4'd3);
        c_four_dws: cover(f_sent_last && f_ndw == 4'd4);
        c_five_dws: cover(f_sent_last && f_ndw == 4'd5);
        // three TLPs back to back (each taken as the last beat before it left)
        c_back_to_back: cover(f_chain == 2'd2 && f_sent_last);
        // a reset while a TLP is shown
        c_reset_busy: cover(f_past_valid && rst && tx_tvalid);
    end

endmodule
