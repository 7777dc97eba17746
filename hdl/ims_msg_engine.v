// SPDX-License-Identifier: MIT
//
// ims_msg_engine: the one message engine behind every Interrupt Message
// Store. It owns pending and mask bits (one ims_pending per store),
// accepts interrupt requests, chooses the next slot to send round-robin,
// and builds the Memory Write TLP. The stores differ only in where
// ADDRESS/DATA live:
//
//   store 0  MSI    ADDRESS/DATA in config space (ims_cfg_space)
//   store 1  MSI-X  entries in an ims_msg_table (BAR0 MSI-X table)
//   store 2  IMS    entries in an ims_msg_table (BAR0 IMS table)
//
// Pipeline (docs/design.md section 5):
//   cycle A  each store's finder names its next ready slot after the
//            candidate (or, with no candidate, after the slot last sent);
//            the table stores start reading that entry; the engine picks
//            a store round-robin among those with a ready slot and
//            sending enabled
//   cycle B  the candidate and its entry are registered. It is offered to
//            the tx framer (msg_valid) if it is still pending, unmasked,
//            enabled and its table was not written meanwhile. An offered
//            candidate is held (and its entry re-read) until it is taken.
//   take     the framer loads the TLP (msg_take) at the edge that puts its
//            first beat on tx; the same edge clears the pending bit and
//            registers the next candidate, found in cycle A after the one
//            taken, so one message can leave every cycle. A request
//            registered at that edge wins over the clear.
//
// The TLP (6 DW slots, DW k in bits 32k+31:32k):
//   [PASID prefix 0x91000000|PASID,] DW0 Fmt 010b/011b Type 0 Length 1,
//   DW1 {Requester ID, Tag 0, Last BE 0000b, First BE 1111b},
//   [ADDRESS[63:32],] ADDRESS[31:2]<<2, DATA

`timescale 1ns / 1ps
`default_nettype none

