// SPDX-License-Identifier: MIT
//
// ims_endpoint: a PCIe-endpoint-like function that sends message-signalled
// interrupts from three Interrupt Message Stores through one message
// engine (../shared/CONTRACT.md, docs/design.md):
//
//   rx --> ims_rx_deframer --> ims_req_handler --+--> ims_cfg_space
//                                                |--> ims_dev_regs
//                                                |--> ims_msg_table (MSI-X)
//                                                +--> ims_msg_table (IMS)
//   irq --> ims_msg_engine (pending, masks, arbitration, the write)
//   tx  <-- ims_tx_framer <-- completions (handler) + messages (engine)
//
// BAR0 (64-bit, 1 MiB): 0x00000 device registers, 0x10000 MSI-X table,
// 0x18000 MSI-X PBA, 0x80000 IMS table.

`timescale 1ns / 1ps
`default_nettype none

module ims_endpoint #(
    // TLP stream width in bits: 64, 128 or 256
    parameter DATA_WIDTH = 64,
    // MSI Multiple Message Capable as a count; 0 = no MSI capability
    parameter MSI_VECTORS = 4,
    // MSI-X table entries; 0 = no MSI-X capability
    parameter MSIX_TABLE_SIZE = 64,
    // IMS table entries; 0 = no IMS
    parameter IMS_SIZE = 256
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
        if (DATA_WIDTH != 64 && DATA_WIDTH != 128 && DATA_WIDTH != 256) begin
            $display("ERROR: %m: DATA_WIDTH %0d is not 64, 128 or 256", DATA_WIDTH);
            $finish;
        end
        if (MSI_VECTORS != 0 && MSI_VECTORS != 1 && MSI_VECTORS != 2 && MSI_VECTORS != 4
                && MSI_VECTORS != 8 && MSI_VECTORS != 16 && MSI_VECTORS != 32) begin
            $display("ERROR: %m: MSI_VECTORS %0d is not 0, 1, 2, 4, 8, 16 or 32", MSI_VECTORS);
            $finish;
        end
        if (MSIX_TABLE_SIZE < 0 || MSIX_TABLE_SIZE > 2048) begin
            $display("ERROR: %m: MSIX_TABLE_SIZE %0d is not in 0..2048", MSIX_TABLE_SIZE);
            $finish;
        end
        if (IMS_SIZE < 0 || IMS_SIZE > 32768) begin
            $display("ERROR: %m: IMS_SIZE %0d is not in 0..32768", IMS_SIZE);
            $finish;
        end
    end

    localparam HAS_MSIX = MSIX_TABLE_SIZE > 0;
    localparam HAS_IMS = IMS_SIZE > 0;

    // Request path
    wire         tlp_valid, tlp_done;
    wire [191:0] tlp_dws;
    wire [11:0]  tlp_ndw;
    wire [15:0]  function_id;

    // Configuration space
    wire [9:0]   cfg_reg_num;
    wire [31:0]  cfg_rdata, cfg_wdata;
    wire         cfg_write;
    wire [3:0]   cfg_wbe;
    wire         memory_space_enable, bus_master_enable;
    wire [63:20] bar0_base;
    wire         msi_enable, msix_enable, msix_function_mask;
    wire [2:0]   msi_mme;
    wire [63:0]  msi_address;
    wire [15:0]  msi_data;
    wire         msi_mask_write;
    wire [31:0]  msi_mask_enable, msi_mask_value, msi_mask_bits, msi_pending_bits;

    // Device registers
    wire [8:0]   regs_qw_index;
    wire [63:0]  regs_rdata, regs_wdata;
    wire         regs_write;
    wire [7:0]   regs_wstrb;
    wire         ims_enable;
    wire         event_drop_range, event_drop_disabled, event_msg_sent;

    // Tables
    wire         msix_table_write, ims_table_write;
    wire [14:0]  msix_table_index, ims_table_index;
    wire [127:0] msix_table_wdata, ims_table_wdata, msix_table_rdata, ims_table_rdata;
    wire [15:0]  msix_table_wstrb, ims_table_wstrb;
    wire         msix_mask_write, msix_mask_value, ims_mask_write, ims_mask_value;
    wire [8:0]   msix_host_qw, ims_host_qw;
    wire [63:0]  msix_host_pending, msix_host_mask, ims_host_pending, ims_host_mask;
    wire [14:0]  msix_engine_index, ims_engine_index;
    wire [127:0] msix_engine_entry, ims_engine_entry;
    wire         msix_table_done, ims_table_done;
    wire         engine_done;

    // Transmit
    wire         cpl_valid, cpl_take, msg_valid, msg_take;
    wire [191:0] cpl_dws, msg_dws;
    wire [2:0]   cpl_ndw, msg_ndw;

    wire tables_ready = msix_table_done && ims_table_done;
    wire device_ready = tables_ready && engine_done;

    ims_rx_deframer #(.DATA_WIDTH(DATA_WIDTH)) rx_deframer (
        .clk(clk), .rst(rst), .enable(device_ready),
        .rx_tdata(rx_tdata), .rx_tkeep(rx_tkeep), .rx_tlast(rx_tlast),
        .rx_tvalid(rx_tvalid), .rx_tready(rx_tready),
        .tlp_valid(tlp_valid), .tlp_dws(tlp_dws), .tlp_ndw(tlp_ndw), .tlp_done(tlp_done));

    ims_req_handler #(.MSIX_TABLE_SIZE(MSIX_TABLE_SIZE), .IMS_SIZE(IMS_SIZE)) req_handler (
        .clk(clk), .rst(rst),
        .tlp_valid(tlp_valid), .tlp_dws(tlp_dws), .tlp_ndw(tlp_ndw), .tlp_done(tlp_done),
        .function_id(function_id),
        .cfg_reg_num(cfg_reg_num), .cfg_rdata(cfg_rdata), .cfg_write(cfg_write),
        .cfg_wdata(cfg_wdata), .cfg_wbe(cfg_wbe),
        .memory_space_enable(memory_space_enable), .bar0_base(bar0_base),
        .regs_qw_index(regs_qw_index), .regs_rdata(regs_rdata), .regs_write(regs_write),
        .regs_wdata(regs_wdata), .regs_wstrb(regs_wstrb),
        .msix_table_write(msix_table_write), .msix_table_index(msix_table_index),
        .msix_table_wdata(msix_table_wdata), .msix_table_wstrb(msix_table_wstrb),
        .msix_table_rdata(msix_table_rdata),
        .msix_mask_write(msix_mask_write), .msix_mask_value(msix_mask_value),
        .msix_host_qw(msix_host_qw), .msix_host_pending(msix_host_pending),
        .msix_host_mask(msix_host_mask),
        .ims_table_write(ims_table_write), .ims_table_index(ims_table_index),
        .ims_table_wdata(ims_table_wdata), .ims_table_wstrb(ims_table_wstrb),
        .ims_table_rdata(ims_table_rdata),
        .ims_mask_write(ims_mask_write), .ims_mask_value(ims_mask_value),
        .ims_host_qw(ims_host_qw), .ims_host_pending(ims_host_pending),
        .ims_host_mask(ims_host_mask),
        .cpl_valid(cpl_valid), .cpl_dws(cpl_dws), .cpl_ndw(cpl_ndw), .cpl_take(cpl_take));

    ims_cfg_space #(.MSI_VECTORS(MSI_VECTORS), .MSIX_TABLE_SIZE(MSIX_TABLE_SIZE)) cfg_space (
        .clk(clk), .rst(rst),
        .reg_num(cfg_reg_num), .rdata(cfg_rdata), .write(cfg_write),
        .wdata(cfg_wdata), .wbe(cfg_wbe),
        .msi_mask_bits(msi_mask_bits), .msi_pending_bits(msi_pending_bits),
        .msi_mask_write(msi_mask_write), .msi_mask_enable(msi_mask_enable),
        .msi_mask_value(msi_mask_value),
        .memory_space_enable(memory_space_enable), .bus_master_enable(bus_master_enable),
        .bar0_base(bar0_base),
        .msi_enable(msi_enable), .msi_mme(msi_mme), .msi_address(msi_address),
        .msi_data(msi_data),
        .msix_enable(msix_enable), .msix_function_mask(msix_function_mask));

    ims_dev_regs #(
        .DATA_WIDTH(DATA_WIDTH), .MSI_VECTORS(MSI_VECTORS),
        .MSIX_TABLE_SIZE(MSIX_TABLE_SIZE), .IMS_SIZE(IMS_SIZE)
    ) dev_regs (
        .clk(clk), .rst(rst),
        .qw_index(regs_qw_index), .rdata(regs_rdata), .write(regs_write),
        .wdata(regs_wdata), .wstrb(regs_wstrb),
        .ims_enable(ims_enable),
        .event_drop_range(event_drop_range), .event_drop_disabled(event_drop_disabled),
        .event_msg_sent(event_msg_sent));

    generate
        if (HAS_MSIX) begin : g_msix_table
            ims_msg_table #(.ENTRIES(MSIX_TABLE_SIZE)) msix_table (
                .clk(clk), .rst(rst), .init_done(msix_table_done),
                .host_write(msix_table_write), .host_index(msix_table_index),
                .host_wdata(msix_table_wdata), .host_wstrb(msix_table_wstrb),
                .host_rdata(msix_table_rdata),
                .engine_index(msix_engine_index), .engine_rdata(msix_engine_entry));
        end else begin : g_no_msix_table
            assign msix_table_done = 1'b1;
            assign msix_table_rdata = 128'd0;
            assign msix_engine_entry = 128'd0;
            wire unused_msix = &{1'b0, msix_table_wdata, msix_table_wstrb, msix_engine_index};
        end

        if (HAS_IMS) begin : g_ims_table
            ims_msg_table #(.ENTRIES(IMS_SIZE)) ims_table (
                .clk(clk), .rst(rst), .init_done(ims_table_done),
                .host_write(ims_table_write), .host_index(ims_table_index),
                .host_wdata(ims_table_wdata), .host_wstrb(ims_table_wstrb),
                .host_rdata(ims_table_rdata),
                .engine_index(ims_engine_index), .engine_rdata(ims_engine_entry));
        end else begin : g_no_ims_table
            assign ims_table_done = 1'b1;
            assign ims_table_rdata = 128'd0;
            assign ims_engine_entry = 128'd0;
            wire unused_ims = &{1'b0, ims_table_wdata, ims_table_wstrb, ims_engine_index};
        end
    endgenerate

    ims_msg_engine #(
        .MSI_VECTORS(MSI_VECTORS), .MSIX_TABLE_SIZE(MSIX_TABLE_SIZE), .IMS_SIZE(IMS_SIZE)
    ) msg_engine (
        .clk(clk), .rst(rst), .tables_ready(tables_ready), .init_done(engine_done),
        .irq_valid(irq_valid), .irq_ready(irq_ready), .irq_src(irq_src), .irq_index(irq_index),
        .bus_master_enable(bus_master_enable),
        .msi_enable(msi_enable), .msi_mme(msi_mme), .msi_address(msi_address),
        .msi_data(msi_data),
        .msix_enable(msix_enable), .msix_function_mask(msix_function_mask),
        .ims_enable(ims_enable), .requester_id(function_id),
        .msi_mask_write(msi_mask_write), .msi_mask_enable(msi_mask_enable),
        .msi_mask_value(msi_mask_value), .msi_mask_bits(msi_mask_bits),
        .msi_pending_bits(msi_pending_bits),
        .msix_mask_write(msix_mask_write), .msix_mask_index(msix_table_index),
        .msix_mask_value(msix_mask_value), .msix_host_qw(msix_host_qw),
        .msix_host_pending(msix_host_pending), .msix_host_mask(msix_host_mask),
        .msix_table_write(msix_table_write), .msix_engine_index(msix_engine_index),
        .msix_engine_entry(msix_engine_entry),
        .ims_mask_write(ims_mask_write), .ims_mask_index(ims_table_index),
        .ims_mask_value(ims_mask_value), .ims_host_qw(ims_host_qw),
        .ims_host_pending(ims_host_pending), .ims_host_mask(ims_host_mask),
        .ims_table_write(ims_table_write), .ims_engine_index(ims_engine_index),
        .ims_engine_entry(ims_engine_entry),
        .msg_valid(msg_valid), .msg_dws(msg_dws), .msg_ndw(msg_ndw), .msg_take(msg_take),
        .event_drop_range(event_drop_range), .event_drop_disabled(event_drop_disabled),
        .event_msg_sent(event_msg_sent));

    ims_tx_framer #(.DATA_WIDTH(DATA_WIDTH)) tx_framer (
        .clk(clk), .rst(rst),
        .cpl_valid(cpl_valid), .cpl_dws(cpl_dws), .cpl_ndw(cpl_ndw), .cpl_take(cpl_take),
        .msg_valid(msg_valid), .msg_dws(msg_dws), .msg_ndw(msg_ndw), .msg_take(msg_take),
        .tx_tdata(tx_tdata), .tx_tkeep(tx_tkeep), .tx_tlast(tx_tlast),
        .tx_tvalid(tx_tvalid), .tx_tready(tx_tready));

endmodule

`resetall
