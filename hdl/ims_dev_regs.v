// SPDX-License-Identifier: MIT
//
// ims_dev_regs: device registers at BAR0 offset 0x000-0xFFF, accessed
// one 64-bit QW at a time (byte strobes choose the DWs and bytes).
//
//   0x000 ID             RO  0x494D5345 ("IMSE")
//   0x004 VERSION        RO  0x00010000
//   0x008 SCRATCH        RW
//   0x00C DATA_WIDTH     RO  stream width in bits
//   0x010 MSI_VECTORS    RO
//   0x014 MSIX_TABLE_SIZE RO
//   0x020 IMS_SIZE       RO  IMS entries
//   0x024 IMS_OFFSET     RO  BAR0 offset of IMS entry 0 (0 without IMS)
//   0x028 IMS_LAYOUT     RO  [7:0] entry stride 16, [15:8] layout 1, [16] PASID
//   0x02C IMS_CTRL       RW  [0] IMS Enable
//   0x030 DROP_RANGE     irq requests dropped: index out of range
//   0x034 DROP_DISABLED  irq requests dropped: no store enabled
//   0x038 MSG_SENT       interrupt messages sent
//   other offsets read 0.
//
// Counters saturate at all-ones; any write to one clears it, and an event
// in the same cycle as the clear counts after it. Events are registered
// first: a counter shows an event two cycles after it happened.

`timescale 1ns / 1ps
`default_nettype none

module ims_dev_regs #(
    parameter DATA_WIDTH = 64,
    parameter MSI_VECTORS = 4,
    parameter MSIX_TABLE_SIZE = 64,
    parameter IMS_SIZE = 256
) (
    input  wire        clk,
    input  wire        rst,

    input  wire [8:0]  qw_index,    // BAR0 offset [11:3]
    output reg  [63:0] rdata,       // the QW at qw_index two cycles earlier (held)
    input  wire        write,
    /* verilator lint_off UNUSEDSIGNAL */
    input  wire [63:0] wdata,       // only SCRATCH and IMS_CTRL keep bits
    /* verilator lint_on UNUSEDSIGNAL */
    input  wire [7:0]  wstrb,

    output wire        ims_enable,

    input  wire        event_drop_range,
    input  wire        event_drop_disabled,
    input  wire        event_msg_sent
);

    localparam HAS_IMS = IMS_SIZE > 0;
    localparam [31:0] IMS_OFFSET = HAS_IMS ? 32'h0008_0000 : 32'h0;
    localparam [31:0] IMS_LAYOUT = HAS_IMS ? 32'h0001_0110 : 32'h0;

    reg [31:0] scratch_reg;
    reg        ims_enable_reg;
    reg [31:0] drop_range_reg, drop_disabled_reg, msg_sent_reg;
    reg        ev_range_reg, ev_disabled_reg, ev_sent_reg;

    // Bit mask of the low DW's enabled bytes (only SCRATCH takes bytes)
    wire [31:0] be_lo = {{8{wstrb[3]}}, {8{wstrb[2]}}, {8{wstrb[1]}}, {8{wstrb[0]}}};

    // A write touching DW `odd` of this QW
    wire write_lo = write && |wstrb[3:0];
    wire write_hi = write && |wstrb[7:4];

    // Counter step: clear on write, then count the event, saturating
    function [31:0] count;
        input [31:0] value;
        input        clear;
        input        event_now;
        begin
            if (clear)
                count = {31'd0, event_now};
            else if (event_now && !(&value))
                count = value + 32'd1;
            else
                count = value;
        end
    endfunction

    // Writes: SCRATCH (0x008, QW 1 low), IMS_CTRL (0x02C, QW 5 high),
    // counters (0x030, 0x034 in QW 6; 0x038 in QW 7 low)
    always @(posedge clk) begin
        if (rst) begin
            scratch_reg <= 32'd0;
            ims_enable_reg <= 1'b0;
            drop_range_reg <= 32'd0;
            drop_disabled_reg <= 32'd0;
            msg_sent_reg <= 32'd0;
            ev_range_reg <= 1'b0;
            ev_disabled_reg <= 1'b0;
            ev_sent_reg <= 1'b0;
        end else begin
            ev_range_reg <= event_drop_range;
            ev_disabled_reg <= event_drop_disabled;
            ev_sent_reg <= event_msg_sent;
            if (write_lo && qw_index == 9'd1)
                scratch_reg <= (scratch_reg & ~be_lo) | (wdata[31:0] & be_lo);
            if (write_hi && qw_index == 9'd5 && wstrb[4] && HAS_IMS)
                ims_enable_reg <= wdata[32];
            drop_range_reg <= count(drop_range_reg, write_lo && qw_index == 9'd6,
                                    ev_range_reg);
            drop_disabled_reg <= count(drop_disabled_reg, write_hi && qw_index == 9'd6,
                                       ev_disabled_reg);
            msg_sent_reg <= count(msg_sent_reg, write_lo && qw_index == 9'd7,
                                  ev_sent_reg);
        end
    end

    // Read data in two registered steps (the handler samples it two cycles
    // after it presented qw_index): the QW is decoded, then selected
    /* verilator lint_off UNUSEDSIGNAL */
    reg [7:0]  qw_sel_reg;      // QWs 0..7; QW 3 and others read 0
    /* verilator lint_on UNUSEDSIGNAL */
    reg [63:0] rdata_qw;
    integer q;
    always @(posedge clk)
        for (q = 0; q < 8; q = q + 1)
            qw_sel_reg[q] <= qw_index == q[8:0];
    always @* begin
        rdata_qw = ({64{qw_sel_reg[0]}} & {32'h0001_0000, 32'h494D_5345})
                 | ({64{qw_sel_reg[1]}} & {DATA_WIDTH[31:0], scratch_reg})
                 | ({64{qw_sel_reg[2]}} & {MSIX_TABLE_SIZE[31:0], MSI_VECTORS[31:0]})
                 | ({64{qw_sel_reg[4]}} & {IMS_OFFSET, IMS_SIZE[31:0]})
                 | ({64{qw_sel_reg[5]}} & {31'd0, ims_enable_reg, IMS_LAYOUT})
                 | ({64{qw_sel_reg[6]}} & {drop_disabled_reg, drop_range_reg})
                 | ({64{qw_sel_reg[7]}} & {32'd0, msg_sent_reg});
    end
    always @(posedge clk)
        rdata <= rdata_qw;

    assign ims_enable = ims_enable_reg;

endmodule

`resetall
