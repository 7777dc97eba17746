// SPDX-License-Identifier: MIT
// Placeholder top with the contract's ports; replaced by the real RTL.
`timescale 1ns / 1ps
`default_nettype none
module ims_endpoint #(
    parameter DATA_WIDTH = 64,
    parameter MSI_VECTORS = 4,
    parameter MSIX_TABLE_SIZE = 64,
    parameter IMS_SIZE = 256
) (
    input  wire                    clk,
    input  wire                    rst,
    input  wire [DATA_WIDTH-1:0]   rx_tdata,
    input  wire [DATA_WIDTH/32-1:0] rx_tkeep,
    input  wire                    rx_tlast,
    input  wire                    rx_tvalid,
    output wire                    rx_tready,
    output wire [DATA_WIDTH-1:0]   tx_tdata,
    output wire [DATA_WIDTH/32-1:0] tx_tkeep,
    output wire                    tx_tlast,
    output wire                    tx_tvalid,
    input  wire                    tx_tready,
    input  wire                    irq_valid,
    output wire                    irq_ready,
    input  wire                    irq_src,
    input  wire [15:0]             irq_index
);
    assign rx_tready = 1'b1;
    assign tx_tdata = {DATA_WIDTH{1'b0}};
    assign tx_tkeep = {(DATA_WIDTH/32){1'b0}};
    assign tx_tlast = 1'b0;
    assign tx_tvalid = 1'b0;
    assign irq_ready = 1'b0;
endmodule
`resetall
