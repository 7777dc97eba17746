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
//
// Kept shallow, as it sits between the irq inputs and the stores: range
// checks against a power-of-two size test the high index bits only, and the
// MSI limit comes as the index bits at or above MME, a register written
// with Multiple Message Enable.

`timescale 1ns / 1ps
`default_nettype none
`include "ims_params.vh"

module ims_irq_router #(
    // The stores' sizes (ims_endpoint's); 0 = no such store
    parameter MSI_VECTORS = 4,          // 0, 1, 2, 4, 8, 16 or 32
    parameter MSIX_TABLE_SIZE = 64,     // 0 .. 2048
    parameter IMS_SIZE = 256            // 0 .. 32768
) (
    input  wire        accept,          // irq_valid && irq_ready
    input  wire        irq_src,
    input  wire [15:0] irq_index,

    input  wire        msi_enable,
    input  wire [15:0] msi_high_bits,   // bits at or above MME (ims_cfg_space)
    input  wire        msix_enable,
    input  wire        ims_enable,

    output reg  [2:0]  route,           // store taking the request (one-hot)
    output wire        drop_range,
    output wire        drop_disabled
);

    // Illegal parameters stop elaboration with the instance's name
    initial begin
        `IMS_CHECK_MSI_VECTORS("MSI_VECTORS", MSI_VECTORS)
        `IMS_CHECK_MSIX_TABLE_SIZE("MSIX_TABLE_SIZE", MSIX_TABLE_SIZE)
        `IMS_CHECK_IMS_SIZE("IMS_SIZE", IMS_SIZE)
    end

    // irq_index < SIZE: for a power-of-two size, only the high bits count
    localparam MSIX_LG = (MSIX_TABLE_SIZE <= 1) ? 0 : $clog2(MSIX_TABLE_SIZE);
    localparam IMS_LG = (IMS_SIZE <= 1) ? 0 : $clog2(IMS_SIZE);
    localparam [31:0] MSIX_SLOTS = MSIX_TABLE_SIZE;
    localparam [31:0] IMS_SLOTS = IMS_SIZE;
    /* verilator lint_off UNSIGNED */
    wire msix_in_range = ((1 << MSIX_LG) == MSIX_TABLE_SIZE) ? (irq_index >> MSIX_LG) == 16'd0
                                                             : {16'd0, irq_index} < MSIX_SLOTS;
    wire ims_in_range = ((1 << IMS_LG) == IMS_SIZE) ? (irq_index >> IMS_LG) == 16'd0
                                                    : {16'd0, irq_index} < IMS_SLOTS;
    /* verilator lint_on UNSIGNED */

    // index < 2**MME: no index bit at or above bit MME is set
    wire msi_in_range = (irq_index & msi_high_bits) == 16'd0;

    // Each store's route is its own AND of the request's few terms, not
    // one choice of target, enable and range shared by the three: this
    // sits on the path from the irq inputs to the stores' read decision
    wire to_ims = irq_src;
    wire to_msix = !irq_src && MSIX_TABLE_SIZE > 0 && msix_enable;
    wire to_msi = !irq_src && !(MSIX_TABLE_SIZE > 0 && msix_enable);
    wire ims_on = IMS_SIZE > 0 && ims_enable;
    wire msi_on = MSI_VECTORS > 0 && msi_enable;
    wire ims_go = to_ims && ims_on && ims_in_range;
    wire msix_go = to_msix && msix_in_range;
    wire msi_go = to_msi && msi_on && msi_in_range;
    wire disabled = (to_ims && !ims_on) || (to_msi && !msi_on);

    always @*
        route = accept ? {ims_go, msix_go, msi_go} : 3'b000;

    assign drop_disabled = accept && disabled;
    assign drop_range = accept && !disabled && !(ims_go || msix_go || msi_go);

`ifdef FORMAL
    // Formal only (formal/ims.sby; simulators and synthesis never define
    // FORMAL). CONTRACT.md: every accepted request goes to exactly one
    // store, in range and enabled, or is dropped (and counted: ims_dev_regs)
    always @(*) begin
        p_route_or_drop: assert({1'b0, |route} + {1'b0, drop_range} + {1'b0, drop_disabled}
                                == {1'b0, accept}
                                && (route & (route - 3'd1)) == 3'b000);
        if (route[2])
            p_route_ims: assert(irq_src && ims_enable && ims_in_range);
        if (route[1])
            p_route_msix: assert(!irq_src && msix_enable && msix_in_range);
        if (route[0])
            p_route_msi: assert(!irq_src && !msix_enable && msi_enable && msi_in_range);
    end
`endif

endmodule

`resetall
