// SPDX-License-Identifier: MIT
//
// ims_msg_table: the entry storage of a table-based message store
// (MSI-X table, IMS table). One 128-bit word per entry, so the engine
// reads an entry's ADDRESS and DATA in one access and can never see half
// of an update:
//
//   bits  31:0   DW0  message address [31:0]
//   bits  63:32  DW1  message address [63:32]
//   bits  95:64  DW2  message data
//   bits 127:96  DW3  control (store-specific; the mask bit lives in
//                     ims_pending, not here)
//
// Inferred RAM with two ports: software (read/write, byte enables) and
// engine (read), both synchronous with one cycle of read latency. Read
// during a write to the same entry returns the old contents.
//
// After reset every entry is cleared, one per cycle; `init_done` rises
// when that is finished. Nothing may write until then.

`timescale 1ns / 1ps
`default_nettype none

module ims_msg_table #(
    // Number of entries, 1 .. 32768
    parameter ENTRIES = 64
) (
    input  wire         clk,
    input  wire         rst,
    output reg          init_done,

    // Software port
    input  wire         host_write,
    /* verilator lint_off UNUSEDSIGNAL */
    input  wire [14:0]  host_index,     // bits above the table size unused
    /* verilator lint_on UNUSEDSIGNAL */
    input  wire [127:0] host_wdata,
    input  wire [15:0]  host_wstrb,
    output reg  [127:0] host_rdata,

    // Engine port
    /* verilator lint_off UNUSEDSIGNAL */
    input  wire [14:0]  engine_index,   // bits above the table size unused
    /* verilator lint_on UNUSEDSIGNAL */
    output reg  [127:0] engine_rdata
);

    localparam AW = (ENTRIES <= 2) ? 1 : $clog2(ENTRIES);
    localparam DEPTH = 1 << AW;

    reg [127:0] mem [0:DEPTH-1];
    reg [AW-1:0] init_index;

    wire [AW-1:0] host_a = host_index[AW-1:0];
    wire [AW-1:0] engine_a = engine_index[AW-1:0];

    // The software port reads and writes at one address (the sweep's
    // during initialisation), so the RAM needs two ports, not three: a
    // true dual-port block RAM holds the table once.
    wire [AW-1:0]  port_a = init_done ? host_a : init_index;
    wire [15:0]    port_we = !init_done ? 16'hFFFF : host_write ? host_wstrb : 16'h0000;
    wire [127:0]   port_wdata = init_done ? host_wdata : 128'd0;

    integer i;

    // Clearing sweep after reset
    always @(posedge clk) begin
        if (rst) begin
            init_done  <= 1'b0;
            init_index <= {AW{1'b0}};
        end else if (!init_done) begin
            init_index <= init_index + 1'b1;
            if (init_index == DEPTH - 1)
                init_done <= 1'b1;
        end
    end

    // Byte-enabled writes and synchronous reads
    always @(posedge clk) begin
        for (i = 0; i < 16; i = i + 1)
            if (port_we[i])
                mem[port_a][8*i +: 8] <= port_wdata[8*i +: 8];
        host_rdata   <= mem[port_a];
        engine_rdata <= mem[engine_a];
    end

endmodule

`resetall
