// SPDX-License-Identifier: MIT
//
// ims_cand_fifo: the candidates of one message store, each a slot with its
// message TLP already built, waiting for the tx framer. The head is what
// the store offers: every field of it is a register, or one of two chosen
// by a register, so the framer can load it at the edge that takes it.
//
// Each entry carries:
//   index, es   the slot and its store-private state bit (ims_table_store)
//   dws, ndw    the Memory Write TLP (DW k in bits 32k+31:32k)
//   masked      the slot was masked when its entry was read
//   dead        not a candidate after all (the read was speculative and the
//               slot needed no message): leaves the head without effect
//   stale       something the TLP was built from changed after it was read:
//               the entry was written (snoop_valid, and snoop_index matches
//               in its low SNOOP_BITS bits: a write to another entry with the
//               same low bits costs a needless re-read, never a wrong
//               message), or everything was invalidated (the Requester ID or
//               the MSI settings changed). A stale candidate is never
//               offered; the store reads it again. push_stale must already
//               count a write in the push cycle.
// A store may push a candidate whose TLP is complete only in its first
// beat's DWs and send the whole TLP one edge later (fill, fill_dws: it
// replaces DWs 2 to 5 of the entry pushed at the last edge, wherever the
// shift has moved it). Such a store pushes the first two DWs as for a
// 3DW TLP without a prefix, and the parts of them it reads late from RAM
// (push_late: the PASID, PASID_EN, "4DW") apart: they are registered with
// the entry and applied at the head (head_dws, head_ndw), so that they
// reach flip-flops through no more than the entry's write select. Stores
// whose TLPs are whole at the push give push_late 0. A take at the edge of the fill loads the first beat from
// the push; the beats after it are taken from popped_dws in the next cycle,
// which holds the fill by then.
// A write and a take at the same edge: the take uses the contents before
// the write (the write is after it), as for every store.
//
// Pops are lazy, so that no path runs from the framer's take to the
// entries: a popped head is marked gone, the head shown is the next entry,
// and the entries shift at the following edge. Pushes land at a place
// known from registers only. `count` is the number of entries shown; the
// user keeps count plus its reads in flight below DEPTH.
//
// `offer` is a register: the head shown in this cycle may be taken (it is
// valid, not dead, stale or masked, and offer_enable was set in the cycle
// before). The one exception is a head pushed at the last edge whose Mask
// (push_masked, from the store's RAM, late in the cycle) was set: it is
// offered, and void_next_pop / void_next_stay said so before the edge, so
// that the user, which chooses a cycle ahead, keeps the Mask out of its
// choice and cancels such a pick instead. The head is masked then, so it
// parks (pops) in that cycle.