module ims_msg_engine #(
    parameter MSI_VECTORS = 4,
    parameter MSIX_TABLE_SIZE = 64,
    parameter IMS_SIZE = 256
) (
    input  wire         clk,
    input  wire         rst,
    input  wire         tables_ready,   // table init sweeps finished
    output wire         init_done,      // pending trackers initialised

    // Interrupt requests from device logic
    input  wire         irq_valid,
    output wire         irq_ready,
    input  wire         irq_src,
    input  wire [15:0]  irq_index,

    // Sending gates and MSI settings
    input  wire         bus_master_enable,
    input  wire         msi_enable,
    input  wire [2:0]   msi_mme,
    input  wire [63:0]  msi_address,
    input  wire [15:0]  msi_data,
    input  wire         msix_enable,
    input  wire         msix_function_mask,
    input  wire         ims_enable,
    input  wire [15:0]  requester_id,

    // MSI Mask Bits / Pending Bits (config space)
    input  wire         msi_mask_write,
    input  wire [31:0]  msi_mask_enable,
    input  wire [31:0]  msi_mask_value,
    output wire [31:0]  msi_mask_bits,
    output wire [31:0]  msi_pending_bits,

    // MSI-X: software mask writes and pending/mask view; entry reads
    input  wire         msix_mask_write,
    input  wire [14:0]  msix_mask_index,
    input  wire         msix_mask_value,
    input  wire [8:0]   msix_host_qw,
    output wire [63:0]  msix_host_pending,
    output wire [63:0]  msix_host_mask,
    input  wire         msix_table_write,
    output wire [14:0]  msix_engine_index,
    /* verilator lint_off UNUSEDSIGNAL */
    input  wire [127:0] msix_engine_entry,   // DW3 (control) is not sent
    /* verilator lint_on UNUSEDSIGNAL */

    // IMS: the same
    input  wire         ims_mask_write,
    input  wire [14:0]  ims_mask_index,
    input  wire         ims_mask_value,
    input  wire [8:0]   ims_host_qw,
    output wire [63:0]  ims_host_pending,
    output wire [63:0]  ims_host_mask,
    input  wire         ims_table_write,
    output wire [14:0]  ims_engine_index,
    /* verilator lint_off UNUSEDSIGNAL */
    input  wire [127:0] ims_engine_entry,    // of DW3 only PASID and PASID_EN are sent
    /* verilator lint_on UNUSEDSIGNAL */

    // The message TLP to the tx framer
    output wire         msg_valid,
    output wire [191:0] msg_dws,
    output wire [2:0]   msg_ndw,
    input  wire         msg_take,

    // Counter events
    output wire         event_drop_range,
    output wire         event_drop_disabled,
    output wire         event_msg_sent
);

    localparam HAS_MSI = MSI_VECTORS > 0;
    localparam HAS_MSIX = MSIX_TABLE_SIZE > 0;
    localparam HAS_IMS = IMS_SIZE > 0;

    localparam [1:0] STORE_MSI = 2'd0;
    localparam [1:0] STORE_MSIX = 2'd1;
    localparam [1:0] STORE_IMS = 2'd2;

    // ---------------------------------------------------------------
    // Accepting requests: choose the store, check the range, set pending
    // ---------------------------------------------------------------
    wire msix_on = HAS_MSIX && msix_enable;
    wire msi_on = HAS_MSI && msi_enable;
    wire ims_on = HAS_IMS && ims_enable;

    wire [16:0] msi_allocated = 17'd1 << msi_mme;
    wire accept = irq_valid && irq_ready;

    // Slot counts as 32-bit values; a size of 0 means the store is absent
    localparam [31:0] MSIX_SLOTS = MSIX_TABLE_SIZE;
    localparam [31:0] IMS_SLOTS = IMS_SIZE;
    wire [31:0] index32 = {16'd0, irq_index};

    reg  [1:0] req_store;
    reg        req_enabled, req_in_range;
    // irq_src 1: IMS. irq_src 0: MSI-X when enabled, else MSI.
    always @* begin
        if (irq_src) begin
            req_store = STORE_IMS;
            req_enabled = ims_on;
            /* verilator lint_off UNSIGNED */
            req_in_range = index32 < IMS_SLOTS;
            /* verilator lint_on UNSIGNED */
        end else if (msix_on) begin
            req_store = STORE_MSIX;
            req_enabled = 1'b1;
            /* verilator lint_off UNSIGNED */
            req_in_range = index32 < MSIX_SLOTS;
            /* verilator lint_on UNSIGNED */
        end else begin
            req_store = STORE_MSI;
            req_enabled = msi_on;
            req_in_range = {1'b0, irq_index} < msi_allocated;
        end
    end

    wire req_set = accept && req_enabled && req_in_range;
    assign event_drop_disabled = accept && !req_enabled;
    assign event_drop_range = accept && req_enabled && !req_in_range;

    // ---------------------------------------------------------------
    // Per-store pending trackers
    // ---------------------------------------------------------------
    wire [2:0]  found;
    wire [14:0] found_index [0:2];
    wire [2:0]  check_ready;
    wire [2:0]  tracker_done;
    reg  [14:0] last_index [0:2];     // slot last taken, per store
    wire [14:0] search_after [0:2];   // where each finder starts

    reg         cand_valid;
    reg  [1:0]  cand_store;
    reg  [14:0] cand_index;
    wire        take = msg_take;
    wire [2:0]  clear = {3{take}} & (3'b001 << cand_store);
    wire [2:0]  set = {3{req_set}} & (3'b001 << req_store);

    // While a candidate is registered its store's finder searches after
    // it, so the slot found next is a different one (or the same slot when
    // it is the only one ready) and a take can be followed at once by the
    // next message; the finder returns the candidate itself only last.
    genvar s;
    generate
        for (s = 0; s < 3; s = s + 1) begin : g_search
            localparam [1:0] STORE = s;
            assign search_after[s] = (cand_valid && cand_store == STORE) ? cand_index
                                                                          : last_index[s];
        end
    endgenerate

    generate
        if (HAS_MSI) begin : g_msi
            // MSI has at most 32 vectors: the low word of the view
            /* verilator lint_off UNUSEDSIGNAL */
            wire [63:0] pending_qw, mask_qw;
            /* verilator lint_on UNUSEDSIGNAL */
            ims_pending #(.SLOTS(MSI_VECTORS), .MASK_RESET(1'b0)) pending (
                .clk(clk), .rst(rst), .init_done(tracker_done[0]),
                .set_valid(set[0]), .set_index(irq_index[14:0]),
                .clear_valid(clear[0]), .clear_index(cand_index),
                .mask_valid(msi_mask_write), .mask_word(10'd0),
                .mask_enable(msi_mask_enable), .mask_value(msi_mask_value),
                .host_qw(9'd0), .host_pending(pending_qw), .host_mask(mask_qw),
                .check_index(cand_index), .check_ready(check_ready[0]),
                .last_index(search_after[0]), .found(found[0]), .found_index(found_index[0]));
            assign msi_pending_bits = pending_qw[31:0];
            assign msi_mask_bits = mask_qw[31:0];
        end else begin : g_no_msi
            assign tracker_done[0] = 1'b1;
            assign found[0] = 1'b0;
            assign found_index[0] = 15'd0;
            assign check_ready[0] = 1'b0;
            assign msi_pending_bits = 32'd0;
            assign msi_mask_bits = 32'd0;
            wire unused_msi = &{1'b0, msi_mask_write, msi_mask_enable, msi_mask_value,
                                set[0], clear[0]};
        end

        if (HAS_MSIX) begin : g_msix
            ims_pending #(.SLOTS(MSIX_TABLE_SIZE), .MASK_RESET(1'b1)) pending (
                .clk(clk), .rst(rst), .init_done(tracker_done[1]),
                .set_valid(set[1]), .set_index(irq_index[14:0]),
                .clear_valid(clear[1]), .clear_index(cand_index),
                .mask_valid(msix_mask_write), .mask_word(msix_mask_index[14:5]),
                .mask_enable(32'h1 << msix_mask_index[4:0]),
                .mask_value({32{msix_mask_value}}),
                .host_qw(msix_host_qw), .host_pending(msix_host_pending), .host_mask(msix_host_mask),
                .check_index(cand_index), .check_ready(check_ready[1]),
                .last_index(search_after[1]), .found(found[1]), .found_index(found_index[1]));
        end else begin : g_no_msix
            assign tracker_done[1] = 1'b1;
            assign found[1] = 1'b0;
            assign found_index[1] = 15'd0;
            assign check_ready[1] = 1'b0;
            assign msix_host_pending = 64'd0;
            assign msix_host_mask = 64'd0;
            wire unused_msix = &{1'b0, msix_mask_write, msix_mask_index, msix_mask_value,
                                 msix_host_qw, set[1], clear[1]};
        end

        if (HAS_IMS) begin : g_ims
            ims_pending #(.SLOTS(IMS_SIZE), .MASK_RESET(1'b1)) pending (
                .clk(clk), .rst(rst), .init_done(tracker_done[2]),
                .set_valid(set[2]), .set_index(irq_index[14:0]),
                .clear_valid(clear[2]), .clear_index(cand_index),
                .mask_valid(ims_mask_write), .mask_word(ims_mask_index[14:5]),
                .mask_enable(32'h1 << ims_mask_index[4:0]),
                .mask_value({32{ims_mask_value}}),
                .host_qw(ims_host_qw), .host_pending(ims_host_pending), .host_mask(ims_host_mask),
                .check_index(cand_index), .check_ready(check_ready[2]),
                .last_index(search_after[2]), .found(found[2]), .found_index(found_index[2]));
        end else begin : g_no_ims
            assign tracker_done[2] = 1'b1;
            assign found[2] = 1'b0;
            assign found_index[2] = 15'd0;
            assign check_ready[2] = 1'b0;
            assign ims_host_pending = 64'd0;
            assign ims_host_mask = 64'd0;
            wire unused_ims = &{1'b0, ims_mask_write, ims_mask_index, ims_mask_value,
                                ims_host_qw, set[2], clear[2]};
        end
    endgenerate

    // With no store at all nothing reads the pointers
    wire unused_pointers = &{1'b0, last_index[0], last_index[1], last_index[2]};

    assign init_done = &tracker_done;
    assign irq_ready = init_done && tables_ready;

    // ---------------------------------------------------------------
    // Cycle A: pick a store round-robin among those able to send
    // ---------------------------------------------------------------
    wire [2:0] sending_on = {ims_on, msix_on && !msix_function_mask, msi_on}
                          & {3{bus_master_enable}};
    wire [2:0] can_send = found & sending_on;
    reg  [1:0] last_store;
    reg  [1:0] pick_store;
    reg        pick_valid;
    // The store served last, counting the candidate as served
    wire [1:0] after_store = cand_valid ? cand_store : last_store;

    // First store after after_store, in the order MSI, MSI-X, IMS, wrapping
    always @* begin
        pick_valid = |can_send;
        pick_store = STORE_MSI;
        case (after_store)
            STORE_MSI:  pick_store = can_send[1] ? STORE_MSIX : can_send[2] ? STORE_IMS : STORE_MSI;
            STORE_MSIX: pick_store = can_send[2] ? STORE_IMS : can_send[0] ? STORE_MSI : STORE_MSIX;
            default:    pick_store = can_send[0] ? STORE_MSI : can_send[1] ? STORE_MSIX : STORE_IMS;
        endcase
    end

    // A candidate offered but not taken this cycle stays; its entry is
    // read again so that the registered copy follows table writes.
    wire hold = msg_valid && !take;
    assign msix_engine_index = hold ? cand_index : found_index[1];
    assign ims_engine_index = hold ? cand_index : found_index[2];

    // ---------------------------------------------------------------
    // Cycle B: the registered candidate, revalidated
    // ---------------------------------------------------------------
    reg [2:0] table_written;   // a table write landed with the entry read

    // Candidate register and round-robin pointers
    always @(posedge clk) begin
        if (rst) begin
            cand_valid <= 1'b0;
            cand_store <= STORE_MSI;
            cand_index <= 15'd0;
            table_written <= 3'b000;
            last_store <= STORE_IMS;
            last_index[0] <= 15'd0;
            last_index[1] <= 15'd0;
            last_index[2] <= 15'd0;
        end else begin
            if (!hold) begin
                cand_valid <= pick_valid;
                cand_store <= pick_store;
                cand_index <= found_index[pick_store];
            end
            table_written <= {ims_table_write, msix_table_write, 1'b0};
            if (take) begin
                last_store <= cand_store;
                last_index[cand_store] <= cand_index;
            end
        end
    end

    wire still_ready = check_ready[cand_store] && sending_on[cand_store]
                     && !table_written[cand_store];
    assign msg_valid = cand_valid && still_ready;
    assign event_msg_sent = take;

    // ADDRESS/DATA of the candidate
    wire [15:0] mme_bits = (16'd1 << msi_mme) - 16'd1;
    // MSI: the low MME bits of Message Data carry the vector number
    wire [31:0] msi_message_data = {16'd0, (msi_data & ~mme_bits) | ({1'b0, cand_index} & mme_bits)};

    /* verilator lint_off UNUSEDSIGNAL */
    reg [63:0] entry_address;    // bits 1:0 are not sent (DW aligned)
    /* verilator lint_on UNUSEDSIGNAL */
    reg [31:0] entry_data;
    reg        entry_pasid_enable;
    reg [19:0] entry_pasid;
    always @* begin
        entry_pasid_enable = 1'b0;
        entry_pasid = 20'd0;
        case (cand_store)
            STORE_MSI: begin
                entry_address = msi_address;
                entry_data = msi_message_data;
            end
            STORE_MSIX: begin
                entry_address = msix_engine_entry[63:0];
                entry_data = msix_engine_entry[95:64];
            end
            default: begin
                entry_address = ims_engine_entry[63:0];
                entry_data = ims_engine_entry[95:64];
                entry_pasid_enable = ims_engine_entry[98];
                entry_pasid = ims_engine_entry[127:108];
            end
        endcase
    end

    // ---------------------------------------------------------------
    // The Memory Write TLP
    // ---------------------------------------------------------------
    wire        four_dw = |entry_address[63:32];
    wire [31:0] dw0 = {1'b0, 1'b1, four_dw, 5'b00000, 14'd0, 10'd1};
    wire [31:0] dw1 = {requester_id, 8'h00, 4'b0000, 4'b1111};
    wire [31:0] addr_lo = {entry_address[31:2], 2'b00};
    wire [31:0] prefix = {8'h91, 4'h0, entry_pasid};

    wire [159:0] header_and_data = four_dw
        ? {entry_data, addr_lo, entry_address[63:32], dw1, dw0}
        : {32'd0, entry_data, addr_lo, dw1, dw0};
    wire [2:0] header_and_data_ndw = four_dw ? 3'd5 : 3'd4;

    assign msg_dws = entry_pasid_enable ? {header_and_data, prefix} : {32'd0, header_and_data};
    assign msg_ndw = header_and_data_ndw + {2'b00, entry_pasid_enable};

endmodule

`resetall
