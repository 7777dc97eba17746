// SPDX-License-Identifier: MIT
//
// ims_msg_tlp: the interrupt message TLP for one ADDRESS/DATA pair
// (docs/design.md section 5; PCIe 2.2.7, 6.1.4). Combinational; every store
// builds its candidates' TLPs with it before they are registered.
//
//   [PASID prefix 0x91000000 | PASID,]       End-End prefix (PCIe 6.20)
//   DW0  Fmt 010b (3DW) / 011b (4DW, ADDRESS >= 4 GiB), Type 0, Length 1
//   DW1  Requester ID, Tag 0, Last BE 0000b, First BE 1111b
//   [ADDRESS[63:32],] ADDRESS[31:2] << 2, DATA
//
// Output: DW k in bits 32k+31:32k, ndw DWs (4, 5 or 6). `four_dw` (ADDRESS
// is at or above 4 GiB) comes precomputed from the store, so that building
// a TLP is one level of multiplexers.

`timescale 1ns / 1ps
`default_nettype none

module ims_msg_tlp (
    /* verilator lint_off UNUSEDSIGNAL */
    input  wire [63:0]  address,        // bits 1:0 are not sent (DW aligned)
    /* verilator lint_on UNUSEDSIGNAL */
    input  wire         four_dw,        // |address[63:32]
    input  wire [31:0]  data,
    input  wire         pasid_enable,
    input  wire [19:0]  pasid,
    input  wire [15:0]  requester_id,
    output wire [191:0] dws,
    output wire [2:0]   ndw
);

    wire [31:0] dw0 = {1'b0, 1'b1, four_dw, 5'b00000, 14'd0, 10'd1};
    wire [31:0] dw1 = {requester_id, 8'h00, 4'b0000, 4'b1111};
    wire [31:0] addr_lo = {address[31:2], 2'b00};
    wire [31:0] prefix = {8'h91, 4'h0, pasid};

    wire [159:0] header_and_data = four_dw
        ? {data, addr_lo, address[63:32], dw1, dw0}
        : {32'd0, data, addr_lo, dw1, dw0};

    assign dws = pasid_enable ? {header_and_data, prefix} : {32'd0, header_and_data};
    assign ndw = (four_dw ? 3'd5 : 3'd4) + {2'b00, pasid_enable};

endmodule

`resetall
