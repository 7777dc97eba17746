// SPDX-License-Identifier: MIT
//
// ims_msi_formal: the formal harness of the interrupt rules for the MSI
// store (issue 11, properties 2 to 6), the twin of ims_store_formal.v for
// the store whose ADDRESS/DATA and Mask Bits live in the MSI capability:
// the message engine (ims_msg_engine) with one ims_msi_store of 4 vectors,
// wired as ims_endpoint wires them, the configuration writes that reach it
// free.
//
// Free in every cycle: interrupt requests (vector), configuration writes
// (either the MSI capability's message settings: ADDRESS, DATA, Multiple
// Message Enable; or Mask Bits, bit-enabled), the store's gate (what
// ims_endpoint registers from MSI Enable, MSI-X Enable and Bus Master
// Enable) and tx_tready. Assumptions (what the device guarantees):
//   A1  reset in the first cycle, never again
//   A2  configuration writes come from the request handler, one per TLP:
//       never two within 3 cycles (p_rx_one_at_a_time at the ports)
//   A3  no take in the cycle after a take (TAKES_SPACED)
//   A4  requests name a vector below 2**MME (ims_irq_router drops the
//       others: dut.irq_router.p_route_msi); MME at most log2(VECTORS)
//   A5  data abstraction: ADDRESS[5:2] and [32] and DATA[4:0] free, the
//       other bits 0 (the store moves them without computing on them)
// The settings registers are modelled as ims_cfg_space keeps them: loaded
// at the write's edge, with settings_changed (or mask_write) high in the
// write's cycle.
//
// One vector is watched (anyconst), with a shadow of its mask bit and of
// its waiting request. A take in cycle k obeys the settings and mask as
// they stood in cycle k-1 (a write's invalidate is registered by the
// engine: takes from the cycle after the next see it).
//
// This file is for Yosys only (read_verilog -formal).

