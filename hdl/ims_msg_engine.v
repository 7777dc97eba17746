// SPDX-License-Identifier: MIT
//
// ims_msg_engine: the one message engine behind every Interrupt Message
// Store. Generic over STORES stores, each with the same interface:
//
//   requests   req_valid[s], req_index: set a slot of store s pending;
//              req_busy[s]: store s cannot take a request this cycle
//   candidates the store reads a slot's entry and builds its message TLP
//              (cand_*); the engine keeps them, per store, in an
//              ims_cand_fifo next to the tx framer, and marks them stale
//              when the store's table is written (snoop_*) or everything
//              it built is out of date (invalidate)
//   gate[s]    store s may send (its enables and Bus Master Enable)
//   departures each cycle at most one candidate of a store leaves its
//              FIFO's head, reported to the store one edge later (ret_*):
//              taken by the framer (the edge that shows its first beat on
//              tx), parked (masked), or to be read again (stale); a dead
//              one (a speculative read that needed no message) leaves
//              silently
//
// The framer's take loop stays inside this block: the offers, the round
// robin and the FIFO heads are all here, and everything between the
// stores and the engine is a register at one end.
//
// Requests arrive routed (ims_irq_router). A request for a busy store
// waits in a one-entry skid register, and irq_ready (a register) is low
// while it waits. The next message comes from the stores round robin: the
// first store after the one served last whose head may be sent.

`timescale 1ns / 1ps
`default_nettype none

