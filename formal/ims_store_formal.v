// SPDX-License-Identifier: MIT
//
// ims_store_formal: the formal harness of the interrupt rules (issue 11,
// properties 2 to 6), one level below the device: the message engine
// (ims_msg_engine) with two table stores (ims_table_store), store 0 in the
// MSI-X layout and store 1 in the IMS layout with PASID, exactly as
// ims_endpoint connects them, with what the rest of the device does to
// them left free. At the device's ports the first message needs two
// configuration writes and comes after the bmc depths (README "Formal");
// here a request can be sent within a few cycles of reset, so every rule
// is checked on real messages.
//
// Free in every cycle (the solver chooses): interrupt requests (store,
// slot), table writes (store, entry, data, byte strobes: any value, so any
// mask/unmask, ADDRESS, DATA, PASID_EN and PASID), the stores' gates (what
// ims_endpoint registers from Enable, Function Mask, Bus Master Enable),
// PASID Control writes, and whether the tx framer takes the offered TLP
// (tx_tready). Assumptions (each what the device guarantees the engine):
//   A1  reset in the first cycle, never again
//   A2  table and PASID Control writes come from the request handler: at
//       most one per TLP, so never two within 3 cycles (at DATA_WIDTH 64 a
//       TLP with data has 2 beats and rx_tready is low for a cycle after
//       each TLP: p_rx_one_at_a_time), and none before the stores' reset
//       sweeps are done (the handler is held until then)
//   A3  the framer never takes in the cycle after a take (TAKES_SPACED:
//       every TLP has two beats or more at DATA_WIDTH 64)
//   A4  requests and writes name slots inside the tables (the router drops
//       the others before the engine: checked at the ports and in
//       simulation)
//   A5  while the reset sweeps run, host_index counts with them from 0 (the
//       request handler's table index does: ims_table_store's port)
// No completions (the request handler's side is checked at the ports).
//
// One slot is watched: a symbolic (store, slot) pair chosen once by the
// solver (anyconst), so every property holds for every slot. Its shadow:
// the entry as software wrote it (the byte strobes applied), and whether
// a request for it waits (set when a request for it is accepted, cleared
// when its message is taken; a request at the take edge is after the
// take, design.md 5, so it waits again).
//
// What a take sees: a table write presented in cycle c lands at the edge
// that ends c and is seen by takes from cycle c+2 on (the engine snoops
// writes one edge after they land: ims_table_store's header). A take in
// cycle k therefore obeys the entry as it stood in cycle k-1 (f_vis_*),
// and the properties say exactly that. PASID Control likewise: its value
// in cycle k-1.
//
// This file is for Yosys only (read_verilog -formal).

