// SPDX-License-Identifier: MIT
//
// ims_irq_router: which store an accepted interrupt request goes to
// (docs/design.md section 5), as a one-hot vector over the stores, or why
// it is dropped. Combinational.
//
//   irq_src 1                    IMS (store 2) when IMS_CTRL.Enable is set;
//                                in range: irq_index < IMS_SIZE
//   irq_src 0, MSI-X Enable set  MSI-X (store 1); irq_index < table size
//   irq_src 0, else MSI Enable   MSI (store 0); irq_index < 2**MME (the
//                                vectors software allocated)
//   otherwise                    no store enabled: dropped
//
// Adding a store means a route for it here and a bit in the vector.

`timescale 1ns / 1ps
`default_nettype none

module ims_irq_router #(
    parameter MSI_VECTORS = 4,
    parameter MSIX_TABLE_SIZE = 64,
    parameter IMS_SIZE = 256
) (
    input  wire        accept,          // irq_valid && irq_ready
    input  wire        irq_src,
    input  wire [15:0] irq_index,

    input  wire        msi_enable,
    input  wire [2:0]  msi_mme,
    input  wire        msix_enable,
    input  wire        ims_enable,

    output reg  [2:0]  route,           // store taking the request (one-hot)
    output wire        drop_range,
    output wire        drop_disabled
);

    localparam [31:0] MSIX_SLOTS = MSIX_TABLE_SIZE;
    localparam [31:0] IMS_SLOTS = IMS_SIZE;

    wire [31:0] index32 = {16'd0, irq_index};
    // index < 2**MME: no index bit at or above bit MME is set (one LUT per
    // bit, no adder or shifter)
    wire [15:0] msi_high_bits;
    genvar b;
    generate
        for (b = 0; b < 16; b = b + 1) begin : g_high
            localparam [3:0] B = b;
            /* verilator lint_off CMPCONST */   // always true from bit 7 on
            assign msi_high_bits[b] = B >= {1'b0, msi_mme};
            /* verilator lint_on CMPCONST */
        end
    endgenerate

    reg [2:0] target;
    reg       enabled, in_range;
    always @* begin
        target = 3'b000;
        enabled = 1'b0;
        in_range = 1'b0;
        if (irq_src) begin
            target = 3'b100;
            enabled = IMS_SIZE > 0 && ims_enable;
            /* verilator lint_off UNSIGNED */
            in_range = index32 < IMS_SLOTS;
            /* verilator lint_on UNSIGNED */
        end else if (MSIX_TABLE_SIZE > 0 && msix_enable) begin
            target = 3'b010;
            enabled = 1'b1;
            /* verilator lint_off UNSIGNED */
            in_range = index32 < MSIX_SLOTS;
            /* verilator lint_on UNSIGNED */
        end else begin
            target = 3'b001;
            enabled = MSI_VECTORS > 0 && msi_enable;
            in_range = (irq_index & msi_high_bits) == 16'd0;
        end
        route = (accept && enabled && in_range) ? target : 3'b000;
    end

    assign drop_disabled = accept && !enabled;
    assign drop_range = accept && enabled && !in_range;

endmodule

`resetall
