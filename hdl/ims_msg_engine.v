// SPDX-License-Identifier: MIT
//
// ims_msg_engine: the one message engine behind every Interrupt Message
// Store. Generic over STORES stores, each with the same interface:
//
//   requests   req_valid[s], req_index: set a slot of store s pending;
//              unmask_next[s]: store s takes an unmask next cycle, so no
//              request may arrive then (irq_ready is low in that cycle)
//   candidates the store reads a slot's entry and builds its message TLP
//              (cand_*; a store may send the TLP's beats after the first
//              a cycle later: cand_fill); the engine keeps them, per store, in an
//              ims_cand_fifo next to the tx framer, and marks them stale
//              when the store's table is written (snoop_*) or everything
//              it built is out of date (invalidate); both are registered
//              here first, so they take effect on takes one edge later
//   gate[s]    store s may send (its enables and Bus Master Enable)
//   departures each cycle at most one candidate of a store leaves its
//              FIFO's head, reported to the store one edge later (ret_*):
//              taken by the framer (the edge that shows its first beat on
//              tx), parked (masked), or to be read again (stale); a dead
//              one (a speculative read that needed no message) leaves
//              silently
//
// The engine is also the tx arbiter: it chooses what the tx framer sends
// next, a completion (from the request handler) or a message, one flat
// choice over all sources: completions and messages alternate when both
// wait, and the stores' messages go round robin (the first store after the
// one served last whose head may be sent). The framer's take loop stays
// inside this block and the framer; everything between the stores and the
// engine is a register at one end.
//
// Requests arrive routed (ims_irq_router) and go to their store in the
// cycle they are accepted; irq_ready (a register) is high but in the cycle
// after a table write that unmasks an entry.

