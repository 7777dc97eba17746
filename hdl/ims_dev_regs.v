// SPDX-License-Identifier: MIT
//
// ims_dev_regs: device registers at BAR0 offset 0x000-0xFFF, accessed
// one 64-bit QW at a time (byte strobes choose the DWs and bytes). The
// registers (offsets, access, reset) are docs/design.md section 4, decoded
// by the names of hdl/ims_regmap.vh (generated from model/regmap.py); other
// offsets read 0.
//
// Counters saturate at all-ones; any write to one clears it, and an event
// in the same cycle as the clear counts after it. Events are registered
// first: a counter shows an event two cycles after it happened.

`timescale 1ns / 1ps
`default_nettype none
`include "ims_params.vh"

module ims_dev_regs #(
    // The device's parameters, shown in the registers (ims_endpoint's)
    parameter DATA_WIDTH = 64,          // 64, 128 or 256
    parameter MSI_VECTORS = 4,          // 0, 1, 2, 4, 8, 16 or 32
    parameter MSIX_TABLE_SIZE = 64,     // 0 .. 2048
    parameter IMS_SIZE = 256,           // 0 .. 32768
    parameter PASID_CAP = 1             // IMS entries carry a PASID
) (
    input  wire        clk,
    input  wire        rst,

    input  wire [8:0]  qw_index,    // BAR0 offset [11:3]
    output wire [63:0] rdata,       // the QW at qw_index two cycles earlier (held)
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

    // Illegal parameters stop elaboration with the instance's name
    initial begin
        `IMS_CHECK_DATA_WIDTH("DATA_WIDTH", DATA_WIDTH)
        `IMS_CHECK_MSI_VECTORS("MSI_VECTORS", MSI_VECTORS)
        `IMS_CHECK_MSIX_TABLE_SIZE("MSIX_TABLE_SIZE", MSIX_TABLE_SIZE)
        `IMS_CHECK_IMS_SIZE("IMS_SIZE", IMS_SIZE)
    end

`include "ims_regmap.vh"

    localparam HAS_IMS = IMS_SIZE > 0;
    localparam [31:0] IMS_OFFSET = HAS_IMS ? {12'd0, BAR0_IMS_TABLE} : 32'h0;
    localparam [31:0] IMS_LAYOUT = HAS_IMS ? ((PASID_CAP != 0 ? 32'd1 : 32'd0)
                                              << REG_IMS_LAYOUT_PASID_BIT)
                                           | ({24'd0, IMS_LAYOUT_VERSION} << REG_IMS_LAYOUT_VERSION_LSB)
                                           | ({24'd0, IMS_ENTRY_STRIDE} << REG_IMS_LAYOUT_STRIDE_LSB)
                                           : 32'h0;


    reg [31:0] scratch_reg;
    reg        ims_enable_reg;
    reg [31:0] drop_range_reg, drop_disabled_reg, msg_sent_reg;
    reg        ev_range_reg, ev_disabled_reg, ev_sent_reg;

    // A write touching a DW of this QW: low (offset[2] = 0) or high
    wire write_lo = write && |wstrb[3:0];
    wire write_hi = write && |wstrb[7:4];
    function write_dw;
        input [11:2] offset;    // a register's offset, DW-aligned
        begin
            write_dw = qw_index == offset[11:3] && (offset[2] ? write_hi : write_lo);
        end
    endfunction

    // SCRATCH takes bytes: its DW's strobes and data
    wire [3:0]  scratch_strb = REG_SCRATCH[2] ? wstrb[7:4] : wstrb[3:0];
    wire [31:0] scratch_wdata = REG_SCRATCH[2] ? wdata[63:32] : wdata[31:0];
    wire [31:0] scratch_be = {{8{scratch_strb[3]}}, {8{scratch_strb[2]}},
                              {8{scratch_strb[1]}}, {8{scratch_strb[0]}}};
    // IMS_CTRL takes its Enable bit from the byte that holds it
    localparam IMS_ENABLE_IN_QW = 32 * REG_IMS_CTRL[2] + REG_IMS_CTRL_ENABLE_BIT;

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

    // Writes: SCRATCH by bytes, IMS_CTRL's Enable when its byte is written,
    // a counter cleared by any write to its DW
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
            if (write_dw(REG_SCRATCH[11:2]))
                scratch_reg <= (scratch_reg & ~scratch_be) | (scratch_wdata & scratch_be);
            if (write && qw_index == REG_IMS_CTRL[11:3] && wstrb[IMS_ENABLE_IN_QW / 8] && HAS_IMS)
                ims_enable_reg <= wdata[IMS_ENABLE_IN_QW];
            drop_range_reg <= count(drop_range_reg, write_dw(REG_DROP_RANGE[11:2]), ev_range_reg);
            drop_disabled_reg <= count(drop_disabled_reg, write_dw(REG_DROP_DISABLED[11:2]),
                                       ev_disabled_reg);
            msg_sent_reg <= count(msg_sent_reg, write_dw(REG_MSG_SENT[11:2]), ev_sent_reg);
        end
    end

`ifdef FORMAL
    // Formal only (formal/ims.sby; simulators and synthesis never define
    // FORMAL). Issue 11 (3), "a dropped request is counted", seen from the
    // event inputs: a counter shows an event two cycles after it happened
    // (one step up, unless saturated), and nothing without one, unless a
    // write to its DW cleared it in between
    reg [1:0] f_valid = 2'b00;          // cycles since reset, up to 2
    reg [1:0] f_range_ev = 2'b00, f_disabled_ev = 2'b00;   // events 1 and 2 cycles ago
    reg [31:0] f_range_last, f_disabled_last;
    reg f_range_cleared, f_disabled_cleared;
    always @(posedge clk) begin
        f_valid <= rst ? 2'b00 : {f_valid[0], 1'b1};
        f_range_ev <= {f_range_ev[0], event_drop_range};
        f_disabled_ev <= {f_disabled_ev[0], event_drop_disabled};
        f_range_last <= drop_range_reg;
        f_disabled_last <= drop_disabled_reg;
        f_range_cleared <= write_dw(REG_DROP_RANGE[11:2]);
        f_disabled_cleared <= write_dw(REG_DROP_DISABLED[11:2]);
    end
    always @(*)
        if (!rst && &f_valid) begin
            if (!f_range_cleared)
                p_drop_range_counted: assert(drop_range_reg == f_range_last
                    + {31'd0, f_range_ev[1] && !(&f_range_last)});
            if (!f_disabled_cleared)
                p_drop_disabled_counted: assert(drop_disabled_reg == f_disabled_last
                    + {31'd0, f_disabled_ev[1] && !(&f_disabled_last)});
        end
`endif

    // The register at DW d of the window (offset 4d), 0 where there is none.
    // Every register is an argument, so the continuous assignments below
    // re-evaluate on all of them (Icarus does not see a function's reads of
    // module state).
    function [31:0] dw_value;
        input [3:0]  d;
        input [31:0] scratch, drop_range, drop_disabled, msg_sent;
        input        enable;
        begin
            case ({6'd0, d, 2'b00})
                REG_ID:              dw_value = REG_ID_VALUE;
                REG_VERSION:         dw_value = REG_VERSION_VALUE;
                REG_SCRATCH:         dw_value = scratch;
                REG_DATA_WIDTH:      dw_value = DATA_WIDTH[31:0];
                REG_MSI_VECTORS:     dw_value = MSI_VECTORS[31:0];
                REG_MSIX_TABLE_SIZE: dw_value = MSIX_TABLE_SIZE[31:0];
                REG_IMS_SIZE:        dw_value = IMS_SIZE[31:0];
                REG_IMS_OFFSET:      dw_value = IMS_OFFSET;
                REG_IMS_LAYOUT:      dw_value = IMS_LAYOUT;
                REG_IMS_CTRL:        dw_value = {31'd0, enable} << REG_IMS_CTRL_ENABLE_BIT;
                REG_DROP_RANGE:      dw_value = drop_range;
                REG_DROP_DISABLED:   dw_value = drop_disabled;
                REG_MSG_SENT:        dw_value = msg_sent;
                default:             dw_value = 32'd0;
            endcase
        end
    endfunction

    // The registers sit in QWs 0..7 (DWs 0..15) of the window; the others
    // read 0
    wire [32*16-1:0] window;
    genvar d;
    generate
        for (d = 0; d < 16; d = d + 1) begin : g_dw
            assign window[32*d +: 32] = dw_value(d[3:0], scratch_reg, drop_range_reg,
                                                 drop_disabled_reg, msg_sent_reg,
                                                 ims_enable_reg);
        end
    endgenerate

    // Read data in two registered steps (the handler samples it two cycles
    // after it presented qw_index): the QW is decoded, then selected
    reg [7:0]  qw_sel_reg;
    reg [63:0] rdata_qw;
    integer q;
    always @(posedge clk)
        for (q = 0; q < 8; q = q + 1)
            qw_sel_reg[q] <= qw_index == q[8:0];
    always @* begin
        rdata_qw = 64'd0;
        for (q = 0; q < 8; q = q + 1)
            rdata_qw = rdata_qw | ({64{qw_sel_reg[q]}} & window[64*q +: 64]);
    end
    reg [63:0] rdata_reg;
    always @(posedge clk)
        rdata_reg <= rdata_qw;
    assign rdata = rdata_reg;

    assign ims_enable = ims_enable_reg;

endmodule

`resetall