`default_nettype none

module ims_msi_formal #(
    parameter VECTORS = 4,
    parameter LIVE_BOUND = 14
) (
    input  wire        clk,
    input  wire        rst,
    input  wire        irq_valid,
    input  wire [14:0] irq_slot,
    input  wire        cfg_write,
    input  wire        cfg_mask,          // 1: Mask Bits, 0: message settings
    input  wire [3:0]  cfg_addr,          // ADDRESS[5:2]
    input  wire        cfg_addr32,        // ADDRESS[32]
    input  wire [4:0]  cfg_data,          // DATA[4:0]
    input  wire [2:0]  cfg_mme,
    input  wire [3:0]  cfg_mask_enable,
    input  wire [3:0]  cfg_mask_value,
    input  wire        gate,
    input  wire        tx_tready
);

    localparam [15:0] RID = 16'h0108;

    // The MSI capability's registers (ims_cfg_space's, reduced)
    reg [63:0] msi_address = 64'd0;
    reg        msi_address_high = 1'b0;
    reg [15:0] msi_data = 16'd0;
    reg [2:0]  msi_mme = 3'd0;
    wire settings_write = cfg_write && !cfg_mask;
    wire mask_write = cfg_write && cfg_mask;
    always @(posedge clk)
        if (rst) begin
            msi_address <= 64'd0;
            msi_address_high <= 1'b0;
            msi_data <= 16'd0;
            msi_mme <= 3'd0;
        end else if (settings_write) begin
            msi_address <= {31'd0, cfg_addr32, 26'd0, cfg_addr, 2'd0};
            msi_address_high <= cfg_addr32;
            msi_data <= {11'd0, cfg_data};
            msi_mme <= cfg_mme;
        end

    // ---------------------------------------------------------------
    // The engine and the MSI store, wired as in ims_endpoint
    // ---------------------------------------------------------------
    wire         store_req, cand_push, cand_stale, invalidate;
    wire [14:0]  store_req_index;
    wire [4:0]   cand_index;
    wire [191:0] cand_dws, tx_dws, tx_rest_dws;
    wire [2:0]   cand_ndw, cand_count, tx_ndw;
    wire         ret_take, ret_park, ret_reread, ret_es;
    wire [14:0]  ret_index;
    wire [31:0]  mask_bits, pending_bits;
    wire         irq_ready, tx_valid, msg_taken, cpl_take;

    reg took_reg = 1'b0;
    wire tx_take = tx_valid && tx_tready && !took_reg;
    always @(posedge clk)
        took_reg <= !rst && tx_take;

    ims_msi_store #(.VECTORS(VECTORS)) msi_store (
        .clk(clk), .rst(rst),
        .req_valid(store_req), .req_index(store_req_index),
        .mask_write(mask_write), .mask_enable({28'd0, cfg_mask_enable}),
        .mask_value({28'd0, cfg_mask_value}), .mask_bits(mask_bits),
        .pending_bits(pending_bits),
        .msi_address(msi_address), .msi_address_high(msi_address_high),
        .msi_data(msi_data), .msi_mme(msi_mme),
        .settings_changed(settings_write),
        .requester_id(RID), .rid_changed(1'b0),
        .invalidate(invalidate),
        .cand_push(cand_push), .cand_index(cand_index),
        .cand_dws(cand_dws), .cand_ndw(cand_ndw),
        .cand_stale(cand_stale), .cand_count(cand_count),
        .ret_take(ret_take), .ret_reread(ret_reread), .ret_index(ret_index));

    ims_msg_engine #(.STORES(1), .TAKES_SPACED(1)) msg_engine (
        .clk(clk), .rst(rst), .stores_ready(1'b1),
        .irq_valid(irq_valid), .irq_ready(irq_ready), .irq_route(1'b1), .irq_slot(irq_slot),
        .req_valid(store_req), .req_index(store_req_index), .unmask_next(1'b0),
        .cand_push(cand_push), .cand_index({10'd0, cand_index}), .cand_es(1'b0),
        .cand_dws(cand_dws), .cand_ndw(cand_ndw), .cand_late(22'd0), .cand_masked(1'b0),
        .cand_dead(1'b0), .cand_hold(1'b0), .cand_stale(cand_stale),
        .cand_fill(1'b0), .cand_fill_dws(192'd0),    // MSI TLPs are whole at the push
        .snoop_valid(1'b0), .snoop_index(15'd0), .invalidate(invalidate),
        .gate(gate), .cand_count(cand_count),
        .ret_take(ret_take), .ret_park(ret_park), .ret_reread(ret_reread),
        .ret_index(ret_index), .ret_es(ret_es),
        .cpl_valid(1'b0), .cpl_next(1'b0), .cpl_dws(192'd0), .cpl_ndw(3'd0),
        .cpl_take(cpl_take),
        .tx_valid(tx_valid), .tx_dws(tx_dws), .tx_ndw(tx_ndw), .tx_take(tx_take),
        .tx_rest_dws(tx_rest_dws), .msg_taken(msg_taken));

    wire unused = &{1'b0, cand_count, ret_park, ret_es, mask_bits, pending_bits,
                    msg_taken, cpl_take};

    // ---------------------------------------------------------------
    // Assumptions
    // ---------------------------------------------------------------
    reg f_past_valid = 1'b0;
    always @(posedge clk)
        f_past_valid <= 1'b1;
    always @(*)
        assume(rst == !f_past_valid);                       // A1

    reg [1:0] f_write_age = 2'd0;
    always @(posedge clk)
        f_write_age <= rst ? 2'd0 : {f_write_age[0], cfg_write};
    always @(*) begin
        if (cfg_write)
            assume(f_write_age == 2'd0);                    // A2
        assume(cfg_mme <= 3'd2);                            // A4 (VECTORS 4)
        assume({16'd0, irq_slot} < (32'd1 << msi_mme));
    end

    // ---------------------------------------------------------------
    // The watched vector and its shadow
    // ---------------------------------------------------------------
    (* anyconst *) reg [4:0] f_vec;
    always @(*)
        assume(f_vec < VECTORS);

    reg f_mask = 1'b0;           // Mask Bits bit of the watched vector, now
    reg f_vis_mask = 1'b0;       // as a take in this cycle obeys it
    reg [63:0] f_vis_address = 64'd0;
    reg [15:0] f_vis_data = 16'd0;
    reg [2:0]  f_vis_mme = 3'd0;
    always @(posedge clk) begin
        if (rst)
            f_mask <= 1'b0;      // PCI Local Bus 6.8.1.7: Mask Bits reset to 0
        else if (mask_write && cfg_mask_enable[f_vec[1:0]])
            f_mask <= cfg_mask_value[f_vec[1:0]];
        f_vis_mask <= f_mask;
        f_vis_address <= msi_address;
        f_vis_data <= msi_data;
        f_vis_mme <= msi_mme;
    end

    wire f_req_watched = irq_valid && irq_ready && irq_slot == {10'd0, f_vec};

    reg         f_took = 1'b0;
    reg [191:0] f_took_dws;
    reg [2:0]   f_took_ndw;
    reg [63:0]  f_took_address;
    reg [15:0]  f_took_data;
    reg [2:0]   f_took_mme;
    reg         f_took_masked, f_took_waiting;
    reg         f_waiting = 1'b0;
    wire        f_took_watched = f_took && ret_take && ret_index[4:0] == f_vec;
    always @(posedge clk) begin
        f_took <= !rst && tx_take;
        f_took_dws <= tx_dws;
        f_took_ndw <= tx_ndw;
        f_took_address <= f_vis_address;
        f_took_data <= f_vis_data;
        f_took_mme <= f_vis_mme;
        f_took_masked <= f_vis_mask;
        f_took_waiting <= f_waiting;
    end
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

    // The message decoded: DW0, DW1, [ADDRESS[63:32],] ADDRESS[31:2], DATA
    // (no prefix: MSI has no PASID)
    wire        f_4dw = f_took_dws[29];
    wire [63:0] f_addr = f_4dw ? {f_took_dws[95:64], f_took_dws[127:96]}
                               : {32'd0, f_took_dws[95:64]};
    wire [31:0] f_data = f_4dw ? f_took_dws[159:128] : f_took_dws[127:96];
    // PCI Local Bus 6.8.3.4 / PCIe 6.1.4.1: the function modifies the low
    // MME bits of Message Data to carry the vector number
    wire [15:0] f_low = (16'd1 << f_took_mme) - 16'd1;
    wire [31:0] f_want_data = {16'd0, (f_took_data & ~f_low) | ({11'd0, f_vec} & f_low)};

    // Bounded liveness: waiting, gate open, not masked, tx_tready high, and
    // no configuration write meanwhile (it makes every candidate stale)
    reg [4:0] f_wait_cycles = 5'd0;
    wire f_sendable = f_waiting && gate && !f_vis_mask && tx_tready && !cfg_write;
    always @(posedge clk)
        f_wait_cycles <= (rst || !f_sendable || f_took_watched) ? 5'd0
                       : (f_wait_cycles == 5'd31) ? f_wait_cycles : f_wait_cycles + 5'd1;

    // ---------------------------------------------------------------
    // Properties
    // ---------------------------------------------------------------
    always @(*)
        if (!rst) begin
            p_one_departure: assert(ret_take == f_took);
            // (1) the framer's side of the take (formal/ims_framer_formal.v
            // assumes it): in the cycle after a take the engine's
            // tx_rest_dws is the TLP taken, from which the framer copies
            // the beats after the first
            p_rest: assert(!f_took || tx_rest_dws == f_took_dws);
            if (f_took_watched) begin
                // (2) PCI Local Bus 6.8.3.3 / PCIe 6.1.4.3: a masked vector
                // is not sent (its pending bit is set instead)
                p_not_masked: assert(!f_took_masked);
                p_was_pending: assert(f_took_waiting);
                // (5) ADDRESS and DATA as the capability holds them, DATA's
                // low MME bits the vector, one reading of the settings
                p_pair: assert(f_addr == f_took_address && f_data == f_want_data
                               && f_4dw == (f_took_address[63:32] != 32'd0)
                               && f_took_dws[31:24] != 8'h91
                               && f_took_ndw == 3'd4 + {2'b0, f_4dw});
            end
            p_live: assert(f_wait_cycles < LIVE_BOUND);
        end

    // ---------------------------------------------------------------
    // Covers
    // ---------------------------------------------------------------
    reg f_masked_while_waiting = 1'b0;
    reg f_merged = 1'b0;
    always @(posedge clk) begin
        f_masked_while_waiting <= !rst && !f_took_watched
                               && (f_masked_while_waiting || (f_waiting && f_vis_mask));
        f_merged <= !rst && (f_merged || (f_waiting && f_req_watched && !f_took_watched));
    end
    always @(*)
        if (!rst) begin
            c_take: cover(f_took_watched);
            c_take_vector3: cover(f_took_watched && f_vec == 5'd3 && f_took_mme == 3'd2);
            c_take_4dw: cover(f_took_watched && f_4dw);
            c_unmask_release: cover(f_took_watched && f_masked_while_waiting);
            c_merge: cover(f_took_watched && f_merged);
        end

endmodule
