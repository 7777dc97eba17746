// SPDX-License-Identifier: MIT
//
// timing_top: a wrapper that makes every port of ims_endpoint
// register-to-register, for `make timing` (scripts/timing.py). Not part of
// the device.
//
// Four pins: clk, rst_pin, sin, sout. Every DUT input comes from a flip-flop
// of a shift register that sin feeds; every DUT output goes into a flip-flop
// of a signature register (each stage XORs one output bit into what it
// shifts on) that drives sout. So no path from or to a pin limits the
// result, and nothing the DUT computes can be optimised away.

`timescale 1ns / 1ps
`default_nettype none

module timing_top #(
    parameter DATA_WIDTH = 64,
    parameter MSI_VECTORS = 4,
    parameter MSIX_TABLE_SIZE = 64,
    parameter IMS_SIZE = 256,
    parameter PASID_CAP = 1
) (
    input  wire clk,
    input  wire rst_pin,
    input  wire sin,
    output wire sout
);

    localparam W = DATA_WIDTH / 32;
    // rx_tdata, rx_tkeep, rx_tlast, rx_tvalid, tx_tready, irq_valid, irq_src, irq_index
    localparam IN_BITS = DATA_WIDTH + W + 1 + 1 + 1 + 1 + 1 + 16;
    // rx_tready, tx_tdata, tx_tkeep, tx_tlast, tx_tvalid, irq_ready
    localparam OUT_BITS = 1 + DATA_WIDTH + W + 1 + 1 + 1;

    reg [1:0]          rst_sync;
    reg [IN_BITS-1:0]  in_reg;
    reg [OUT_BITS-1:0] out_reg;
    wire [OUT_BITS-1:0] dut_out;

    // Reset through two flip-flops; inputs shift in from sin
    always @(posedge clk) begin
        rst_sync <= {rst_sync[0], rst_pin};
        in_reg <= {in_reg[IN_BITS-2:0], sin};
    end

    // Outputs fold into a signature register
    always @(posedge clk)
        out_reg <= {out_reg[OUT_BITS-2:0], 1'b0} ^ dut_out;

    assign sout = out_reg[OUT_BITS-1];

    ims_endpoint #(
        .DATA_WIDTH(DATA_WIDTH), .MSI_VECTORS(MSI_VECTORS),
        .MSIX_TABLE_SIZE(MSIX_TABLE_SIZE), .IMS_SIZE(IMS_SIZE),
        .PASID_CAP(PASID_CAP)
    ) dut (
        .clk(clk), .rst(rst_sync[1]),
        .rx_tdata(in_reg[DATA_WIDTH-1:0]),
        .rx_tkeep(in_reg[DATA_WIDTH +: W]),
        .rx_tlast(in_reg[DATA_WIDTH + W]),
        .rx_tvalid(in_reg[DATA_WIDTH + W + 1]),
        .rx_tready(dut_out[0]),
        .tx_tdata(dut_out[1 +: DATA_WIDTH]),
        .tx_tkeep(dut_out[1 + DATA_WIDTH +: W]),
        .tx_tlast(dut_out[1 + DATA_WIDTH + W]),
        .tx_tvalid(dut_out[2 + DATA_WIDTH + W]),
        .tx_tready(in_reg[DATA_WIDTH + W + 2]),
        .irq_valid(in_reg[DATA_WIDTH + W + 3]),
        .irq_ready(dut_out[3 + DATA_WIDTH + W]),
        .irq_src(in_reg[DATA_WIDTH + W + 4]),
        .irq_index(in_reg[DATA_WIDTH + W + 5 +: 16]));

endmodule

`resetall
