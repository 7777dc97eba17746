// SPDX-License-Identifier: MIT
//
// ims_rx_deframer: collects one TLP from the rx AXI4-Stream for the
// request handler. TLP prefixes (Fmt 100b) in front of the header are
// skipped. The first 6 DWs after them (a 4-DW header and a 2-DW payload at
// most) are kept; the rest are only counted, so the handler can check the
// header's Length against what arrived. DWs whose tkeep bit is clear are
// not part of the TLP.
//
// rx_tready is low while a collected TLP waits for the handler, so TLPs
// are handled one at a time, in order.

`timescale 1ns / 1ps
`default_nettype none

module ims_rx_deframer #(
    // Stream width in bits: 64, 128 or 256
    parameter DATA_WIDTH = 64
) (
    input  wire                     clk,
    input  wire                     rst,
    input  wire                     enable,

    input  wire [DATA_WIDTH-1:0]    rx_tdata,
    input  wire [DATA_WIDTH/32-1:0] rx_tkeep,
    input  wire                     rx_tlast,
    input  wire                     rx_tvalid,
    output wire                     rx_tready,

    output reg                      tlp_valid,
    output reg  [191:0]             tlp_dws,     // DW k in bits 32k+31:32k
    output reg  [11:0]              tlp_ndw,     // DWs after prefixes (saturates)
    input  wire                     tlp_done
);

    localparam W = DATA_WIDTH / 32;
    localparam [11:0] NDW_MAX = 12'hFFF;

    reg         in_prefix_reg;
    reg [191:0] dws_next;
    reg [11:0]  ndw_next;
    reg         in_prefix_next;

    assign rx_tready = enable && !tlp_valid;
    wire beat = rx_tvalid && rx_tready;

    // Fold this beat's DWs into the buffer
    integer k;
    reg [31:0] dw;
    always @* begin
        dws_next = tlp_dws;
        ndw_next = tlp_ndw;
        in_prefix_next = in_prefix_reg;
        for (k = 0; k < W; k = k + 1) begin
            dw = rx_tdata[32*k +: 32];
            if (rx_tkeep[k]) begin
                if (in_prefix_next && dw[31:29] == 3'b100) begin
                    // a TLP prefix: skipped
                end else begin
                    in_prefix_next = 1'b0;
                    if (ndw_next < 12'd6)
                        dws_next[32*ndw_next[2:0] +: 32] = dw;
                    if (ndw_next != NDW_MAX)
                        ndw_next = ndw_next + 12'd1;
                end
            end
        end
    end

    // Collect beats until tlast, then hold the TLP until the handler is done
    always @(posedge clk) begin
        if (rst || tlp_done) begin
            tlp_valid <= 1'b0;
            tlp_dws <= 192'd0;
            tlp_ndw <= 12'd0;
            in_prefix_reg <= 1'b1;
        end else if (beat) begin
            tlp_dws <= dws_next;
            tlp_ndw <= ndw_next;
            in_prefix_reg <= in_prefix_next;
            tlp_valid <= rx_tlast;
        end
    end

endmodule

`resetall