`timescale 1ns / 1ps
`default_nettype none
`include "ims_params.vh"

module ims_cand_fifo #(
    // Entries, 3 .. 7
    parameter DEPTH = 4,
    // Index bits a snooped write is compared on (a shallow compare), 1 .. 15
    parameter SNOOP_BITS = 6
) (
    input  wire         clk,
    input  wire         rst,

    input  wire         push,
    input  wire [14:0]  push_index,
    input  wire         push_es,
    input  wire [191:0] push_dws,
    input  wire [2:0]   push_ndw,
    input  wire [21:0]  push_late,      // {PASID, PASID_EN, 4DW} of the first two DWs
    input  wire         push_masked,
    input  wire         push_dead,      // may arrive late in the cycle: not offered on it
    input  wire         push_hold,      // not offered in its first cycle (dead unknown)
    input  wire         push_stale,
    input  wire         fill,           // the TLP of the entry pushed at the last edge
    /* verilator lint_off UNUSEDSIGNAL */   // (DWs 0, 1 stay the push's)
    input  wire [191:0] fill_dws,
    /* verilator lint_on UNUSEDSIGNAL */

    input  wire         snoop_valid,    // takes effect one edge later (registered here)
    input  wire [14:0]  snoop_index,
    input  wire         invalidate,

    input  wire         pop,            // the head leaves (taken, parked, re-read, dead)
    input  wire         pop_seen,       // pops the next offer must see (see below)
    output wire [2:0]   count,          // entries shown

    input  wire         offer_enable,   // the store may send (its gate)
    output wire         offer,
    // What offer will be after this edge if the head pops / stays (the
    // user may choose its next TLP one cycle ahead from them)
    output wire         offer_next_pop,
    output wire         offer_next_stay,
    // The head after this edge if it pops / stays is the push, and masked
    output wire         void_next_pop,
    output wire         void_next_stay,

    output wire         head_leaves,    // there is a head, and it is dead, stale or masked
    output wire [14:0]  head_index,
    output wire         head_es,
    output wire [191:0] head_dws,
    output wire [2:0]   head_ndw,
    output wire         head_masked,
    output wire         head_dead,
    output wire         head_stale,
    // Entry 0: after a pop, the entry that left (it stays until the shift)
    output wire [191:0] popped_dws
);

    // Illegal parameters stop elaboration with the instance's name: the
    // counts are 3 bits and entries 0..2 are always read (DEPTH); the
    // snooped index has 15 bits (SNOOP_BITS)
    initial begin
        `IMS_CHECK_RANGE("DEPTH", DEPTH, 3, 7)
        `IMS_CHECK_RANGE("SNOOP_BITS", SNOOP_BITS, 1, 15)
    end

    integer k;

    reg [2:0]   stored_reg;     // entries held, the gone one included
    reg         gone_reg;       // entry 0 was popped at the last edge
    reg [14:0]  index_reg  [0:DEPTH-1];
    reg         es_reg     [0:DEPTH-1];
    reg [191:0] dws_reg    [0:DEPTH-1];
    reg [2:0]   ndw_reg    [0:DEPTH-1];
    reg [21:0]  late_reg   [0:DEPTH-1];
    reg         masked_reg [0:DEPTH-1];
    reg         dead_reg   [0:DEPTH-1];
    reg         stale_reg  [0:DEPTH-1];

    // After this edge's shift (by one when gone_reg), the push lands behind
    // the entries held
    wire [2:0] kept = stored_reg - {2'b00, gone_reg};
    wire [2:0] stored_next = kept + {2'b00, push};
    wire       push_stale_now = push_stale || invalidate;
    // The entries' write selects are one LUT from registers (they drive the
    // enables of every bit of an entry): the count held and the place of
    // the entry pushed at the last edge are kept one-hot, so "lands at entry
    // k" is bit k, or bit k+1 when gone_reg shifts
    reg [DEPTH:0] stored_is_reg, pushed_at_is_reg;
    always @(posedge clk) begin
        for (k = 0; k <= DEPTH; k = k + 1) begin
            stored_is_reg[k] <= rst ? k == 0 : stored_next == k[2:0];
            pushed_at_is_reg[k] <= kept == k[2:0];
        end
    end
    wire [DEPTH-1:0] push_here, fill_here;
    genvar e;
    generate
        for (e = 0; e < DEPTH; e = e + 1) begin : g_sel
            assign push_here[e] = push && (gone_reg ? stored_is_reg[e + 1] : stored_is_reg[e]);
            assign fill_here[e] = fill && (gone_reg ? pushed_at_is_reg[e + 1] : pushed_at_is_reg[e]);
        end
    endgenerate
    // Does a snooped write hit an entry with this index?
    function hit;
        /* verilator lint_off UNUSEDSIGNAL */   // only the low SNOOP_BITS bits
        input [14:0] index;
        input        valid;
        input [14:0] written;
        /* verilator lint_on UNUSEDSIGNAL */
        begin
            hit = valid && index[SNOOP_BITS-1:0] == written[SNOOP_BITS-1:0];
        end
    endfunction

    // A snooped write is compared, at once, with the index each entry will
    // hold after this edge; the hits are registered and take effect one
    // edge later (no compare between the registers and the offer)
    reg [DEPTH-1:0] hit_reg;
    generate
        for (e = 0; e < DEPTH; e = e + 1) begin : g_hit
            // (each index it may hold is compared, then one result chosen)
            wire hit_push = hit(push_index, snoop_valid, snoop_index);
            wire hit_shift = hit(index_reg[(e + 1) % DEPTH], snoop_valid, snoop_index);
            wire hit_stay = hit(index_reg[e], snoop_valid, snoop_index);
            always @(posedge clk)
                hit_reg[e] <= !rst && (push_here[e] ? hit_push
                                     : (gone_reg && e < DEPTH - 1) ? hit_shift : hit_stay);
        end
    endgenerate

    always @(posedge clk) begin
        for (k = 0; k < DEPTH; k = k + 1) begin
            if (push_here[k]) begin
                index_reg[k] <= push_index;
                es_reg[k] <= push_es;
                dws_reg[k] <= push_dws;
                ndw_reg[k] <= push_ndw;
                late_reg[k] <= push_late;
                masked_reg[k] <= push_masked;
                dead_reg[k] <= push_dead;
                stale_reg[k] <= push_stale_now;
            end else if (gone_reg && k < DEPTH - 1) begin
                index_reg[k] <= index_reg[k + 1];
                es_reg[k] <= es_reg[k + 1];
                dws_reg[k] <= dws_reg[k + 1];
                ndw_reg[k] <= ndw_reg[k + 1];
                late_reg[k] <= late_reg[k + 1];
                masked_reg[k] <= masked_reg[k + 1];
                dead_reg[k] <= dead_reg[k + 1];
                stale_reg[k] <= stale_reg[k + 1] || invalidate || hit_reg[(k + 1) % DEPTH];
            end else begin
                stale_reg[k] <= stale_reg[k] || invalidate || hit_reg[k];
            end
            // (after the shift; never the push's place, which is behind it)
            if (fill_here[k])
                dws_reg[k][191:64] <= fill_dws[191:64];
        end
    end

    always @(posedge clk) begin
        if (rst) begin
            stored_reg <= 3'd0;
            gone_reg <= 1'b0;
        end else begin
            stored_reg <= stored_next;
            gone_reg <= pop;
        end
    end

    // May entries 0 and 1 be offered after this edge (shifted, pushed,
    // snooped)? What the pushed entry brings (its flags come from the store,
    // late in the cycle) is kept apart and enters last.
    wire [1:0] lands, entry_ok;
    genvar g;
    generate
        for (g = 0; g < 2; g = g + 1) begin : g_ok
            localparam [2:0] G = g;
            wire st = (gone_reg ? stale_reg[g + 1] || hit_reg[g + 1] : stale_reg[g] || hit_reg[g])
                    || invalidate;
            wire ms = gone_reg ? masked_reg[g + 1] : masked_reg[g];
            wire dd = gone_reg ? dead_reg[g + 1] : dead_reg[g];
            assign lands[g] = push_here[g];
            assign entry_ok[g] = kept > G && !st && !ms && !dd;
        end
    endgenerate
    // (push_dead is left out: a pushed entry that may be dead is held;
    // push_masked too: it only voids the offer, see the top)
    wire push_ok = !push_stale_now && !push_hold;
    assign void_next_pop = lands[1] && push_masked;
    assign void_next_stay = lands[0] && push_masked;

    // offer is a register: the head after this edge may be taken. The pop
    // of this cycle only chooses between entries 0 and 1 after the edge,
    // whose state is computed without it. A user that never takes in the
    // cycle after a take (every TLP has two beats or more) leaves its takes
    // out of pop_seen: the offer is then wrong only in that cycle, when
    // nothing can be taken, and no path runs from a take to the next one.
    assign offer_next_pop = offer_enable && (lands[1] ? push_ok : entry_ok[1]);
    assign offer_next_stay = offer_enable && (lands[0] ? push_ok : entry_ok[0]);
    reg offer_reg;
    always @(posedge clk) begin
        if (rst)
            offer_reg <= 1'b0;
        else
            offer_reg <= pop_seen ? offer_next_pop : offer_next_stay;
    end
    assign offer = offer_reg;

    // head_leaves is a register too, from what entries 0 and 1 will hold
    // after this edge (the head is entry 1 if this edge pops): the pops
    // the user derives from it then start at flip-flops. A pushed entry's
    // push_dead (late: the store's decision) is left out: a dead push is
    // held (push_hold), so it leaves a cycle later, from dead_reg.
    wire [1:0] leaves_next;
    generate
        for (g = 0; g < 2; g = g + 1) begin : g_leaves
            localparam [2:0] G = g;
            wire st = (gone_reg ? stale_reg[g + 1] || hit_reg[g + 1] : stale_reg[g] || hit_reg[g])
                    || invalidate;
            wire ms = gone_reg ? masked_reg[g + 1] : masked_reg[g];
            wire dd = gone_reg ? dead_reg[g + 1] : dead_reg[g];
            assign leaves_next[g] = lands[g] ? push_stale_now || push_masked
                                             : kept > G && (st || ms || dd);
        end
    endgenerate
    reg head_leaves_reg;
    always @(posedge clk)
        head_leaves_reg <= !rst && (pop ? leaves_next[1] : leaves_next[0]);
    assign head_leaves = head_leaves_reg;

`ifndef SYNTHESIS
    wire checking;
    ims_check_armed check_armed (.clk(clk), .rst(rst), .active(checking));
    always @(posedge clk)
        if (checking && push && kept == DEPTH[2:0]) begin
            $display("ERROR: %m: candidate FIFO overflow");
            $finish;
        end
    // head_leaves, registered from what the entries would hold, is what they
    // hold (but for a dead head, which may leave a cycle late)
    wire head_valid = stored_reg > {2'b00, gone_reg};
    always @(posedge clk)
        if (checking && head_leaves != (head_valid && (head_dead || head_stale || head_masked)) && !(head_dead && !head_leaves)) begin $display("ERROR: %m: head_leaves differs from the head's state"); $finish; end
    // A fill belongs to the push of the last edge
    reg pushed_reg;
    always @(posedge clk)
        pushed_reg <= !rst && push;
    always @(posedge clk)
        if (checking && fill && !pushed_reg) begin
            $display("ERROR: %m: a fill without the push it belongs to");
            $finish;
        end
`endif

    // The head shown: entry 1 while entry 0 is gone. The head's fields
    // choose by a copy of gone_reg of their own (kept: Yosys would merge
    // it), so that the ~270 multiplexer selects are not on the net that
    // also feeds the offer and the write selects
    (* keep *) reg head_sel_reg;
    always @(posedge clk)
        head_sel_reg <= !rst && pop;
    wire h = head_sel_reg;
    assign count = stored_reg - {2'b00, gone_reg};
    assign head_index = h ? index_reg[1] : index_reg[0];
    assign head_es = h ? es_reg[1] : es_reg[0];
    // (the late parts applied: Fmt bit 0 in DW0, and the PASID prefix in
    // front of DW0, as ims_msg_tlp builds them)
    function [66:0] with_late;      // {ndw, the first two DWs}
        input [63:0] dws;
        input [2:0]  ndw;
        input [21:0] late;
        reg   [31:0] dw0;
        begin
            dw0 = dws[31:0] | {2'b00, late[0], 29'd0};
            with_late = {ndw + {2'b00, late[0]} + {2'b00, late[1]},
                         late[1] ? {dw0, 8'h91, 4'h0, late[21:2]} : {dws[63:32], dw0}};
        end
    endfunction
    wire [191:0] head_stored = h ? dws_reg[1] : dws_reg[0];
    wire [66:0]  head_first = with_late(head_stored[63:0], h ? ndw_reg[1] : ndw_reg[0],
                                        h ? late_reg[1] : late_reg[0]);
    assign head_dws = {head_stored[191:64], head_first[63:0]};
    assign head_ndw = head_first[66:64];
    assign head_masked = h ? masked_reg[1] : masked_reg[0];
    assign head_dead = h ? dead_reg[1] : dead_reg[0];
    assign head_stale = h ? stale_reg[1] : stale_reg[0];
    assign popped_dws = dws_reg[0];

endmodule

`resetall