module ims_msg_engine #(
    parameter STORES = 3,
    // The tx framer takes at most every other cycle (every TLP has at least
    // two beats: DATA_WIDTH 64), so a take need not reach the next offer
    parameter TAKES_SPACED = 1
) (
    input  wire                  clk,
    input  wire                  rst,
    input  wire                  stores_ready,   // reset sweeps finished

    // Interrupt requests, routed
    input  wire                  irq_valid,
    output wire                  irq_ready,
    input  wire [STORES-1:0]     irq_route,      // one-hot, or 0: dropped
    input  wire [14:0]           irq_slot,

    // Requests to the stores
    output wire [STORES-1:0]     req_valid,
    output wire [14:0]           req_index,
    input  wire [STORES-1:0]     req_busy,

    // Candidates from the stores (store s: bits of field width * s)
    input  wire [STORES-1:0]     cand_push,
    input  wire [STORES*15-1:0]  cand_index,
    input  wire [STORES-1:0]     cand_es,
    input  wire [STORES*192-1:0] cand_dws,
    input  wire [STORES*3-1:0]   cand_ndw,
    input  wire [STORES-1:0]     cand_masked,
    input  wire [STORES-1:0]     cand_dead,
    input  wire [STORES-1:0]     cand_stale,
    input  wire [STORES-1:0]     snoop_valid,
    input  wire [14:0]           snoop_index,
    input  wire [STORES-1:0]     invalidate,
    input  wire [STORES-1:0]     gate,
    output wire [STORES*3-1:0]   cand_count,     // candidates held, as shown
    output wire [STORES*3-1:0]   cand_stored,    // held, a popped one included

    // Departures, one edge after they happened
    output reg  [STORES-1:0]     ret_take,
    output reg  [STORES-1:0]     ret_park,
    output reg  [STORES-1:0]     ret_reread,
    output reg  [STORES*15-1:0]  ret_index,
    output reg  [STORES-1:0]     ret_es,

    // The message TLP to the tx framer
    output wire                  msg_valid,
    output reg  [191:0]          msg_dws,
    output reg  [2:0]            msg_ndw,
    input  wire                  msg_take
);

    localparam SW = (STORES <= 2) ? 1 : $clog2(STORES);
    localparam [SW-1:0] LAST_STORE = STORES - 1;

    // ---------------------------------------------------------------
    // Requests: straight to the store, or through the skid register
    // ---------------------------------------------------------------
    reg              irq_ready_reg;
    reg              skid_valid_reg;
    reg [STORES-1:0] skid_route_reg;
    reg [14:0]       skid_slot_reg;

    wire [STORES-1:0] incoming = skid_valid_reg ? skid_route_reg
                                                : ((irq_valid && irq_ready_reg) ? irq_route
                                                                                : {STORES{1'b0}});
    wire [14:0] incoming_slot = skid_valid_reg ? skid_slot_reg : irq_slot;
    wire blocked = |(incoming & req_busy);

    assign req_valid = incoming & ~req_busy;
    assign req_index = incoming_slot;
    assign irq_ready = irq_ready_reg;

    always @(posedge clk) begin
        if (rst) begin
            irq_ready_reg <= 1'b0;
            skid_valid_reg <= 1'b0;
        end else begin
            irq_ready_reg <= stores_ready && !blocked;
            skid_valid_reg <= blocked;
        end
        if (blocked) begin
            skid_route_reg <= incoming;
            skid_slot_reg <= incoming_slot;
        end
    end

    // ---------------------------------------------------------------
    // Candidate FIFOs, one per store, and their departures
    // ---------------------------------------------------------------
    wire [STORES-1:0]     offer, head_valid, head_es, head_masked, head_dead, head_stale;
    wire [STORES*15-1:0]  head_index;
    wire [STORES*192-1:0] head_dws;
    wire [STORES*3-1:0]   head_ndw;
    wire [STORES-1:0]     take;

    // A head that cannot be sent leaves at once: dead silently, stale to be
    // read again, masked to be parked
    wire [STORES-1:0] drop = head_valid & head_dead;
    wire [STORES-1:0] reread = head_valid & ~head_dead & head_stale;
    wire [STORES-1:0] park = head_valid & ~head_dead & ~head_stale & head_masked;

    genvar g;
    generate
        for (g = 0; g < STORES; g = g + 1) begin : g_store
            ims_cand_fifo #(.DEPTH(4)) cands (
                .clk(clk), .rst(rst),
                .push(cand_push[g]), .push_index(cand_index[15*g +: 15]),
                .push_es(cand_es[g]), .push_dws(cand_dws[192*g +: 192]),
                .push_ndw(cand_ndw[3*g +: 3]), .push_masked(cand_masked[g]),
                .push_dead(cand_dead[g]), .push_stale(cand_stale[g]),
                .snoop_valid(snoop_valid[g]), .snoop_index(snoop_index),
                .invalidate(invalidate[g]),
                .pop(drop[g] || reread[g] || park[g] || take[g]),
                .pop_seen(drop[g] || reread[g] || park[g] || (!TAKES_SPACED && take[g])),
                .count(cand_count[3*g +: 3]), .stored(cand_stored[3*g +: 3]),
                .offer_enable(gate[g]), .offer(offer[g]),
                .head_valid(head_valid[g]), .head_index(head_index[15*g +: 15]),
                .head_es(head_es[g]), .head_dws(head_dws[192*g +: 192]),
                .head_ndw(head_ndw[3*g +: 3]), .head_masked(head_masked[g]),
                .head_dead(head_dead[g]), .head_stale(head_stale[g]));
        end
    endgenerate

    always @(posedge clk) begin
        if (rst) begin
            ret_take <= {STORES{1'b0}};
            ret_park <= {STORES{1'b0}};
            ret_reread <= {STORES{1'b0}};
        end else begin
            ret_take <= take;
            ret_park <= park;
            ret_reread <= reread;
        end
        ret_index <= head_index;
        ret_es <= head_es;
    end

    // ---------------------------------------------------------------
    // Messages: round robin over the stores whose head may be sent
    // ---------------------------------------------------------------
    reg [SW-1:0]     last_reg;
    reg [STORES-1:0] sel;
    reg [SW-1:0]     sel_index;

    integer k, s;
    always @* begin
        sel = {STORES{1'b0}};
        sel_index = {SW{1'b0}};
        // Visit the stores after last_reg first, then the rest; the last
        // one found is the first in round-robin order
        for (k = 2 * STORES - 1; k >= 0; k = k - 1) begin
            s = k % STORES;
            if (offer[s] && (k >= STORES || s > last_reg)) begin
                sel = {STORES{1'b0}};
                sel[s] = 1'b1;
                sel_index = s[SW-1:0];
            end
        end
    end

    always @* begin
        msg_dws = 192'd0;
        msg_ndw = 3'd0;
        for (k = 0; k < STORES; k = k + 1) begin
            msg_dws = msg_dws | (head_dws[192*k +: 192] & {192{sel[k]}});
            msg_ndw = msg_ndw | (head_ndw[3*k +: 3] & {3{sel[k]}});
        end
    end

    assign msg_valid = |offer;
    assign take = sel & {STORES{msg_take}};

    always @(posedge clk) begin
        if (rst)
            last_reg <= LAST_STORE;   // store 0 goes first
        else if (msg_take)
            last_reg <= sel_index;
    end

`ifndef SYNTHESIS
    // TAKES_SPACED promises what the offers rely on: no take right after one
    reg took_reg;
    always @(posedge clk) begin
        took_reg <= !rst && msg_take;
        if (TAKES_SPACED && took_reg && msg_take) begin
            $display("ERROR: %m: takes in two consecutive cycles with TAKES_SPACED");
            $finish;
        end
    end
`endif

endmodule

`resetall
