// SPDX-License-Identifier: MIT
//
// ims_endpoint: a PCIe-endpoint-like function that sends message-signalled
// interrupts from three Interrupt Message Stores through one message
// engine (../shared/CONTRACT.md, docs/design.md):
//
//   rx --> ims_rx_deframer --> ims_req_handler --+--> ims_cfg_space
//                                                |--> ims_dev_regs
//                                                +--> table stores (MSI-X, IMS)
//   irq --> ims_irq_router --> ims_msg_engine --> stores: ims_msi_store,
//           ims_table_store (MSI-X), ims_table_store (IMS); each keeps its
//           pending slots and offers its next message; the engine takes
//           them round robin
//   tx  <-- ims_tx_framer <-- ims_msg_engine: completions (handler) and
//                             messages, one choice
//
// BAR0 (64-bit, 1 MiB): 0x00000 device registers, 0x10000 MSI-X table,
// 0x18000 MSI-X PBA, 0x80000 IMS table.

`timescale 1ns / 1ps
`default_nettype none
`include "ims_params.vh"

module ims_endpoint #(
    // TLP stream width in bits: 64, 128 or 256
    parameter DATA_WIDTH = 64,
    // MSI Multiple Message Capable as a count; 0 = no MSI capability
    parameter MSI_VECTORS = 4,
    // MSI-X table entries; 0 = no MSI-X capability
    parameter MSIX_TABLE_SIZE = 64,
    // IMS table entries; 0 = no IMS
    parameter IMS_SIZE = 256,
    // 1: a PASID Extended Capability, End-End TLP Prefixes, PASID in the
    // IMS entries; 0: none of them
    parameter PASID_CAP = 1
) (
    input  wire                     clk,
    input  wire                     rst,

    input  wire [DATA_WIDTH-1:0]    rx_tdata,
    input  wire [DATA_WIDTH/32-1:0] rx_tkeep,
    input  wire                     rx_tlast,
    input  wire                     rx_tvalid,
    output wire                     rx_tready,

    output wire [DATA_WIDTH-1:0]    tx_tdata,
    output wire [DATA_WIDTH/32-1:0] tx_tkeep,
    output wire                     tx_tlast,
    output wire                     tx_tvalid,
    input  wire                     tx_tready,

    input  wire                     irq_valid,
    output wire                     irq_ready,
    input  wire                     irq_src,
    input  wire [15:0]              irq_index
);

    // Illegal parameters stop elaboration with the instance's name
    initial begin
        `IMS_CHECK_DATA_WIDTH("DATA_WIDTH", DATA_WIDTH)
        `IMS_CHECK_MSI_VECTORS("MSI_VECTORS", MSI_VECTORS)
        `IMS_CHECK_MSIX_TABLE_SIZE("MSIX_TABLE_SIZE", MSIX_TABLE_SIZE)
        `IMS_CHECK_IMS_SIZE("IMS_SIZE", IMS_SIZE)
        `IMS_CHECK_RANGE("PASID_CAP", PASID_CAP, 0, 1)
        // PCIe 6.1.4: a function that interrupts supports MSI or MSI-X; IMS
        // comes in addition to them
        `IMS_CHECK(IMS_SIZE == 0 || MSI_VECTORS > 0 || MSIX_TABLE_SIZE > 0, "IMS_SIZE", IMS_SIZE,
                   "allowed without MSI or MSI-X (PCIe 6.1.4)")
    end

    // Stores of the engine, in round-robin order
    localparam STORES = 3;
    localparam S_MSI = 0, S_MSIX = 1, S_IMS = 2;
    // At 64 bits a message's first beat is DW0 and DW1: the table stores
    // send the rest of the TLP a cycle after the candidate (ims_table_store)
    localparam LATE_FILL = (DATA_WIDTH == 64) ? 1 : 0;

    // Request path
    wire         tlp_valid, tlp_headerless, tlp_done, tlp_prefixed;
    wire [31:0]  tlp_prefix;
    wire [191:0] tlp_dws;
    wire [11:0]  tlp_ndw, tlp_expected_ndw;
    wire [1:0]   tlp_length_1_2;
    wire         tlp_bar_hit_3dw, tlp_bar_hit_4dw;
    wire [15:0]  function_id;
    wire         function_id_changed;

    // Configuration space
    wire [9:0]   cfg_reg_num, cfg_reg_num_next;
    wire         cfg_reg_num_load;
    wire [31:0]  cfg_rdata, cfg_wdata;
    wire         cfg_write;
    wire [3:0]   cfg_wbe;
    wire         memory_space_enable, bus_master_enable;
    wire         d3hot;             // PowerState D3hot: no memory decode, no requests
    wire         serr_enable;
    wire [3:0]   error_reporting;
    wire [31:0]  cfg_space_rdata, error_log_rdata;
    wire         pasid_enable, pasid_settings_changed;

    // Errors: from the request handler to the log, the message back
    wire         err_valid, err_completed, poisoned_received, err_prefixed;
    wire [31:0]  err_prefix;
    wire [4:0]   err_class;
    wire [127:0] err_header;
    wire         error_log_busy, msg_due, msg_taken_by_handler;
    wire [7:0]   msg_code;
    wire [63:20] bar0_base;
    wire         msi_enable, msi_settings_changed, msix_enable, msix_function_mask;
    wire [2:0]   msi_mme;
    wire [15:0]  msi_high_bits;
    wire [63:0]  msi_address;
    wire         msi_address_high;
    wire [15:0]  msi_data;
    wire         msi_mask_write;
    wire [31:0]  msi_mask_enable, msi_mask_value, msi_mask_bits, msi_pending_bits;

    // Device registers
    wire [8:0]   regs_qw_index;
    wire [63:0]  regs_rdata, regs_wdata;
    wire         regs_write;
    wire [7:0]   regs_wstrb;
    wire         ims_enable;

    // Table stores' software port (table 0: MSI-X, table 1: IMS)
    wire [1:0]   table_write;
    wire [14:0]  table_index;
    wire [127:0] table_wdata;
    wire [15:0]  table_wstrb;
    wire [8:0]   table_qw;
    wire [255:0] table_rdata;
    wire [127:0] table_pending;

    // Engine and stores (store s: field bits width*s+width-1 : width*s)
    wire [STORES-1:0]     store_req, store_unmask, store_gate, store_done;
    wire [14:0]           store_req_index;
    wire [STORES-1:0]     cand_push, cand_es, cand_masked, cand_dead, cand_hold, cand_stale;
    wire [STORES-1:0]     cand_fill;
    wire [STORES*15-1:0]  cand_index;
    wire [STORES*192-1:0] cand_dws, cand_fill_dws;
    wire [STORES*3-1:0]   cand_ndw, cand_count;
    wire [STORES*22-1:0]  cand_late;
    wire [STORES-1:0]     snoop_valid, invalidate;
    wire [STORES-1:0]     ret_take, ret_park, ret_reread, ret_es;
    wire [STORES*15-1:0]  ret_index;
    wire [2:0]            irq_route;
    wire                  drop_range, drop_disabled;

    // Transmit
    wire         cpl_valid, cpl_next, cpl_take, out_valid, out_take, msg_taken;
    wire [191:0] cpl_dws, out_dws, out_rest_dws;
    wire [2:0]   cpl_ndw, out_ndw;

    wire device_ready = &store_done;

    // Function Level Reset (ims_flr): function_rst resets all but the rx
    // deframer, the request handler (the captured Bus/Device Number) and
    // what ims_cfg_space and ims_error_log keep (link-wide fields, sticky
    // AER bits)
    wire flr_start, flr_pending, flr_reset, handler_idle;
    wire function_rst = rst || flr_reset;
    ims_flr flr (
        .clk(clk), .rst(rst), .start(flr_start), .handler_idle(handler_idle),
        .tx_busy(tx_tvalid), .pending(flr_pending), .function_reset(flr_reset));

    ims_rx_deframer #(.DATA_WIDTH(DATA_WIDTH), .SKIP_PREFIX(PASID_CAP)) rx_deframer (
        .clk(clk), .rst(rst), .enable(device_ready),
        .rx_tdata(rx_tdata), .rx_tkeep(rx_tkeep), .rx_tlast(rx_tlast),
        .rx_tvalid(rx_tvalid), .rx_tready(rx_tready),
        .tlp_valid(tlp_valid), .tlp_dws(tlp_dws), .tlp_ndw(tlp_ndw), .tlp_headerless(tlp_headerless),
        .tlp_prefixed(tlp_prefixed), .tlp_prefix(tlp_prefix),
        .tlp_expected_ndw(tlp_expected_ndw), .tlp_length_1_2(tlp_length_1_2), .bar0_base(bar0_base),
        .tlp_bar_hit_3dw(tlp_bar_hit_3dw), .tlp_bar_hit_4dw(tlp_bar_hit_4dw),
        .tlp_done(tlp_done));

    ims_req_handler #(
        .MSIX_TABLE_SIZE(MSIX_TABLE_SIZE), .IMS_SIZE(IMS_SIZE), .PASID_CAP(PASID_CAP)
    ) req_handler (
        .clk(clk), .rst(rst),
        .tlp_valid(tlp_valid), .tlp_dws(tlp_dws), .tlp_ndw(tlp_ndw), .tlp_headerless(tlp_headerless),
        .tlp_expected_ndw(tlp_expected_ndw), .tlp_length_1_2(tlp_length_1_2),
        .tlp_bar_hit_3dw(tlp_bar_hit_3dw), .tlp_bar_hit_4dw(tlp_bar_hit_4dw),
        .tlp_prefixed(tlp_prefixed), .tlp_prefix(tlp_prefix), .pasid_enable(pasid_enable),
        .tlp_done(tlp_done),
        .hold(flr_pending || flr_reset || !device_ready), .idle(handler_idle),
        .function_id(function_id), .function_id_changed(function_id_changed),
        .cfg_reg_num(cfg_reg_num), .cfg_reg_num_next(cfg_reg_num_next),
        .cfg_reg_num_load(cfg_reg_num_load), .cfg_rdata(cfg_rdata), .cfg_write(cfg_write),
        .cfg_wdata(cfg_wdata), .cfg_wbe(cfg_wbe),
        .memory_space_enable(memory_space_enable),
        .regs_qw_index(regs_qw_index), .regs_rdata(regs_rdata), .regs_write(regs_write),
        .regs_wdata(regs_wdata), .regs_wstrb(regs_wstrb),
        .table_sweep_start(function_rst), .table_sweeping(!device_ready),
        .table_write(table_write), .table_index(table_index), .table_wdata(table_wdata),
        .table_wstrb(table_wstrb), .table_qw(table_qw), .table_rdata(table_rdata),
        .table_pending(table_pending),
        .err_valid(err_valid), .err_class(err_class), .err_completed(err_completed),
        .err_header(err_header), .err_prefixed(err_prefixed), .err_prefix(err_prefix),
        .poisoned_received(poisoned_received),
        .log_busy(error_log_busy), .msg_due(msg_due), .msg_code(msg_code),
        .msg_taken(msg_taken_by_handler),
        .cpl_valid(cpl_valid), .cpl_next(cpl_next), .cpl_dws(cpl_dws), .cpl_ndw(cpl_ndw),
        .cpl_take(cpl_take));

    ims_cfg_space #(
        .MSI_VECTORS(MSI_VECTORS), .MSIX_TABLE_SIZE(MSIX_TABLE_SIZE), .PASID_CAP(PASID_CAP)
    ) cfg_space (
        .clk(clk), .rst(rst), .flr(flr_reset), .flr_start(flr_start),
        .reg_num(cfg_reg_num), .reg_num_next(cfg_reg_num_next),
        .reg_num_load(cfg_reg_num_load), .rdata(cfg_space_rdata), .write(cfg_write),
        .wdata(cfg_wdata), .wbe(cfg_wbe),
        .msi_mask_bits(msi_mask_bits), .msi_pending_bits(msi_pending_bits),
        .msi_mask_write(msi_mask_write), .msi_mask_enable(msi_mask_enable),
        .msi_mask_value(msi_mask_value),
        .memory_space_enable(memory_space_enable), .bus_master_enable(bus_master_enable),
        .bar0_base(bar0_base), .msi_settings_changed(msi_settings_changed),
        .msi_enable(msi_enable), .msi_mme(msi_mme), .msi_high_bits(msi_high_bits),
        .msi_address(msi_address),
        .msi_address_high(msi_address_high), .msi_data(msi_data),
        .msix_enable(msix_enable), .msix_function_mask(msix_function_mask),
        .d3hot(d3hot), .serr_enable(serr_enable), .error_reporting(error_reporting),
        .pasid_enable(pasid_enable), .pasid_settings_changed(pasid_settings_changed));

    ims_error_log #(.PASID_CAP(PASID_CAP)) error_log (
        .clk(clk), .rst(rst), .flr(flr_reset),
        .reg_num(cfg_reg_num), .rdata(error_log_rdata), .write(cfg_write),
        .wdata(cfg_wdata), .wbe(cfg_wbe),
        .serr_enable(serr_enable), .cor_reporting(error_reporting[0]),
        .nonfatal_reporting(error_reporting[1]), .fatal_reporting(error_reporting[2]),
        .ur_reporting(error_reporting[3]),
        .err_valid(err_valid), .err_class(err_class), .err_completed(err_completed),
        .err_header(err_header), .err_prefixed(err_prefixed), .err_prefix(err_prefix),
        .poisoned_received(poisoned_received),
        .busy(error_log_busy), .msg_due(msg_due), .msg_code(msg_code),
        .msg_taken(msg_taken_by_handler));
    assign cfg_rdata = cfg_space_rdata | error_log_rdata;

    ims_dev_regs #(
        .DATA_WIDTH(DATA_WIDTH), .MSI_VECTORS(MSI_VECTORS),
        .MSIX_TABLE_SIZE(MSIX_TABLE_SIZE), .IMS_SIZE(IMS_SIZE), .PASID_CAP(PASID_CAP)
    ) dev_regs (
        .clk(clk), .rst(function_rst),
        .qw_index(regs_qw_index), .rdata(regs_rdata), .write(regs_write),
        .wdata(regs_wdata), .wstrb(regs_wstrb),
        .ims_enable(ims_enable),
        .event_drop_range(drop_range), .event_drop_disabled(drop_disabled),
        .event_msg_sent(msg_taken));

    // ---------------------------------------------------------------
    // The stores: MSI (ADDRESS/DATA in config space), MSI-X and IMS
    // (tables in BAR0). Each sends while its gate is open; the gates are
    // registers (a write to an enable takes effect one edge later: within
    // the bound of design.md section 5). MSI and MSI-X each send only while
    // the other's Enable is clear (PCIe 7.7.1.2, 7.7.2.2): with both set,
    // neither sends and their pending slots wait. A function in D3hot sends
    // no request (PCIe 5.3.1.4.1): nothing goes either.
    // ---------------------------------------------------------------
    reg [STORES-1:0] store_gate_reg;
    // (A pending Function Level Reset closes them all.)
    wire may_send = bus_master_enable && !d3hot && !flr_pending;
    always @(posedge clk) begin
        if (function_rst)
            store_gate_reg <= {STORES{1'b0}};
        else begin
            store_gate_reg[S_MSI] <= msi_enable && !msix_enable && may_send;
            store_gate_reg[S_MSIX] <= msix_enable && !msi_enable && !msix_function_mask
                                   && may_send;
            store_gate_reg[S_IMS] <= ims_enable && may_send;
        end
    end
    assign store_gate = store_gate_reg;

    ims_msi_store #(.VECTORS(MSI_VECTORS)) msi_store (
        .clk(clk), .rst(function_rst),
        .req_valid(store_req[S_MSI]), .req_index(store_req_index),
        .mask_write(msi_mask_write), .mask_enable(msi_mask_enable),
        .mask_value(msi_mask_value), .mask_bits(msi_mask_bits),
        .pending_bits(msi_pending_bits),
        .msi_address(msi_address), .msi_address_high(msi_address_high),
        .msi_data(msi_data), .msi_mme(msi_mme),
        .settings_changed(msi_settings_changed),
        .requester_id(function_id), .rid_changed(function_id_changed),
        .invalidate(invalidate[S_MSI]),
        .cand_push(cand_push[S_MSI]), .cand_index(cand_index[15*S_MSI +: 5]),
        .cand_dws(cand_dws[192*S_MSI +: 192]), .cand_ndw(cand_ndw[3*S_MSI +: 3]),
        .cand_stale(cand_stale[S_MSI]), .cand_count(cand_count[3*S_MSI +: 3]),
        .ret_take(ret_take[S_MSI]), .ret_reread(ret_reread[S_MSI]),
        .ret_index(ret_index[15*S_MSI +: 15]));
    assign cand_index[15*S_MSI+5 +: 10] = 10'd0;
    assign cand_es[S_MSI] = 1'b0;
    assign cand_masked[S_MSI] = 1'b0;
    assign cand_dead[S_MSI] = 1'b0;
    assign cand_hold[S_MSI] = 1'b0;
    assign cand_fill[S_MSI] = 1'b0;             // its TLPs are whole at the push
    assign cand_fill_dws[192*S_MSI +: 192] = 192'd0;
    assign cand_late[22*S_MSI +: 22] = 22'd0;
    assign snoop_valid[S_MSI] = 1'b0;
    assign store_unmask[S_MSI] = 1'b0;      // MSI masks need no set-path op
    assign store_done[S_MSI] = 1'b1;
    // MSI parks nothing (a masked vector is never a candidate) and has no
    // state bit
    wire unused_msi_ret = &{1'b0, ret_park[S_MSI], ret_es[S_MSI]};

    ims_table_store #(.ENTRIES(MSIX_TABLE_SIZE), .IMS_LAYOUT(0), .PASID(0),
                      .LATE_FILL(LATE_FILL)) msix_store (
        .clk(clk), .rst(function_rst), .init_done(store_done[S_MSIX]),
        .req_valid(store_req[S_MSIX]), .req_index(store_req_index),
        .unmask_next(store_unmask[S_MSIX]), .pasid_enable(1'b0),
        .host_write(table_write[0]), .host_index(table_index), .host_wdata(table_wdata),
        .host_wstrb(table_wstrb), .host_qw(table_qw), .host_rdata(table_rdata[127:0]),
        .host_pending(table_pending[63:0]),
        .requester_id(function_id),
        .cand_push(cand_push[S_MSIX]), .cand_index(cand_index[15*S_MSIX +: 15]),
        .cand_es(cand_es[S_MSIX]), .cand_dws(cand_dws[192*S_MSIX +: 192]),
        .cand_ndw(cand_ndw[3*S_MSIX +: 3]), .cand_late(cand_late[22*S_MSIX +: 22]),
        .cand_masked(cand_masked[S_MSIX]),
        .cand_dead(cand_dead[S_MSIX]), .cand_hold(cand_hold[S_MSIX]),
        .cand_stale(cand_stale[S_MSIX]),
        .cand_fill(cand_fill[S_MSIX]), .cand_fill_dws(cand_fill_dws[192*S_MSIX +: 192]),
        .cand_count(cand_count[3*S_MSIX +: 3]),
        .ret_take(ret_take[S_MSIX]), .ret_park(ret_park[S_MSIX]),
        .ret_reread(ret_reread[S_MSIX]), .ret_index(ret_index[15*S_MSIX +: 15]),
        .ret_es(ret_es[S_MSIX]));
    assign snoop_valid[S_MSIX] = table_write[0];
    assign invalidate[S_MSIX] = function_id_changed;

    ims_table_store #(.ENTRIES(IMS_SIZE), .IMS_LAYOUT(1), .PASID(PASID_CAP),
                      .LATE_FILL(LATE_FILL)) ims_store (
        .clk(clk), .rst(function_rst), .init_done(store_done[S_IMS]),
        .req_valid(store_req[S_IMS]), .req_index(store_req_index),
        .unmask_next(store_unmask[S_IMS]), .pasid_enable(pasid_enable),
        .host_write(table_write[1]), .host_index(table_index), .host_wdata(table_wdata),
        .host_wstrb(table_wstrb), .host_qw(table_qw), .host_rdata(table_rdata[255:128]),
        .host_pending(table_pending[127:64]),
        .requester_id(function_id),
        .cand_push(cand_push[S_IMS]), .cand_index(cand_index[15*S_IMS +: 15]),
        .cand_es(cand_es[S_IMS]), .cand_dws(cand_dws[192*S_IMS +: 192]),
        .cand_ndw(cand_ndw[3*S_IMS +: 3]), .cand_late(cand_late[22*S_IMS +: 22]),
        .cand_masked(cand_masked[S_IMS]),
        .cand_dead(cand_dead[S_IMS]), .cand_hold(cand_hold[S_IMS]),
        .cand_stale(cand_stale[S_IMS]),
        .cand_fill(cand_fill[S_IMS]), .cand_fill_dws(cand_fill_dws[192*S_IMS +: 192]),
        .cand_count(cand_count[3*S_IMS +: 3]),
        .ret_take(ret_take[S_IMS]), .ret_park(ret_park[S_IMS]),
        .ret_reread(ret_reread[S_IMS]), .ret_index(ret_index[15*S_IMS +: 15]),
        .ret_es(ret_es[S_IMS]));
    assign snoop_valid[S_IMS] = table_write[1];
    // (PASID Enable decides which IMS candidates park: design.md 5)
    assign invalidate[S_IMS] = function_id_changed || pasid_settings_changed;

    // ---------------------------------------------------------------
    // The engine: requests to the stores, messages from them
    // ---------------------------------------------------------------
    ims_irq_router #(
        .MSI_VECTORS(MSI_VECTORS), .MSIX_TABLE_SIZE(MSIX_TABLE_SIZE), .IMS_SIZE(IMS_SIZE)
    ) irq_router (
        .accept(irq_valid && irq_ready), .irq_src(irq_src), .irq_index(irq_index),
        .msi_enable(msi_enable), .msi_high_bits(msi_high_bits), .msix_enable(msix_enable),
        .ims_enable(ims_enable),
        .route(irq_route), .drop_range(drop_range), .drop_disabled(drop_disabled));

    // At 64 bits every TLP has two beats or more: takes are never back to back
    ims_msg_engine #(.STORES(STORES), .TAKES_SPACED(DATA_WIDTH == 64)) msg_engine (
        .clk(clk), .rst(function_rst), .stores_ready(device_ready),
        .irq_valid(irq_valid), .irq_ready(irq_ready), .irq_route(irq_route),
        .irq_slot(irq_index[14:0]),
        .req_valid(store_req), .req_index(store_req_index), .unmask_next(store_unmask),
        .cand_push(cand_push), .cand_index(cand_index), .cand_es(cand_es),
        .cand_dws(cand_dws), .cand_ndw(cand_ndw), .cand_late(cand_late),
        .cand_masked(cand_masked),
        .cand_dead(cand_dead), .cand_hold(cand_hold), .cand_stale(cand_stale),
        .cand_fill(cand_fill), .cand_fill_dws(cand_fill_dws),
        .snoop_valid(snoop_valid), .snoop_index(table_index), .invalidate(invalidate),
        .gate(store_gate), .cand_count(cand_count),
        .ret_take(ret_take), .ret_park(ret_park), .ret_reread(ret_reread),
        .ret_index(ret_index), .ret_es(ret_es),
        .cpl_valid(cpl_valid), .cpl_next(cpl_next), .cpl_dws(cpl_dws), .cpl_ndw(cpl_ndw),
        .cpl_take(cpl_take),
        .tx_valid(out_valid), .tx_dws(out_dws), .tx_ndw(out_ndw), .tx_take(out_take),
        .tx_rest_dws(out_rest_dws), .msg_taken(msg_taken));

    ims_tx_framer #(.DATA_WIDTH(DATA_WIDTH)) tx_framer (
        .clk(clk), .rst(function_rst),
        .tlp_valid(out_valid), .tlp_dws(out_dws), .tlp_ndw(out_ndw), .tlp_take(out_take),
        .tlp_rest_dws(out_rest_dws),
        .tx_tdata(tx_tdata), .tx_tkeep(tx_tkeep), .tx_tlast(tx_tlast),
        .tx_tvalid(tx_tvalid), .tx_tready(tx_tready));

endmodule

`resetall
