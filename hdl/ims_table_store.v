// SPDX-License-Identifier: MIT
//
// ims_table_store: a table-based Interrupt Message Store (the MSI-X table,
// the IMS table): entries, pending bits, and the candidates the store
// builds for the message engine. Nothing in it grows with the table but
// RAM: a table of any size has the same logic.
//
// Entry (one RAM word, software sees 16 bytes; ADDRESS/DATA are read in
// one access, so a message never has half of a QW write):
//   DW0  message address [31:2] (bits 1:0 read 0)
//   DW1  message address [63:32]
//   DW2  message data
//   DW3  MSI-X Vector Control: [0] Mask
//        IMS CTRL: [0] MASK, [1] PENDING (read-only), [3] PASID_EN, [31:12] PASID
// Read-only bits are not stored. Reset: every entry masked, all else 0.
// The entry is stored in RAMs written together and read by the engine for
// a candidate: the entry RAM (bytes 0..12: ADDRESS, DATA, the low CTRL
// byte), the PASID RAM (bytes 13..15, the IMS layout with PASID only) and a
// narrow flags RAM with what the candidate's offer depends on: Mask,
// PASID_EN and, per byte of DW1, "the byte is not zero" (so "ADDRESS is
// above 4 GiB", a 4DW header, needs no 32-bit OR in the message path).
//
// State of a slot, in two RAMs with one writer each (docs/design.md 5):
//   es       written by the set path (requests, unmasks)
//   ed, k    written when a candidate leaves (taken or parked)
//   QUEUED   es != ed            pending; in the queue or a candidate
//   PARKED   es == ed and k      pending; was masked when it was read
//   IDLE     es == ed and !k     not pending
// Software's pending bit is QUEUED or PARKED.
//
// Paths (cycle numbers from an operation entering at 0):
//   set path  0: a request or an unmask enters; es/ed/k are read
//             2: its state is known (with the writes not yet in the RAMs
//                forwarded); a request on an IDLE slot, or an unmask of a
//                PARKED slot, makes it QUEUED: es toggles (registered at 3,
//                written at 4) and the slot is queued, or, when the read
//                path was free at 0 and read the entry alongside, it goes
//                straight to the candidates
//   read path 0: the next slot to read: one to read again (priority), the
//                queue's head, or the operation entering the set path (when
//                the queue is empty); the entry is read from the table
//             2: its TLP is built; it is pushed as a candidate into the
//                engine (ims_msg_engine), which keeps the candidates next to
//                the tx framer and reports each one's departure: taken
//                (IDLE), parked (masked when read: PARKED) or stale (read
//                again)
//             With LATE_FILL (DATA_WIDTH 64, where a message's first beat
//             is DW0 and DW1) the entry itself is read a cycle later, from
//             the registered index, and reaches the candidate a cycle after
//             its push (cand_fill), in time for the beats after the first:
//             the push at 2 carries the flags' and the PASID's part (the offer and the
//             first beat: DW0 and DW1, or the PASID prefix and DW0). Then
//             the entry RAM's read starts and ends at registers (on ECP5
//             the DP16KD's own output register: ims_ram ECP5_OUTREG), which
//             is what large tables need to reach the clock.
// An unmask (a write that clears the mask bit) enters the set path in the
// cycle after the write; the engine keeps irq_ready low in that cycle, so
// it never meets a request there and no request is ever delayed.
//
// PASID (IMS layout with PASID = 1, design.md 5): an entry with PASID_EN is
// treated as masked while PASID Enable is clear (PCIe 6.20.1: "A Function
// is not permitted to send and receive TLPs with a PASID unless PASID
// Enable is Set"), so its slot parks and stays pending.
// When pasid_enable is set again and a slot was parked that way since the
// last release, a release sweep passes every slot through the set path as
// an unmask (one per cycle, irq_ready low meanwhile): the parked ones are
// read again and sent. A change of pasid_enable invalidates the
// candidates (ims_endpoint), so none built before it is sent after it.
// A table write to a slot being read makes that copy stale (the engine
// snoops the writes for the candidates it holds). Writes are snooped one
// cycle after they are presented, against the low 6 index bits (a shallow
// compare; another entry with the same low bits is read again needlessly):
// a write that lands at edge w is seen by takes from edge w+2 on.