`default_nettype none

module ims_store_formal #(
    parameter ENTRIES = 2,
    // Bounded liveness (6): a waiting, sendable slot is taken within this
    // many cycles with tx_tready high (see p_live below); one more than
    // the three slots ahead of it need, for a void pick (the engine chose
    // another store's head that was pushed masked: ims_msg_engine)
    parameter LIVE_BOUND = 9
) (
    input  wire         clk,
    input  wire         rst,
    input  wire         irq_valid,
    input  wire         irq_store,
    input  wire [14:0]  irq_slot,
    input  wire         host_write_any,
    input  wire         host_store,
    input  wire [14:0]  host_index,
    input  wire [3:0]   host_wdata_addr,   // ADDRESS[5:2]
    input  wire         host_wdata_addr32, // ADDRESS[32]
    input  wire [3:0]   host_wdata_data,   // DATA[3:0]
    input  wire [15:0]  host_wdata_ctrl,   // control DW bits 15:0
    input  wire [15:0]  host_wstrb,
    input  wire [1:0]   gate,
    input  wire         pasid_write,
    input  wire         pasid_value,
    input  wire         tx_tready
);

    localparam MASK_BIT = 96;                 // CTRL DW at entry byte 0xC, bit 0
    localparam PASID_EN_BIT = 96 + 3;
    localparam PASID_LSB = 96 + 12;
    localparam [15:0] RID = 16'h0108;

    // ---------------------------------------------------------------
    // The engine and the two stores, wired as in ims_endpoint
    // ---------------------------------------------------------------
    wire [1:0]   store_req, store_unmask, store_done;
    wire [14:0]  store_req_index;
    wire [1:0]   cand_push, cand_es, cand_masked, cand_dead, cand_hold, cand_stale;
    wire [29:0]  cand_index;
    wire [383:0] cand_dws, cand_fill_dws;
    wire [1:0]   cand_fill;
    wire [5:0]   cand_ndw, cand_count;
    wire [43:0]  cand_late;
    wire [1:0]   ret_take, ret_park, ret_reread, ret_es;
    wire [29:0]  ret_index;
    wire         irq_ready, tx_valid, msg_taken, cpl_take;
    wire [191:0] tx_dws, tx_rest_dws;
    wire [2:0]   tx_ndw;
    wire [255:0] host_rdata;
    wire [127:0] host_pending;

    reg pasid_enable = 1'b0;
    always @(posedge clk)
        if (rst)
            pasid_enable <= 1'b0;
        else if (pasid_write)
            pasid_enable <= pasid_value;

    wire [1:0] host_write = {host_write_any && host_store, host_write_any && !host_store};
    // Data abstraction (for the solver): the stores move ADDRESS, DATA and
    // PASID without computing on them, but for "ADDRESS[63:32] is not
    // zero" (a 4DW header); so a few free bits of each field tell every
    // write apart, the others are 0 (constants Yosys removes): ADDRESS[5:2]
    // and [32], DATA[3:0], and the control DW's bits 15:0 (MASK, PENDING,
    // reserved bits, PASID_EN, PASID[3:0])
    wire [127:0] host_wdata = {16'd0, host_wdata_ctrl, 28'd0, host_wdata_data,
                               31'd0, host_wdata_addr32, 26'd0, host_wdata_addr, 2'd0};
    wire [8:0] host_qw = 9'd0;   // (software's pending view: not watched here)
    wire [1:0] invalidate = {pasid_write, 1'b0};   // ims_endpoint: pasid_settings_changed

    reg took_reg = 1'b0;
    wire tx_take = tx_valid && tx_tready && !took_reg;
    always @(posedge clk)
        took_reg <= !rst && tx_take;

    ims_table_store #(.ENTRIES(ENTRIES), .IMS_LAYOUT(0), .PASID(0)) msix_store (
        .clk(clk), .rst(rst), .init_done(store_done[0]),
        .req_valid(store_req[0]), .req_index(store_req_index),
        .unmask_next(store_unmask[0]), .pasid_enable(1'b0),
        .host_write(host_write[0]), .host_index(host_index), .host_wdata(host_wdata),
        .host_wstrb(host_wstrb), .host_qw(host_qw), .host_rdata(host_rdata[127:0]),
        .host_pending(host_pending[63:0]), .requester_id(RID),
        .cand_push(cand_push[0]), .cand_index(cand_index[14:0]), .cand_es(cand_es[0]),
        .cand_dws(cand_dws[191:0]), .cand_ndw(cand_ndw[2:0]), .cand_late(cand_late[21:0]), .cand_masked(cand_masked[0]),
        .cand_dead(cand_dead[0]), .cand_hold(cand_hold[0]), .cand_stale(cand_stale[0]),
        .cand_fill(cand_fill[0]), .cand_fill_dws(cand_fill_dws[191:0]),
        .cand_count(cand_count[2:0]),
        .ret_take(ret_take[0]), .ret_park(ret_park[0]), .ret_reread(ret_reread[0]),
        .ret_index(ret_index[14:0]), .ret_es(ret_es[0]));

    ims_table_store #(.ENTRIES(ENTRIES), .IMS_LAYOUT(1), .PASID(1)) ims_store (
        .clk(clk), .rst(rst), .init_done(store_done[1]),
        .req_valid(store_req[1]), .req_index(store_req_index),
        .unmask_next(store_unmask[1]), .pasid_enable(pasid_enable),
        .host_write(host_write[1]), .host_index(host_index), .host_wdata(host_wdata),
        .host_wstrb(host_wstrb), .host_qw(host_qw), .host_rdata(host_rdata[255:128]),
        .host_pending(host_pending[127:64]), .requester_id(RID),
        .cand_push(cand_push[1]), .cand_index(cand_index[29:15]), .cand_es(cand_es[1]),
        .cand_dws(cand_dws[383:192]), .cand_ndw(cand_ndw[5:3]), .cand_late(cand_late[43:22]), .cand_masked(cand_masked[1]),
        .cand_dead(cand_dead[1]), .cand_hold(cand_hold[1]), .cand_stale(cand_stale[1]),
        .cand_fill(cand_fill[1]), .cand_fill_dws(cand_fill_dws[383:192]),
        .cand_count(cand_count[5:3]),
        .ret_take(ret_take[1]), .ret_park(ret_park[1]), .ret_reread(ret_reread[1]),
        .ret_index(ret_index[29:15]), .ret_es(ret_es[1]));

    ims_msg_engine #(.STORES(2), .TAKES_SPACED(1)) msg_engine (
        .clk(clk), .rst(rst), .stores_ready(&store_done),
        .irq_valid(irq_valid), .irq_ready(irq_ready),
        .irq_route({irq_store, !irq_store}), .irq_slot(irq_slot),
        .req_valid(store_req), .req_index(store_req_index), .unmask_next(store_unmask),
        .cand_push(cand_push), .cand_index(cand_index), .cand_es(cand_es),
        .cand_dws(cand_dws), .cand_ndw(cand_ndw), .cand_late(cand_late),
        .cand_masked(cand_masked),
        .cand_dead(cand_dead), .cand_hold(cand_hold), .cand_stale(cand_stale),
        .cand_fill(cand_fill), .cand_fill_dws(cand_fill_dws),
        .snoop_valid(host_write), .snoop_index(host_index), .invalidate(invalidate),
        .gate(gate), .cand_count(cand_count),
        .ret_take(ret_take), .ret_park(ret_park), .ret_reread(ret_reread),
        .ret_index(ret_index), .ret_es(ret_es),
        .cpl_valid(1'b0), .cpl_next(1'b0), .cpl_dws(192'd0), .cpl_ndw(3'd0),
        .cpl_take(cpl_take),
        .tx_valid(tx_valid), .tx_dws(tx_dws), .tx_ndw(tx_ndw), .tx_take(tx_take),
        .tx_rest_dws(tx_rest_dws), .msg_taken(msg_taken));

    wire unused = &{1'b0, host_rdata, host_pending, msg_taken,
                    cpl_take, ret_park, ret_reread, ret_es};

    // ---------------------------------------------------------------
    // Assumptions
    // ---------------------------------------------------------------
    reg f_past_valid = 1'b0;
    always @(posedge clk)
        f_past_valid <= 1'b1;
    // A1
    always @(*)
        assume(rst == !f_past_valid);

    // A2: handler writes (table or PASID Control) 3 cycles apart at least,
    // one at a time, after the reset sweeps
    wire handler_write = host_write_any || pasid_write;
    reg [1:0] f_write_age = 2'd0;   // handler writes in the last 2 cycles
    always @(posedge clk)
        f_write_age <= rst ? 2'd0 : {f_write_age[0], handler_write};
    always @(*) begin
        assume(!(host_write_any && pasid_write));
        if (handler_write)
            assume(f_write_age == 2'd0 && &store_done);
    end

    // A4
    always @(*) begin
        assume(irq_slot < ENTRIES);
        assume(host_index < ENTRIES);
    end

    // A5
    reg [14:0] f_sweep_index = 15'd0;
    always @(posedge clk)
        f_sweep_index <= rst ? 15'd0 : f_sweep_index + {14'd0, !(&store_done)};
    always @(*)
        if (!rst && !(&store_done))
            assume(host_index == f_sweep_index);


    // ---------------------------------------------------------------
    // The watched slot and its shadow
    // ---------------------------------------------------------------
    (* anyconst *) reg        f_store;
    (* anyconst *) reg [14:0] f_slot;
    always @(*)
        assume(f_slot < ENTRIES);

    // What software can write in the watched store's entries (the RW bits):
    // ADDRESS[63:2], DATA, and the control bits of its layout
    wire [127:0] f_rw = {f_store ? 32'hFFFFF009 : 32'h00000001, 32'hFFFFFFFF,
                         32'hFFFFFFFF, 32'hFFFFFFFC};

    wire f_write_watched = host_write_any && host_store == f_store && host_index == f_slot;
    reg [127:0] f_entry = 128'd0;     // the entry now (after the writes landed)
    reg [127:0] f_vis_entry = 128'd0; // as a take in this cycle obeys it
    reg         f_vis_pasid = 1'b0;
    integer b;
    always @(posedge clk) begin
        if (rst)
            f_entry <= 128'd1 << MASK_BIT;    // reset: masked, all else 0
        else if (f_write_watched)
            for (b = 0; b < 16; b = b + 1)
                if (host_wstrb[b])
                    f_entry[8*b +: 8] <= host_wdata[8*b +: 8];
        f_vis_entry <= f_entry & f_rw;
        f_vis_pasid <= pasid_enable;
    end

    // The watched slot may send (as the take in this cycle sees it): not
    // masked, and with PASID_EN only while PASID Enable is set
    wire f_vis_masked = f_vis_entry[MASK_BIT]
                     || (f_store && f_vis_entry[PASID_EN_BIT] && !f_vis_pasid);

    wire f_req_watched = irq_valid && irq_ready && irq_store == f_store && irq_slot == f_slot;

    // A take in this cycle is of the watched slot: known one edge later
    // from the departure report (ret_take, ret_index of its store)
    reg         f_took = 1'b0;
    reg [191:0] f_took_dws;
    reg [2:0]   f_took_ndw;
    reg [127:0] f_took_entry;
    reg         f_took_masked, f_took_waiting;
    reg         f_waiting = 1'b0;     // a request for the watched slot waits
    wire        f_took_watched = f_took && ret_take[f_store]
                              && ret_index[15*f_store +: 15] == f_slot;
    always @(posedge clk) begin
        f_took <= !rst && tx_take;
        f_took_dws <= tx_dws;
        f_took_ndw <= tx_ndw;
        f_took_entry <= f_vis_entry;
        f_took_masked <= f_vis_masked;
        f_took_waiting <= f_waiting;
    end
    // (the take is reported one edge after it: the wait it ends is cleared
    // from that report, and a request in the cycle of the take waits anew)
    reg f_req_in_take = 1'b0;
    always @(posedge clk)
        f_req_in_take <= !rst && f_req_watched && tx_take;
    always @(posedge clk)
        if (rst)
            f_waiting <= 1'b0;
        else if (f_req_watched)
            f_waiting <= 1'b1;
        else if (f_took_watched && !f_req_in_take)
            f_waiting <= 1'b0;

    // The message the watched slot's entry makes (PCIe 2.2.7 Memory Write,
    // 6.1.4: DATA written to ADDRESS; 6.20: the PASID prefix), decoded from
    // the DWs taken: [prefix,] DW0, DW1, [ADDRESS[63:32],] ADDRESS[31:2], DATA
    wire        f_has_prefix = f_took_dws[31:24] == 8'h91;
    wire [159:0] f_hdr = f_has_prefix ? f_took_dws[191:32] : f_took_dws[159:0];
    wire        f_4dw = f_hdr[29];
    wire [63:0] f_addr = f_4dw ? {f_hdr[95:64], f_hdr[127:96]} : {32'd0, f_hdr[95:64]};
    wire [31:0] f_data = f_4dw ? f_hdr[159:128] : f_hdr[127:96];
    wire [63:0] f_want_addr = f_took_entry[63:0];
    wire [31:0] f_want_data = f_took_entry[95:64];
    wire        f_want_pasid = f_store && f_took_entry[PASID_EN_BIT];

    // ---------------------------------------------------------------
    // Properties
    // ---------------------------------------------------------------
    // (6) bounded liveness: cycles the watched slot waits while it may be
    // sent: its store's gate open, not masked, tx_tready high, and its
    // entry and PASID Control left alone (a write to them makes what was
    // read stale: it is read again, and a write every few cycles could
    // delay it for ever: the bound is from the last such write)
    reg [4:0] f_wait_cycles = 5'd0;
    wire f_sendable = f_waiting && gate[f_store] && !f_vis_masked && tx_tready
                   && !f_write_watched && !(f_store && pasid_write);
    // (a take of it ends the wait: a request after it starts a new one)
    always @(posedge clk)
        f_wait_cycles <= (rst || !f_sendable || f_took_watched) ? 5'd0
                       : (f_wait_cycles == 5'd31) ? f_wait_cycles : f_wait_cycles + 5'd1;

    always @(*)
        if (!rst) begin
            // (4) nothing duplicated: each take yields exactly one departure
            // report, of one store, the cycle after it
            p_one_departure: assert((ret_take != 2'b00) == f_took && ret_take != 2'b11);
            // (1) the framer's side of the take (formal/ims_framer_formal.v
            // assumes it): in the cycle after a take the engine's
            // tx_rest_dws is the TLP taken, from which the framer copies
            // the beats after the first
            p_rest: assert(!f_took || tx_rest_dws == f_took_dws);
            if (f_took_watched) begin
                // (2) no message for a masked slot (MSI-X Vector Control Mask,
                // PCIe 7.7.2 / 6.1.4.5; IMS CTRL MASK) or for a PASID-tagged
                // one while PASID Enable is clear (PCIe 6.20.1)
                p_not_masked: assert(!f_took_masked);
                // (3)/(4) a message only for a slot whose request waits: one
                // message per request, merged requests one message
                p_was_pending: assert(f_took_waiting);
                // (5) the ADDRESS/DATA pair (and PASID) are the slot's, from
                // one reading of the entry (never half of a write)
                p_pair: assert(f_addr == f_want_addr && f_data == f_want_data
                               && f_4dw == (f_want_addr[63:32] != 32'd0)
                               && f_has_prefix == f_want_pasid
                               && (!f_want_pasid || f_took_dws[19:0] == f_took_entry[PASID_LSB +: 20])
                               && f_took_ndw == 3'd4 + {2'b0, f_4dw} + {2'b0, f_has_prefix});
            end
            p_live: assert(f_wait_cycles < LIVE_BOUND);
        end

    // ---------------------------------------------------------------
    // Covers: the situations the properties are about are reached
    // ---------------------------------------------------------------
    reg f_masked_while_waiting = 1'b0;   // the watched request was held by a mask
    reg f_stalled = 1'b0;                // an offered TLP was not taken
    always @(posedge clk) begin
        if (rst) begin
            f_masked_while_waiting <= 1'b0;
            f_stalled <= 1'b0;
        end else begin
            if (f_waiting && f_vis_masked && f_vis_entry[MASK_BIT])
                f_masked_while_waiting <= 1'b1;
            if (tx_valid && !tx_take)
                f_stalled <= 1'b1;
            if (f_took_watched) begin
                f_masked_while_waiting <= 1'b0;
                f_stalled <= 1'b0;
            end
        end
    end
    reg f_merged = 1'b0;                 // a second request met a waiting one
    always @(posedge clk)
        f_merged <= !rst && (f_merged || (f_waiting && f_req_watched && !f_took_watched));

    always @(*)
        if (!rst) begin
            c_take: cover(f_took_watched);
            c_take_msix: cover(f_took_watched && !f_store);
            c_take_pasid: cover(f_took_watched && f_has_prefix);
            c_take_4dw: cover(f_took_watched && f_4dw);
            c_unmask_release: cover(f_took_watched && f_masked_while_waiting);
            c_take_after_stall: cover(f_took_watched && f_stalled);
            c_merge: cover(f_took_watched && f_merged);
        end

endmodule