`timescale 1ns / 1ps
`default_nettype none
`include "ims_params.vh"

module ims_msg_engine #(
    // Stores served, 1 or more
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
    input  wire [STORES-1:0]     unmask_next,

    // Candidates from the stores (store s: bits of field width * s)
    input  wire [STORES-1:0]     cand_push,
    input  wire [STORES*15-1:0]  cand_index,
    input  wire [STORES-1:0]     cand_es,
    input  wire [STORES*192-1:0] cand_dws,
    input  wire [STORES*3-1:0]   cand_ndw,
    input  wire [STORES*22-1:0]  cand_late,      // late parts of the first DWs (ims_cand_fifo)
    input  wire [STORES-1:0]     cand_masked,
    input  wire [STORES-1:0]     cand_dead,
    input  wire [STORES-1:0]     cand_hold,
    input  wire [STORES-1:0]     cand_stale,
    input  wire [STORES-1:0]     cand_fill,      // the whole TLP of the last push
    input  wire [STORES*192-1:0] cand_fill_dws,
    input  wire [STORES-1:0]     snoop_valid,
    input  wire [14:0]           snoop_index,
    input  wire [STORES-1:0]     invalidate,
    input  wire [STORES-1:0]     gate,
    output wire [STORES*3-1:0]   cand_count,     // candidates held, as shown

    // Departures, one edge after they happened
    output wire [STORES-1:0]     ret_take,
    output wire [STORES-1:0]     ret_park,
    output wire [STORES-1:0]     ret_reread,
    output wire [STORES*15-1:0]  ret_index,
    output wire [STORES-1:0]     ret_es,

    // Completions from the request handler
    input  wire                  cpl_valid,
    input  wire                  cpl_next,       // cpl_valid rises at this edge
    input  wire [191:0]          cpl_dws,
    input  wire [2:0]            cpl_ndw,
    output wire                  cpl_take,

    // The next TLP to the tx framer, taken at the edge that shows its first
    // beat; in the cycle after, the TLP taken stays in tx_rest_dws
    output wire                  tx_valid,
    output reg  [191:0]          tx_dws,
    output reg  [2:0]            tx_ndw,
    input  wire                  tx_take,
    output reg  [191:0]          tx_rest_dws,
    output wire                  msg_taken       // a message was taken (MSG_SENT)
);

    // Illegal parameters stop elaboration with the instance's name
    initial begin
        `IMS_CHECK(STORES >= 1, "STORES", STORES, "at least 1")
        `IMS_CHECK_RANGE("TAKES_SPACED", TAKES_SPACED, 0, 1)
    end

    localparam SW = (STORES <= 2) ? 1 : $clog2(STORES);
    localparam [SW-1:0] LAST_STORE = STORES - 1;

    // ---------------------------------------------------------------
    // Requests: straight to the store
    // ---------------------------------------------------------------
    reg irq_ready_reg;
    wire accept = irq_valid && irq_ready_reg;

    assign req_valid = accept ? irq_route : {STORES{1'b0}};
    assign req_index = irq_slot;
    assign irq_ready = irq_ready_reg;

    always @(posedge clk) begin
        if (rst)
            irq_ready_reg <= 1'b0;
        else
            irq_ready_reg <= stores_ready && !(|unmask_next);
    end

    // ---------------------------------------------------------------
    // Candidate FIFOs, one per store, and their departures
    // ---------------------------------------------------------------
    wire [STORES-1:0]     offer, offer_next_pop, offer_next_stay, void_next_pop, void_next_stay;
    wire [STORES-1:0]     head_leaves, head_es, head_masked, head_dead, head_stale;
    wire [STORES*15-1:0]  head_index;
    wire [STORES*192-1:0] head_dws, popped_dws;
    wire [STORES*3-1:0]   head_ndw;
    wire [STORES-1:0]     take;

    // A head that cannot be sent leaves at once: dead silently, stale to be
    // read again, masked to be parked
    // (head_leaves: valid and one of the three, a register)
    wire [STORES-1:0] drop = head_leaves & head_dead;
    wire [STORES-1:0] reread = head_leaves & ~head_dead & head_stale;
    wire [STORES-1:0] park = head_leaves & ~head_dead & ~head_stale & head_masked;

    // (the FIFOs register the snoops themselves)
    reg [STORES-1:0] invalidate_reg;
    always @(posedge clk)
        invalidate_reg <= rst ? {STORES{1'b0}} : invalidate;

    genvar g;
    generate
        for (g = 0; g < STORES; g = g + 1) begin : g_store
            ims_cand_fifo #(.DEPTH(4)) cands (
                .clk(clk), .rst(rst),
                .push(cand_push[g]), .push_index(cand_index[15*g +: 15]),
                .push_es(cand_es[g]), .push_dws(cand_dws[192*g +: 192]),
                .push_ndw(cand_ndw[3*g +: 3]), .push_late(cand_late[22*g +: 22]),
                .push_masked(cand_masked[g]),
                .push_dead(cand_dead[g]), .push_hold(cand_hold[g]),
                .push_stale(cand_stale[g]),
                .fill(cand_fill[g]), .fill_dws(cand_fill_dws[192*g +: 192]),
                .snoop_valid(snoop_valid[g]), .snoop_index(snoop_index),
                .invalidate(invalidate_reg[g]),
                .pop(drop[g] || reread[g] || park[g] || take[g]),
                .pop_seen(drop[g] || reread[g] || park[g] || (!TAKES_SPACED && take[g])),
                .count(cand_count[3*g +: 3]),
                .offer_enable(gate[g]), .offer(offer[g]),
                .offer_next_pop(offer_next_pop[g]), .offer_next_stay(offer_next_stay[g]),
                .void_next_pop(void_next_pop[g]), .void_next_stay(void_next_stay[g]),
                .head_leaves(head_leaves[g]), .head_index(head_index[15*g +: 15]),
                .head_es(head_es[g]), .head_dws(head_dws[192*g +: 192]),
                .head_ndw(head_ndw[3*g +: 3]), .head_masked(head_masked[g]),
                .head_dead(head_dead[g]), .head_stale(head_stale[g]),
                .popped_dws(popped_dws[192*g +: 192]));
        end
    endgenerate

    // Departures, reported to the stores one edge after the pop
    reg [STORES-1:0]    ret_take_reg, ret_park_reg, ret_reread_reg, ret_es_reg;
    reg [STORES*15-1:0] ret_index_reg;
    always @(posedge clk) begin
        if (rst) begin
            ret_take_reg <= {STORES{1'b0}};
            ret_park_reg <= {STORES{1'b0}};
            ret_reread_reg <= {STORES{1'b0}};
        end else begin
            ret_take_reg <= take;
            ret_park_reg <= park;
            ret_reread_reg <= reread;
        end
        ret_index_reg <= head_index;
        ret_es_reg <= head_es;
    end
    assign ret_take = ret_take_reg;
    assign ret_park = ret_park_reg;
    assign ret_reread = ret_reread_reg;
    assign ret_index = ret_index_reg;
    assign ret_es = ret_es_reg;

    // ---------------------------------------------------------------
    // The next TLP: one flat choice over the completion and the stores
    // ---------------------------------------------------------------
    // A message goes unless a completion waits and a message went last;
    // the stores' messages go round robin: of the stores after `last`, then
    // the rest, the first whose head is offered. Returns {the completion
    // goes, the store chosen (its number, one-hot and 0 if the completion
    // goes)}.
    function [STORES+SW:0] choice;
        input [STORES-1:0] offers;
        input [SW-1:0]     last;
        input              last_was_msg;
        input              cpl;
        reg   [STORES-1:0] chosen;
        reg   [SW-1:0]     chosen_index;
        reg                cpl_goes;
        integer i, t;
        begin
            chosen = {STORES{1'b0}};
            chosen_index = {SW{1'b0}};
            // the last one found is the first in round-robin order
            for (i = 2 * STORES - 1; i >= 0; i = i - 1) begin
                t = i % STORES;
                if (offers[t] && (i >= STORES || t > last)) begin
                    chosen = {STORES{1'b0}};
                    chosen[t] = 1'b1;
                    chosen_index = t[SW-1:0];
                end
            end
            cpl_goes = cpl && (!(|offers) || last_was_msg);
            choice = {cpl_goes, chosen_index, chosen & {STORES{!cpl_goes}}};
        end
    endfunction

    reg [SW-1:0] last_reg;          // the store served last
    reg          last_was_msg_reg;  // the last TLP taken was a message

    // The choice is made one cycle ahead, from what the offers, the
    // completion and the round-robin state will be after this edge, and
    // registered: the framer's load then starts at registers (pick_reg).
    // Both outcomes of this cycle's take are prepared; with TAKES_SPACED
    // the choice in the cycle after a take is never used (no take can
    // follow one), so only the outcome without a take is.
    reg [STORES-1:0] pick_reg;          // the store whose head goes
    reg [SW-1:0]     sel_index_reg;     // its number
    reg              pick_cpl_reg;      // the completion goes

    wire [STORES-1:0] leave = head_leaves;            // heads that pop untaken
    wire [STORES-1:0] offers_if_idle = (leave & offer_next_pop) | (~leave & offer_next_stay);
    wire [STORES-1:0] popped_if_take = leave | pick_reg;
    wire [STORES-1:0] offers_if_take = (popped_if_take & offer_next_pop)
                                     | (~popped_if_take & offer_next_stay);
    wire [STORES+SW:0] next_if_idle = choice(offers_if_idle, last_reg, last_was_msg_reg,
                                             cpl_next || cpl_valid);
    wire [STORES+SW:0] next_if_take = choice(offers_if_take,
                                             pick_cpl_reg ? last_reg : sel_index_reg,
                                             !pick_cpl_reg,
                                             cpl_next || (cpl_valid && !pick_cpl_reg));

    always @(posedge clk) begin
        if (rst)
            {pick_cpl_reg, sel_index_reg, pick_reg} <= {(STORES + SW + 1){1'b0}};
        else
            {pick_cpl_reg, sel_index_reg, pick_reg} <= (!TAKES_SPACED && tx_take) ? next_if_take
                                                                                 : next_if_idle;
    end

    // A head pushed at this edge is offered whatever its Mask, which comes
    // from the store's RAM late in the cycle: the choice is made without
    // it, and a pick of such a masked head (void) is not sent. The head
    // parks in that cycle (it is masked), and the next choice is made
    // without it: a request for a masked slot may cost one cycle of tx.
    reg [STORES-1:0] void_reg;      // the head shown is masked (and offered)
    wire [STORES-1:0] void_if_idle = (leave & void_next_pop) | (~leave & void_next_stay);
    wire [STORES-1:0] void_if_take = (popped_if_take & void_next_pop)
                                   | (~popped_if_take & void_next_stay);
    always @(posedge clk) begin
        if (rst)
            void_reg <= {STORES{1'b0}};
        else
            void_reg <= (!TAKES_SPACED && tx_take) ? void_if_take : void_if_idle;
    end

    integer k;
    always @* begin
        tx_dws = cpl_dws & {192{pick_cpl_reg}};
        tx_ndw = cpl_ndw & {3{pick_cpl_reg}};
        for (k = 0; k < STORES; k = k + 1) begin
            tx_dws = tx_dws | (head_dws[192*k +: 192] & {192{pick_reg[k]}});
            tx_ndw = tx_ndw | (head_ndw[3*k +: 3] & {3{pick_reg[k]}});
        end
    end

    assign tx_valid = pick_cpl_reg || |(pick_reg & ~void_reg);
    assign cpl_take = tx_take && pick_cpl_reg;
    assign take = pick_reg & {STORES{tx_take}};
    assign msg_taken = tx_take && !pick_cpl_reg;

    // In the cycle after a take the taken message is still entry 0 of its
    // FIFO (pops are lazy), and a completion stays until the next is built
    reg [STORES-1:0] took_reg;
    reg              took_cpl_reg;
    always @(posedge clk) begin
        took_reg <= rst ? {STORES{1'b0}} : take;
        took_cpl_reg <= !rst && cpl_take;
    end
    always @* begin
        tx_rest_dws = cpl_dws & {192{took_cpl_reg}};
        for (k = 0; k < STORES; k = k + 1)
            tx_rest_dws = tx_rest_dws | (popped_dws[192*k +: 192] & {192{took_reg[k]}});
    end

    always @(posedge clk) begin
        if (rst) begin
            last_reg <= LAST_STORE;   // store 0 goes first
            last_was_msg_reg <= 1'b0;
        end else if (tx_take) begin
            last_was_msg_reg <= !pick_cpl_reg;
            if (!pick_cpl_reg)
                last_reg <= sel_index_reg;
        end
    end

`ifdef FORMAL
    // Formal only (formal/ims.sby; simulators never define FORMAL). CONTRACT.md:
    // "A pending slot is sent when it is unmasked, its store is enabled, Bus
    // Master Enable is set, and (for MSI-X) the Function Mask is clear".
    // gate[s] is those store-wide conditions (registered in ims_endpoint);
    // a head's offer is registered from it (design.md 5: the gates, then the
    // FIFO heads' offers one edge after), so a take of store s needs gate[s]
    // at the edge before the take.
    reg [STORES-1:0] f_gate_before;
    always @(posedge clk)
        f_gate_before <= rst ? {STORES{1'b0}} : gate;
    always @(*)
        if (!rst)
            p_take_gated: assert((take & ~f_gate_before) == {STORES{1'b0}});
`endif

`ifndef SYNTHESIS
    wire checking;
    ims_check_armed check_armed (.clk(clk), .rst(rst), .active(checking));

    // The choice made ahead is the choice on this cycle's state (but in the
    // cycle after a take with TAKES_SPACED, when it is not used)
    wire [STORES+SW:0] choice_now = choice(offer, last_reg, last_was_msg_reg, cpl_valid);
    always @(posedge clk) begin
        if (checking && !(TAKES_SPACED && (|took_reg || took_cpl_reg))
                && ({choice_now[STORES+SW], choice_now[STORES-1:0]} != {pick_cpl_reg, pick_reg}
                    || (|pick_reg && choice_now[STORES+SW-1:STORES] != sel_index_reg))) begin
            $display("ERROR: %m: the choice made ahead differs from the choice now");
            $finish;
        end
    end

    // TAKES_SPACED promises what the offers rely on: no take right after one
    always @(posedge clk) begin
        if (checking && TAKES_SPACED && (|took_reg || took_cpl_reg) && tx_take) begin
            $display("ERROR: %m: takes in two consecutive cycles with TAKES_SPACED");
            $finish;
        end
    end
`endif

endmodule

`resetall