`timescale 1ns / 1ps
`default_nettype none
`include "ims_params.vh"

module ims_table_store #(
    // Table entries, 0 .. 32768; 0 = no store (all outputs idle)
    parameter ENTRIES = 64,
    // 0: MSI-X entry layout; 1: IMS entry layout (CTRL with PASID)
    parameter IMS_LAYOUT = 0,
    // IMS layout: 1 = PASID_EN/PASID implemented, 0 = RO 0 (no PASID)
    parameter PASID = 1,
    // 1: the entry reaches the candidate a cycle after its push (cand_fill;
    // for DATA_WIDTH 64, see the top)
    parameter LATE_FILL = 0
) (
    input  wire         clk,
    input  wire         rst,
    output wire         init_done,

    // A request for a slot (from the engine; the index is in range)
    input  wire         req_valid,
    input  wire [14:0]  req_index,
    output wire         unmask_next,    // an unmask enters next cycle: no request then
    input  wire         pasid_enable,  // PASID-tagged messages may be sent

    // Software: write the entry at host_index (lands at the next edge).
    // While the reset sweep runs (init_done low) host_index must count with
    // it, 0, 1, ... from the first cycle after rst: the sweep writes there.
    // host_pending is the pending bits of QW host_qw three cycles after it
    // was presented (ims_bit_ram: a cycle of routing of its own; software
    // has no latency bound), host_rdata the entry four cycles after (hold
    // them)
    input  wire         host_write,
    input  wire [14:0]  host_index,
    input  wire [127:0] host_wdata,
    input  wire [15:0]  host_wstrb,
    input  wire [8:0]   host_qw,
    output wire [127:0] host_rdata,
    output wire [63:0]  host_pending,

    // Candidates for the engine (ims_msg_engine keeps them): a slot, its
    // state bit and its message TLP, built from the entry as read
    input  wire [15:0]  requester_id,
    output wire         cand_push,
    output wire [14:0]  cand_index,
    output wire         cand_es,
    output wire [191:0] cand_dws,
    output wire [2:0]   cand_ndw,
    output wire [21:0]  cand_late,      // LATE_FILL: {PASID, PASID_EN, 4DW}, applied at the FIFO head
    output wire         cand_masked,
    output wire         cand_dead,      // not a candidate: let it go (known a cycle late)
    output wire         cand_hold,      // may not be offered in its first cycle
    output wire         cand_stale,     // the entry changed while it was read
    // LATE_FILL: the TLP of the candidate pushed at the last edge, whole
    output wire         cand_fill,
    output wire [191:0] cand_fill_dws,
    input  wire [2:0]   cand_count,     // candidates the engine holds

    // Departures from the engine's candidates, one edge after they happened
    input  wire         ret_take,       // taken: IDLE (the message is sent)
    input  wire         ret_park,       // masked: PARKED
    input  wire         ret_reread,     // stale: read the entry again
    input  wire [14:0]  ret_index,
    input  wire         ret_es
);

`include "ims_regmap.vh"

    // One of 8 decisions, chosen by the RAM outputs (a tree of ?: so that
    // a simulator's unknown RAM output chooses nothing where all agree)
    function pick_by_read;
        input [7:0] by_read;
        input [2:0] read;
        reg   [3:0] half;
        reg   [1:0] quarter;
        begin
            half = read[2] ? by_read[7:4] : by_read[3:0];
            quarter = read[1] ? half[3:2] : half[1:0];
            pick_by_read = read[0] ? quarter[1] : quarter[0];
        end
    endfunction

    // Illegal parameters stop elaboration with the instance's name
    initial begin
        `IMS_CHECK_RANGE("ENTRIES", ENTRIES, 0, 32768)
        `IMS_CHECK_RANGE("IMS_LAYOUT", IMS_LAYOUT, 0, 1)
        `IMS_CHECK_RANGE("PASID", PASID, 0, 1)
        `IMS_CHECK_RANGE("LATE_FILL", LATE_FILL, 0, 1)
    end

    generate
        if (ENTRIES == 0) begin : g_none
            assign init_done = 1'b1;
            assign unmask_next = 1'b0;
            assign host_rdata = 128'd0;
            assign host_pending = 64'd0;
            assign cand_push = 1'b0;
            assign cand_index = 15'd0;
            assign cand_es = 1'b0;
            assign cand_dws = 192'd0;
            assign cand_ndw = 3'd0;
            assign cand_late = 22'd0;
            assign cand_masked = 1'b0;
            assign cand_dead = 1'b0;
            assign cand_hold = 1'b0;
            assign cand_stale = 1'b0;
            assign cand_fill = 1'b0;
            assign cand_fill_dws = 192'd0;
            wire unused = &{1'b0, req_valid, req_index, host_write, host_index, host_wdata,
                            host_wstrb, host_qw, requester_id, cand_count, ret_take, ret_park,
                            ret_reread, ret_index, ret_es, pasid_enable, clk, rst};
        end else begin : g_store
            // (at most the 15 index bits, so that an illegal ENTRIES
            // reaches the check above instead of failing elaboration)
            localparam AW = (ENTRIES <= 2) ? 1 : (ENTRIES > 32768) ? 15 : $clog2(ENTRIES);
            // Pending view bits of slots the sweep does not reach (a table
            // of fewer than 64 entries) read 0
            localparam [63:0] VIEW_MASK = (ENTRIES >= 64) ? {64{1'b1}}
                                        : ((64'h1 << ENTRIES) - 64'h1);
            // The entry as one 128-bit word: the DW at entry offset o (the
            // ENTRY_* of hdl/ims_regmap.vh) is bits 8o+31:8o. Its CTRL DW is
            // the MSI-X Vector Control or the IMS CTRL, by IMS_LAYOUT.
            localparam CTRL_LSB = 8 * ENTRY_CTRL;
            localparam ADDR_LO_LSB = 8 * ENTRY_ADDR_LO;
            localparam ADDR_HI_LSB = 8 * ENTRY_ADDR_HI;
            localparam DATA_LSB = 8 * ENTRY_DATA;
            // Entries with a PASID: the IMS layout with PASID
            localparam HAS_PASID = IMS_LAYOUT != 0 && PASID != 0;
            localparam [31:0] PASID_BITS = (32'd1 << IMS_ENTRY_CTRL_PASID_EN_BIT)
                                         | (32'hFFFFF << IMS_ENTRY_CTRL_PASID_LSB);
            localparam [31:0] CTRL_RW = !IMS_LAYOUT ? MSIX_ENTRY_CTRL_RW
                                      : HAS_PASID ? IMS_ENTRY_CTRL_RW
                                      : IMS_ENTRY_CTRL_RW & ~PASID_BITS;
            localparam [31:0] CTRL_RESET = IMS_LAYOUT ? IMS_ENTRY_CTRL_RESET
                                                      : MSIX_ENTRY_CTRL_RESET;
            // Bits software can write (and the RAM stores); the ADDRESS and
            // DATA DWs are alike in both layouts
            localparam [127:0] ENTRY_RW = ({96'd0, CTRL_RW} << CTRL_LSB)
                                        | ({96'd0, IMS_ENTRY_DATA_RW} << DATA_LSB)
                                        | ({96'd0, IMS_ENTRY_ADDR_HI_RW} << ADDR_HI_LSB)
                                        | ({96'd0, IMS_ENTRY_ADDR_LO_RW} << ADDR_LO_LSB);
            // (ADDRESS and DATA reset to 0)
            localparam [127:0] ENTRY_RESET = {96'd0, CTRL_RESET} << CTRL_LSB;
            localparam MASK_BIT = CTRL_LSB + (IMS_LAYOUT ? IMS_ENTRY_CTRL_MASK_BIT
                                                         : MSIX_ENTRY_CTRL_MASK_BIT);
            localparam PENDING_BIT = CTRL_LSB + IMS_ENTRY_CTRL_PENDING_BIT;
            localparam PASID_EN_BIT = CTRL_LSB + IMS_ENTRY_CTRL_PASID_EN_BIT;
            localparam PASID_LSB = CTRL_LSB + IMS_ENTRY_CTRL_PASID_LSB;

            // ---------------------------------------------------------
            // Reset sweep: every entry masked, every slot IDLE
            // ---------------------------------------------------------
            reg              init_done_reg;
            reg [AW-1:0]     sweep_reg;
            always @(posedge clk) begin
                if (rst) begin
                    init_done_reg <= 1'b0;
                    sweep_reg <= {AW{1'b0}};
                end else if (!init_done_reg) begin
                    sweep_reg <= sweep_reg + 1'b1;
                    if (&sweep_reg)
                        init_done_reg <= 1'b1;
                end
            end
            wire sweeping = !init_done_reg;
            wire [14:0] sweep_slot = {{(15 - AW){1'b0}}, sweep_reg};
            assign init_done = init_done_reg;

            // ---------------------------------------------------------
            // Software side of the table; an unmask enters the set path
            // in the next cycle
            // ---------------------------------------------------------
            reg        unmask_reg;
            reg [14:0] unmask_index_reg;
            wire       unmask_write = host_write && host_wstrb[MASK_BIT / 8] && !host_wdata[MASK_BIT];
            // The release sweep (PASID, see the top): its unmasks take the
            // cycles without a software unmask
            reg          release_reg;       // sweeping
            reg [AW-1:0] release_slot_reg;
            wire         release_step = release_reg && !unmask_write;
            always @(posedge clk) begin
                if (rst) begin
                    unmask_reg <= 1'b0;
                    unmask_index_reg <= 15'd0;
                end else begin
                    unmask_reg <= unmask_write || release_step;
                    unmask_index_reg <= unmask_write ? host_index
                                      : {{(15 - AW){1'b0}}, release_slot_reg};
                end
            end
            // (irq_ready stays low while the sweep runs)
            assign unmask_next = unmask_write || release_reg;

`ifndef SYNTHESIS
            wire checking;
            ims_check_armed check_armed (.clk(clk), .rst(rst), .active(checking));

            // irq_ready is low in the unmask's cycle: never a request then
            always @(posedge clk)
                if (checking && unmask_reg && req_valid) begin
                    $display("ERROR: %m: a request met an unmask");
                    $finish;
                end
            // The sweep writes its reset entries at host_index (see the port).
            // (one line: a check's lines are never reached, and they count)
            always @(posedge clk)
                if (checking && sweeping && host_index[AW-1:0] != sweep_reg) begin
                    $display("ERROR: %m: host_index is not the reset sweep's entry"); $finish; end
`endif

            // ---------------------------------------------------------
            // Departures (registered by the engine): a parked or taken slot
            // leaves QUEUED, ed := es (and k = parked); written from here
            // ---------------------------------------------------------
            wire       ya_valid = ret_take || ret_park;
            wire [1:0] ya_data = {ret_park, ret_es};     // {k, ed}

            // ---------------------------------------------------------
            // Set path, cycle 0: a request or an unmask enters
            // ---------------------------------------------------------
            wire        s0_valid = unmask_reg || req_valid;
            wire        s0_unmask = unmask_reg;
            wire [14:0] s0_index = unmask_reg ? unmask_index_reg : req_index;

            reg        ca_valid_reg, cb_valid_reg, ca_spec_reg;
            reg        yb_valid_reg, yc_valid_reg;
            reg [14:0] ca_index_reg, cb_index_reg, yb_index_reg, yc_index_reg;
            reg        ca_es_reg, cb_es_reg;
            reg [1:0]  yb_data_reg, yc_data_reg;
            reg        s1_valid_reg, s1_unmask_reg, s1_spec_reg, s1_fast_reg;
            reg        d1_valid_reg, d2_valid_reg;
            reg        s2_match_a_reg;            // the op ahead has this slot
            reg        s2_fwd_es_hit_reg, s2_fwd_es_reg;     // cb/cc, resolved
            reg        s2_fwd_y_hit_reg;
            reg [1:0]  s2_fwd_y_reg;                         // yb/yc, resolved
            reg [14:0] s1_index_reg;
            reg        s2_valid_reg, s2_unmask_reg, s2_spec_reg, s2_fast_reg;
            reg [14:0] s2_index_reg;
            reg        d1_spec_reg, d1_es_reg;
            reg [14:0] d1_index_reg;
            reg        d2_spec_reg, d2_es_reg, d2_stale_reg, d2_fast_reg;
            reg        d1_fast_reg;
            reg [14:0] d2_index_reg;

            // Read path, cycle 0
            wire        q_head_valid, q_empty;
            wire [15:0] q_head;
            // Room for one more read: candidates and reads in flight stay
            // within the candidate FIFO (this cycle's departure is not
            // counted, so no path runs from the framer's take to the RAM)
            wire [2:0]  in_flight = cand_count + {2'b00, d1_valid_reg} + {2'b00, d2_valid_reg};
            wire credit = in_flight < 3'd4;
            // The address is chosen by registers only (a re-read, else the
            // queue's head, else the operation entering the set path);
            // whether a read happens is decided alongside. A re-read needs
            // no credit: its candidate left the engine's FIFO.
            wire d0_reread = ret_reread;
            wire d0_spec = !ret_reread && s0_valid && q_empty && credit;
            // A request read speculatively while nothing else is under way
            // in this store (fast): its slot is IDLE, or PARKED and masked
            // (an unmask would be under way otherwise), so it needs no
            // decision before it is offered: an IDLE slot goes, a PARKED
            // one goes too (es toggles; its masked entry parks it again at
            // once). Every other speculative read waits for the decision:
            // its candidate is held for its first cycle.
            wire store_idle = !s1_valid_reg && !s2_valid_reg && !ca_valid_reg
                           && !d1_valid_reg && !d2_valid_reg && cand_count == 3'd0 && q_empty;
            wire d0_fast = d0_spec && !s0_unmask && store_idle;
            wire d0_deq = !ret_reread && q_head_valid && credit;   // q_empty: no head
            wire d0_valid = d0_reread || d0_spec || d0_deq;
            wire [14:0] d0_index = ret_reread ? ret_index
                                 : q_head_valid ? q_head[14:0] : s0_index;
            wire d0_es = ret_reread ? ret_es : q_head[15];

            // Table writes, registered: a read issued in cycle t (latched at
            // t+1) is stale when a write presented in t, t+1 or t+2 hits it:
            // seen here in t+1 (the read in d1) and t+2 (in d2), and by the
            // engine in t+3 (a candidate by then)
            reg        snp_valid_reg;
            reg [5:0]  snp_index_reg;
            always @(posedge clk) begin
                snp_valid_reg <= !rst && host_write;
                snp_index_reg <= host_index[5:0];
            end

            // The entry RAM: what software wrote (RW bits) of bytes 0..12
            // of the entry, one byte lane per strobe (bytes 13..15 hold
            // nothing but the PASID: the PASID RAM). With LATE_FILL its
            // engine port reads the index registered at 1 (d1), so that
            // the read starts at a register.
            localparam MAIN_LANES = CTRL_LSB / 8 + 1;
            localparam MAIN_W = 8 * MAIN_LANES;
            wire [MAIN_W-1:0] main_rdata_host, main_rdata_engine;
            wire [127:0] wbytes = sweeping ? ENTRY_RESET : host_wdata & ENTRY_RW;
            wire [15:0]  host_wen = sweeping ? 16'hFFFF : (host_write ? host_wstrb : 16'h0000);
            // (the sweep writes at host_index, which counts with it: no mux
            // in front of the many block RAMs' address pins)
            wire [AW-1:0] host_addr = host_index[AW-1:0];
            ims_ram #(.WIDTH(MAIN_W), .AW(AW), .LANE(8), .ECP5_OUTREG(LATE_FILL)) table_ram (
                .clk(clk),
                .a_addr(host_addr), .a_wen(host_wen[MAIN_LANES-1:0]),
                .a_wdata(wbytes[MAIN_W-1:0]), .a_rdata(main_rdata_host),
                .b_addr(LATE_FILL ? d1_index_reg[AW-1:0] : d0_index[AW-1:0]),
                .b_rdata(main_rdata_engine));

            // The flags RAM (see the top), read at 0 like the slot state:
            //   [0] Mask   [1] PASID_EN   [5:2] byte k of DW1 is not zero
            localparam F_MASK = 0, F_PASID_EN = 1, F_HI = 2;
            localparam PASID_W = IMS_ENTRY_CTRL_PASID_WIDTH;
            wire [5:0] flags_wen, flags_wdata, flags_engine;
            /* verilator lint_off UNUSEDSIGNAL */
            wire [5:0] unused_flags_host;      // software reads the entry RAM
            /* verilator lint_on UNUSEDSIGNAL */
            assign flags_wen[F_MASK] = host_wen[MASK_BIT / 8];
            assign flags_wen[F_PASID_EN] = host_wen[PASID_EN_BIT / 8];
            // (the host's bits, then the sweep's choice: sweeping, a
            // high-fanout register, is one LUT from the RAM)
            assign flags_wdata[F_MASK] = wbytes[MASK_BIT];
            assign flags_wdata[F_PASID_EN] = !sweeping && HAS_PASID && host_wdata[PASID_EN_BIT];
            genvar b;
            for (b = 0; b < 4; b = b + 1) begin : g_hi_byte
                assign flags_wen[F_HI + b] = host_wen[ADDR_HI_LSB / 8 + b];
                assign flags_wdata[F_HI + b] = !sweeping && |(host_wdata[ADDR_HI_LSB + 8 * b +: 8]
                                                              & ENTRY_RW[ADDR_HI_LSB + 8 * b +: 8]);
            end
            // (on ECP5 through the DP16KD's output register too: a fabric
            // register after even a lone DP16KD was placed 5 ns away)
            ims_ram #(.WIDTH(6), .AW(AW), .LANE(1), .ECP5_OUTREG(LATE_FILL)) flags_ram (
                .clk(clk),
                .a_addr(host_addr), .a_wen(flags_wen), .a_wdata(flags_wdata),
                .a_rdata(unused_flags_host),
                .b_addr(d0_index[AW-1:0]), .b_rdata(flags_engine));
            wire entry_four_dw = |flags_engine[F_HI +: 4];
            wire entry_masked = flags_engine[F_MASK];
            wire entry_pasid_en = HAS_PASID && flags_engine[F_PASID_EN];

            // The PASID RAM (IMS layout with PASID): bytes 13..15 of the
            // entry, read at 0, for the prefix of the first beat
            wire [PASID_W-1:0] entry_pasid;
            wire [127:0] entry_rdata_host, entry_rdata_engine;
            if (HAS_PASID) begin : g_pasid
                localparam PASID_RAM_W = 128 - MAIN_W;
                wire [PASID_RAM_W-1:0] pasid_rdata_host;
                /* verilator lint_off UNUSEDSIGNAL */   // (bits 107:104: RO 0)
                wire [PASID_RAM_W-1:0] pasid_rdata_engine;
                /* verilator lint_on UNUSEDSIGNAL */
                ims_ram #(.WIDTH(PASID_RAM_W), .AW(AW), .LANE(8), .ECP5_OUTREG(LATE_FILL)) pasid_ram (
                    .clk(clk),
                    .a_addr(host_addr), .a_wen(host_wen[15:MAIN_LANES]),
                    .a_wdata(wbytes[127:MAIN_W]), .a_rdata(pasid_rdata_host),
                    .b_addr(d0_index[AW-1:0]), .b_rdata(pasid_rdata_engine));
                assign entry_pasid = pasid_rdata_engine[PASID_LSB - MAIN_W +: PASID_W];
                assign entry_rdata_host = {pasid_rdata_host, main_rdata_host};
            end else begin : g_no_pasid
                assign entry_pasid = {PASID_W{1'b0}};
                assign entry_rdata_host = {{(128 - MAIN_W){1'b0}}, main_rdata_host};
            end
            // (the engine takes the PASID from the PASID RAM, at the push)
            assign entry_rdata_engine = {{(128 - MAIN_W){1'b0}}, main_rdata_engine};


            // ---------------------------------------------------------
            // Pipeline registers: set path (s1, s2), read path (d1, d2)
            // ---------------------------------------------------------
            wire snoop_d1 = snp_valid_reg && snp_index_reg == d1_index_reg[5:0];
            // (for d2, compared a cycle ahead: d2 is d1 of the last cycle, the
            // registered write the write of the last cycle)
            reg snoop_d2_reg;
            always @(posedge clk)
                snoop_d2_reg <= !rst && host_write && host_index[5:0] == d1_index_reg[5:0];

            always @(posedge clk) begin
                if (rst) begin
                    s1_valid_reg <= 1'b0;
                    s2_valid_reg <= 1'b0;
                    d1_valid_reg <= 1'b0;
                    d2_valid_reg <= 1'b0;
                end else begin
                    s1_valid_reg <= s0_valid;
                    s2_valid_reg <= s1_valid_reg;
                    d1_valid_reg <= d0_valid;
                    d2_valid_reg <= d1_valid_reg;
                end
                s1_unmask_reg <= s0_unmask;
                s1_spec_reg <= d0_spec;
                s1_fast_reg <= d0_fast;
                s1_index_reg <= s0_index;
                s2_unmask_reg <= s1_unmask_reg;
                // Forwarding, resolved a cycle ahead (see the set path): the
                // sources that will be cb/cc and yb/yc are ca/cb and ya/yb now
                s2_match_a_reg <= s2_index_reg == s1_index_reg;
                s2_fwd_es_hit_reg <= (ca_valid_reg && ca_index_reg == s1_index_reg)
                                  || (cb_valid_reg && cb_index_reg == s1_index_reg);
                s2_fwd_es_reg <= (ca_valid_reg && ca_index_reg == s1_index_reg) ? ca_es_reg
                                                                                 : cb_es_reg;
                s2_fwd_y_hit_reg <= (ya_valid && ret_index == s1_index_reg)
                                 || (yb_valid_reg && yb_index_reg == s1_index_reg);
                s2_fwd_y_reg <= (ya_valid && ret_index == s1_index_reg) ? ya_data : yb_data_reg;
                s2_spec_reg <= s1_spec_reg;
                s2_fast_reg <= s1_fast_reg;
                s2_index_reg <= s1_index_reg;
                d1_spec_reg <= d0_spec;
                d1_fast_reg <= d0_fast;
                d1_es_reg <= d0_es;
                d1_index_reg <= d0_index;
                d2_spec_reg <= d1_spec_reg;
                d2_fast_reg <= d1_fast_reg;
                d2_es_reg <= d1_es_reg;
                d2_index_reg <= d1_index_reg;
                d2_stale_reg <= snoop_d1;
            end

            // ---------------------------------------------------------
            // Slot state RAMs read by the set path
            // ---------------------------------------------------------
            wire        x_write;
            wire [14:0] x_index;
            wire        x_es;
            wire        es_read;
            wire [1:0]  y_read;
            // (on ECP5 through the DP16KD's output register at DATA_WIDTH 64
            // from 128 slots; below, distributed RAM stays next to its
            // logic; at 128/256 bits the inferred RAMs measured better)
            /* verilator lint_off UNUSEDSIGNAL */
            wire        unused_es_a;     // port A only writes
            wire [1:0]  unused_edk_a;
            /* verilator lint_on UNUSEDSIGNAL */
            ims_ram #(.WIDTH(1), .AW(AW), .ECP5_OUTREG(LATE_FILL && AW >= 7)) es_ram (
                .clk(clk),
                .a_addr(sweeping ? sweep_reg : x_index[AW-1:0]),
                .a_wen(sweeping || x_write), .a_wdata(!sweeping && x_es), .a_rdata(unused_es_a),
                .b_addr(s0_index[AW-1:0]), .b_rdata(es_read));
            ims_ram #(.WIDTH(2), .AW(AW), .ECP5_OUTREG(LATE_FILL && AW >= 7)) edk_ram (
                .clk(clk),
                .a_addr(sweeping ? sweep_reg : ret_index[AW-1:0]),
                .a_wen(sweeping || ya_valid), .a_wdata(sweeping ? 2'b00 : ya_data),
                .a_rdata(unused_edk_a),
                .b_addr(s0_index[AW-1:0]), .b_rdata(y_read));

            // Writes the set path's read did not see (the read's edge is
            // the operation's own edge):
            //   es   a decision is registered (ca) and written from there, so
            //        the three operations ahead are forwarded: the one
            //        still deciding (its result in ca), and the two before
            //        it (in ca and cb a cycle ago; the older one was written
            //        at the read's edge)
            //   ed/k a departure is written one edge after it happened (from
            //        ya), so the departures at the read's edge and at the
            //        edge before (written at the read's edge) are forwarded
            //        (in ya and yb a cycle ago). A departure at the edge an operation enters
            //        is before it: a request at the take edge yields another
            //        message.
            // All but the op ahead (ca) are resolved a cycle ahead, so the
            // decision is made from registers (below).
            wire es_fwd_a = ca_valid_reg && s2_match_a_reg;
            wire es_fwd_hit = es_fwd_a || s2_fwd_es_hit_reg;
            wire es_fwd = es_fwd_a ? ca_es_reg : s2_fwd_es_reg;
            wire es_now = es_fwd_hit ? es_fwd : es_read;

            // Cycle 2: the set path's decision. The RAM outputs (es_read,
            // y_read: at the end of a long route from block RAM) only
            // choose among decisions made from registers, one for each of
            // their 8 values (kept: else Yosys folds the RAM outputs in
            // early), so they pass a multiplexer only on the way to the
            // candidate FIFO
            (* keep *) wire [7:0] go_by_read, dead_by_read;
            genvar r;
            for (r = 0; r < 8; r = r + 1) begin : g_decide
                // (r: {es_read, y_read})
                wire es_r = es_fwd_hit ? es_fwd : r[2];
                wire [1:0] edk_r = s2_fwd_y_hit_reg ? s2_fwd_y_reg : r[1:0];
                wire queued_r = es_r != edk_r[0];
                wire parked_r = !queued_r && edk_r[1];
                wire idle_r = !queued_r && !edk_r[1];
                assign go_by_read[r] = s2_valid_reg
                    && (s2_unmask_reg ? parked_r : (idle_r || (s2_fast_reg && parked_r)));
                // a speculative read that needed no message (see cand_dead)
                assign dead_by_read[r] = s2_spec_reg && !go_by_read[r];
            end
            wire [2:0] read_now = {es_read, y_read};
            wire go = pick_by_read(go_by_read, read_now);
            wire es_new = !es_now;
`ifndef SYNTHESIS
            // The chosen decision is the one of the slot's state
            wire [1:0] edk_now = s2_fwd_y_hit_reg ? s2_fwd_y_reg : y_read;
            wire queued = es_now != edk_now[0];
            wire go_of_state = s2_valid_reg && (queued ? 1'b0 : edk_now[1] ? s2_unmask_reg || s2_fast_reg
                                                                           : !s2_unmask_reg);
            always @(posedge clk)
                if (checking && s2_valid_reg && (go !== go_of_state || cand_dead !== (d2_spec_reg && !go))) begin
                    $display("ERROR: %m: the set path's decision differs from the slot's state"); $finish; end
`endif
            // The decision is registered (ca) and written from there
            assign x_write = ca_valid_reg;
            assign x_index = ca_index_reg;
            assign x_es = ca_es_reg;
            wire enqueue = ca_valid_reg && !ca_spec_reg;

            always @(posedge clk) begin
                if (rst) begin
                    ca_valid_reg <= 1'b0;
                    cb_valid_reg <= 1'b0;
                    yb_valid_reg <= 1'b0;
                    yc_valid_reg <= 1'b0;
                end else begin
                    ca_valid_reg <= go;
                    cb_valid_reg <= ca_valid_reg;
                    yb_valid_reg <= ya_valid;
                    yc_valid_reg <= yb_valid_reg;
                end
                ca_index_reg <= s2_index_reg;
                ca_spec_reg <= s2_spec_reg;
                ca_es_reg <= es_new;
                cb_index_reg <= ca_index_reg;
                cb_es_reg <= ca_es_reg;
                yb_index_reg <= ret_index;
                yb_data_reg <= ya_data;
                yc_index_reg <= yb_index_reg;
                yc_data_reg <= yb_data_reg;
            end

            // ---------------------------------------------------------
            // The queue of slots to read
            // ---------------------------------------------------------
            ims_queue #(.WIDTH(16), .AW(AW)) queue (
                .clk(clk), .rst(rst),
.push(enqueue), .push_data({ca_es_reg, ca_index_reg}),
                .head_valid(q_head_valid), .head_data(q_head), .pop(d0_deq),
                .empty(q_empty));

            // ---------------------------------------------------------
            // Cycle 2 of the read path: build the TLP, make a candidate
            // ---------------------------------------------------------
            // The entry as the engine's port reads it (cycle 2, or 3 with
            // LATE_FILL); Mask and PASID_EN come from the flags
            /* verilator lint_off UNUSEDSIGNAL */
            wire [127:0] entry_read = entry_rdata_engine & ENTRY_RW;
            /* verilator lint_on UNUSEDSIGNAL */
            // (with LATE_FILL the entry is not read yet: the flags' part)
            /* verilator lint_off UNUSEDSIGNAL */
            wire [127:0] entry = LATE_FILL ? 128'd0 : entry_read;
            /* verilator lint_on UNUSEDSIGNAL */
            wire [191:0] built_dws;
            wire [2:0]   built_ndw;
            // (with LATE_FILL the first two DWs as for a 3DW TLP without
            // a prefix: the flags and the PASID, read late from RAM, go
            // apart in cand_late and are applied at the FIFO head)
            ims_msg_tlp msg_tlp (
                .address({entry[ADDR_HI_LSB +: 32], entry[ADDR_LO_LSB +: 32]}),
                .four_dw(!LATE_FILL && entry_four_dw),
                .data(entry[DATA_LSB +: 32]),
                .pasid_enable(!LATE_FILL && entry_pasid_en),
                .pasid(entry_pasid),
                .requester_id(requester_id), .dws(built_dws), .ndw(built_ndw));
            assign cand_late = LATE_FILL ? {entry_pasid, entry_pasid_en, entry_four_dw} : 22'd0;

            // Every read becomes a candidate; a speculative one that needed
            // no message is dead (so the push does not wait for the decision)
            assign cand_push = d2_valid_reg;
            assign cand_index = d2_index_reg;
            assign cand_es = d2_spec_reg ? es_new : d2_es_reg;
            // (with LATE_FILL only the first beat's DWs: the fill brings the rest)
            assign cand_dws = LATE_FILL ? {128'd0, built_dws[63:0]} : built_dws;
            assign cand_ndw = built_ndw;
            // Masked, or PASID-tagged while PASID-tagged TLPs may not go
            wire pasid_blocked = entry_pasid_en && !pasid_enable;
            assign cand_masked = entry_masked || pasid_blocked;
            // (a speculative read is the set path's op: s2_spec_reg is
            // d2_spec_reg, so dead_by_read is "d2_spec_reg && !go")
            assign cand_dead = pick_by_read(dead_by_read, read_now);
            assign cand_hold = d2_spec_reg && !d2_fast_reg;

            // Cycle 3 with LATE_FILL: the whole TLP, from the entry and the
            // flags of the push
            reg d3_valid_reg, d3_four_dw_reg, d3_pasid_en_reg;
            reg [PASID_W-1:0] d3_pasid_reg;
            always @(posedge clk) begin
                d3_valid_reg <= !rst && d2_valid_reg;
                d3_four_dw_reg <= entry_four_dw;
                d3_pasid_en_reg <= entry_pasid_en;
                d3_pasid_reg <= entry_pasid;
            end
            /* verilator lint_off UNUSEDSIGNAL */
            wire [2:0] fill_ndw;               // the push's ndw stands
            /* verilator lint_on UNUSEDSIGNAL */
            ims_msg_tlp fill_tlp (
                .address({entry_read[ADDR_HI_LSB +: 32], entry_read[ADDR_LO_LSB +: 32]}),
                .four_dw(d3_four_dw_reg),
                .data(entry_read[DATA_LSB +: 32]),
                .pasid_enable(d3_pasid_en_reg),
                .pasid(d3_pasid_reg),
                .requester_id(requester_id), .dws(cand_fill_dws), .ndw(fill_ndw));
            assign cand_fill = LATE_FILL && d3_valid_reg;

`ifndef SYNTHESIS
            // A fast read needs no decision: it always goes (see d0_fast)
            always @(posedge clk)
                if (checking && s2_valid_reg && s2_fast_reg && !go) begin
                    $display("ERROR: %m: a fast speculative read found its slot QUEUED");
                    $finish;
                end
`endif
            assign cand_stale = d2_stale_reg || snoop_d2_reg;

            // ---------------------------------------------------------
            // Release sweep: after a slot was read while PASID-blocked
            // (it may have parked so), the next time pasid_enable is set
            // every slot passes the set path as an unmask
            // ---------------------------------------------------------
            reg blocked_seen_reg;
            always @(posedge clk) begin
                if (rst) begin
                    blocked_seen_reg <= 1'b0;
                    release_reg <= 1'b0;
                    release_slot_reg <= {AW{1'b0}};
                end else begin
                    if (!release_reg && blocked_seen_reg && pasid_enable && init_done_reg) begin
                        release_reg <= 1'b1;
                        release_slot_reg <= {AW{1'b0}};
                    end else if (release_step) begin
                        release_slot_reg <= release_slot_reg + 1'b1;
                        if ({{(32 - AW){1'b0}}, release_slot_reg} == ENTRIES - 1)
                            release_reg <= 1'b0;
                    end
                    // (set by a blocked read, cleared when a sweep starts)
                    if (d2_valid_reg && pasid_blocked)
                        blocked_seen_reg <= 1'b1;
                    else if (!release_reg && pasid_enable && init_done_reg)
                        blocked_seen_reg <= 1'b0;
                end
            end

            // ---------------------------------------------------------
            // Software's view: pending bits, the entry with its RO bits
            // ---------------------------------------------------------
            // The view shows the state of three edges ago: es is written
            // three edges after the operation it belongs to (from ca), so
            // ed/k are written from yc, three edges after the departure
            // (else a take followed by a request would show a moment of
            // "not pending")
            wire [63:0] es_view, ed_view, k_view;
            ims_bit_ram #(.SLOTS(ENTRIES)) es_bits (
                .clk(clk), .w_en(sweeping || x_write), .w_slot(sweeping ? sweep_slot : x_index),
                .w_bit(!sweeping && x_es), .r_qw(host_qw), .r_data(es_view));
            ims_bit_ram #(.SLOTS(ENTRIES)) ed_bits (
                .clk(clk), .w_en(sweeping || yc_valid_reg),
                .w_slot(sweeping ? sweep_slot : yc_index_reg),
                .w_bit(!sweeping && yc_data_reg[0]), .r_qw(host_qw), .r_data(ed_view));
            ims_bit_ram #(.SLOTS(ENTRIES)) k_bits (
                .clk(clk), .w_en(sweeping || yc_valid_reg),
                .w_slot(sweeping ? sweep_slot : yc_index_reg),
                .w_bit(!sweeping && yc_data_reg[1]), .r_qw(host_qw), .r_data(k_view));
            assign host_pending = ((es_view ^ ed_view) | k_view) & VIEW_MASK;

            wire [127:0] host_entry = entry_rdata_host & ENTRY_RW;
            // (registered: the handler reads a cycle after the view is there)
            reg pending_bit_reg;
            always @(posedge clk)
                pending_bit_reg <= host_pending[host_index[5:0]];
            assign host_rdata = IMS_LAYOUT ? (host_entry | ({127'd0, pending_bit_reg} << PENDING_BIT))
                                           : host_entry;
        end
    endgenerate

endmodule

`resetall
