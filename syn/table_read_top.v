// SPDX-License-Identifier: MIT
//
// table_read_top: the table reads of the `all` configuration and nothing
// else, for the timing experiment in docs/benchmarks.md ("What a table
// read alone reaches"). Not part of the device.
//
// Two ims_ram as ims_table_store builds them: IMS 2**IMS_AW x 144 bits and
// MSI-X 2**MSIX_AW x 144 bits (`all`: 4096 and 2048; `ims8192`: 8192 and 64), each read on both ports as the device reads them
// (the address registered by the RAM, the data by a fabric register). All
// inputs come from a shift register fed by sin; every read bit goes into a
// signature register (one XOR per stage) that drives sout. So the only
// logic on a RAM's path is its own read: what it reaches is the most any
// design that reads these tables in two cycles, with inferred block RAM,
// can reach on the same flow.

`timescale 1ns / 1ps
`default_nettype none

module table_read_top #(
    // address bits of the two tables: `all` has IMS 4096 (12), MSI-X 2048 (11)
    parameter IMS_AW = 12,
    parameter MSIX_AW = 11
) (
    input  wire clk,
    input  wire sin,
    output wire sout
);

    // ims a/b address, msix a/b address, write data, two write enables
    localparam IN_BITS = 2 * IMS_AW + 2 * MSIX_AW + 144 + 2;
    localparam WDATA_LSB = 2 * IMS_AW + 2 * MSIX_AW;
    localparam OUT_BITS = 4 * 144;

    reg [IN_BITS-1:0]  in_reg;
    reg [OUT_BITS-1:0] out_reg;
    wire [143:0] ims_a, ims_b, msix_a, msix_b;

    always @(posedge clk)
        in_reg <= {in_reg[IN_BITS-2:0], sin};

    ims_ram #(.WIDTH(144), .AW(IMS_AW), .LANE(9)) ims_table (
        .clk(clk),
        .a_addr(in_reg[0 +: IMS_AW]), .a_wen({16{in_reg[IN_BITS-1]}}),
        .a_wdata(in_reg[WDATA_LSB +: 144]), .a_rdata(ims_a),
        .b_addr(in_reg[IMS_AW +: IMS_AW]), .b_rdata(ims_b));
    ims_ram #(.WIDTH(144), .AW(MSIX_AW), .LANE(9)) msix_table (
        .clk(clk),
        .a_addr(in_reg[2 * IMS_AW +: MSIX_AW]), .a_wen({16{in_reg[IN_BITS-2]}}),
        .a_wdata(in_reg[WDATA_LSB +: 144]), .a_rdata(msix_a),
        .b_addr(in_reg[2 * IMS_AW + MSIX_AW +: MSIX_AW]), .b_rdata(msix_b));

    always @(posedge clk)
        out_reg <= {out_reg[OUT_BITS-2:0], 1'b0} ^ {ims_a, ims_b, msix_a, msix_b};

    assign sout = out_reg[OUT_BITS-1];

endmodule

`resetall
