// SPDX-License-Identifier: MIT
//
// ims_msi_store: the PCI MSI Interrupt Message Store (up to 32 vectors).
// ADDRESS and DATA live in the MSI capability (ims_cfg_space) and are the
// same for every vector but for DATA's low Multiple Message Enable bits,
// which carry the vector number. The Mask Bits and Pending Bits registers
// are kept here, one flip-flop per vector (32 at most: constant size).
//
//   request    sets the vector's pending bit at the next edge
//   propose    the next vector after the one proposed last (round robin)
//              that is pending, unmasked and not already a candidate (nor
//              the one proposed now), registered (one carry chain finds it)
//   commit     in the next cycle, when the engine has room, the proposed
//              vector's TLP is built and pushed into the engine's
//              candidates (ims_msg_engine). Two steps keep the round robin
//              and the push each in a cycle of their own.
//   departure  the engine reports it one edge later: a take clears the
//              pending bit then, unless a request came at the take edge or
//              since (that request wins and yields another message); a
//              stale candidate is picked again. Any write of Mask Bits,
//              Message Address, Data or Control, and a new Requester ID,
//              make every candidate stale (invalidate), so a candidate is
//              never masked or out of date.

`timescale 1ns / 1ps
`default_nettype none
`include "ims_params.vh"

module ims_msi_store #(
    // Vectors (MSI Multiple Message Capable as a count): 0, 1, 2, 4, 8, 16
    // or 32; 0 = none
    parameter VECTORS = 4
) (
    input  wire         clk,
    input  wire         rst,

    input  wire         req_valid,
    /* verilator lint_off UNUSEDSIGNAL */
    input  wire [14:0]  req_index,      // in range: below 2**MME <= VECTORS
    /* verilator lint_on UNUSEDSIGNAL */

    // Mask Bits write (bit-enabled) and the registers' contents
    input  wire         mask_write,
    input  wire [31:0]  mask_enable,
    input  wire [31:0]  mask_value,
    output wire [31:0]  mask_bits,
    output wire [31:0]  pending_bits,

    // The MSI capability's message settings
    input  wire [63:0]  msi_address,
    input  wire         msi_address_high,   // |msi_address[63:32], registered with it
    input  wire [15:0]  msi_data,
    input  wire [2:0]   msi_mme,
    input  wire         settings_changed,   // a write to the MSI capability

    input  wire [15:0]  requester_id,
    input  wire         rid_changed,
    output wire         invalidate,         // every candidate is stale

    // Candidates for the engine, and their departures one edge later
    output wire         cand_push,
    output wire [4:0]   cand_index,
    output wire [191:0] cand_dws,
    output wire [2:0]   cand_ndw,
    output wire         cand_stale,
    input  wire [2:0]   cand_count,         // entries the engine shows for this store
    input  wire         ret_take,
    input  wire         ret_reread,
    /* verilator lint_off UNUSEDSIGNAL */
    input  wire [14:0]  ret_index           // a vector number: bits 4:0
    /* verilator lint_on UNUSEDSIGNAL */
);

    // Illegal parameters stop elaboration with the instance's name
    initial begin
        `IMS_CHECK_MSI_VECTORS("VECTORS", VECTORS)
    end

    generate
        if (VECTORS == 0) begin : g_none
            assign mask_bits = 32'd0;
            assign pending_bits = 32'd0;
            assign invalidate = 1'b0;
            assign cand_push = 1'b0;
            assign cand_index = 5'd0;
            assign cand_dws = 192'd0;
            assign cand_ndw = 3'd0;
            assign cand_stale = 1'b0;
            wire unused = &{1'b0, clk, rst, req_valid, req_index, mask_write, mask_enable,
                            mask_value, msi_address, msi_address_high, msi_data, msi_mme,
                            settings_changed, requester_id, rid_changed, cand_count, ret_take,
                            ret_reread};
        end else begin : g_store
            localparam [31:0] VALID = (VECTORS >= 32) ? 32'hFFFF_FFFF
                                    : ((32'h1 << VECTORS) - 32'h1);

            reg [31:0] pending_reg, mask_reg, picked_reg;
            reg [31:0] eligible_reg;        // pending & ~mask & ~picked
            reg [31:0] set_reg;             // the last edge's requests
            genvar b;
            reg [31:0] after_reg;           // the vectors after the one proposed last
            reg        cand_valid_reg, cand_stale_reg;
            reg [31:0] cand_bit_reg;

            assign invalidate = settings_changed || rid_changed || mask_write;

            // Departures, one edge after they happened
            wire [31:0] ret_bit = 32'h1 << ret_index[4:0];
            wire [31:0] taken = ret_take ? ret_bit : 32'h0;
            wire [31:0] gone = (ret_take || ret_reread) ? ret_bit : 32'h0;
            wire [31:0] req_bit = req_valid ? (32'h1 << req_index[4:0]) : 32'h0;

            // Propose round robin: the first ready vector after the last
            // proposed, else the first ready one. Each search is one
            // subtraction (x - 1 clears the lowest set bit of x and sets
            // the bits below it: a carry chain, not a priority tree), the
            // two side by side, so the chain is 32 bits, not 64; the bits
            // up to the found one give the next `after` at once.
            // The vectors pending, unmasked and not candidates are kept in a
            // register of their own (from the next values of those three),
            // so that the chain starts one LUT from flip-flops. Whether any
            // is found is the chain's borrow out (x - 1 borrows iff x is 0),
            // not a 32-input OR beside it.
            wire [31:0] ready = eligible_reg & ~(cand_valid_reg ? cand_bit_reg : 32'h0);
            wire [31:0] ready_after = ready & after_reg;
            wire [32:0] ready_m1_wide = {1'b0, ready} - 33'd1;
            wire [32:0] ready_after_m1_wide = {1'b0, ready_after} - 33'd1;
            wire [31:0] ready_m1 = ready_m1_wide[31:0];
            wire [31:0] ready_after_m1 = ready_after_m1_wide[31:0];
            wire        any_ready = !ready_m1_wide[32];
            wire        any_after = !ready_after_m1_wide[32];
            wire [31:0] propose_bit = any_after ? ready_after & ~ready_after_m1
                                                : ready & ~ready_m1;
            // (the bits above the found one: ~(ones up to it))
            wire [31:0] after_next = any_after ? ~(ready_after ^ ready_after_m1)
                                               : ~(ready ^ ready_m1);

            // Commit: a proposal is there and the engine has room (it holds
            // fewer than 4, counting one that just left until its FIFO
            // shifts). A register, decided a cycle ahead from what the
            // proposal and the FIFO's count will be after the edge (the
            // FIFO then holds what it shows plus this cycle's push), so the
            // push that the engine's next choice waits for starts at a
            // flip-flop.
            reg  commit_reg;
            wire commit = commit_reg;
            wire [3:0] stored_next = {1'b0, cand_count} + {3'd0, commit};

            // The take of the last edge clears the pending bit, but not if
            // a request came at that edge (set_reg) or now
            wire [31:0] pending_next = ((pending_reg & ~(taken & ~set_reg)) | req_bit) & VALID;
            wire [31:0] mask_next = mask_write ? ((mask_reg & ~mask_enable) | (mask_value & mask_enable)) & VALID
                                               : mask_reg;
            wire [31:0] picked_next = (picked_reg & ~gone) | (commit ? cand_bit_reg : 32'h0);

            always @(posedge clk) begin
                if (rst) begin
                    pending_reg <= 32'd0;
                    mask_reg <= 32'd0;
                    picked_reg <= 32'd0;
                    eligible_reg <= 32'd0;
                    set_reg <= 32'd0;
                    after_reg <= 32'd0;      // as if vector 31 went last
                    cand_valid_reg <= 1'b0;
                    commit_reg <= 1'b0;
                end else begin
                    set_reg <= req_bit;
                    pending_reg <= pending_next;
                    mask_reg <= mask_next;
                    picked_reg <= picked_next;
                    eligible_reg <= pending_next & ~mask_next & ~picked_next;
                    // a proposal not committed (no room) is made again later
                    cand_valid_reg <= any_ready;
                    commit_reg <= any_ready && stored_next < 4'd4;
                    if (any_ready)
                        after_reg <= after_next;
                end
                cand_bit_reg <= propose_bit;
                cand_stale_reg <= invalidate;
            end

            // The proposed vector's number (from its bit, in the commit cycle)
            reg [4:0] cand_vector;
            integer i;
            always @* begin
                cand_vector = 5'd0;
                for (i = 0; i < 32; i = i + 1)
                    cand_vector = cand_vector | ({5{cand_bit_reg[i]}} & i[4:0]);
            end

            // The committed vector's message: DATA's low MME bits are the
            // vector (bit k is one of the low MME bits: k < MME; no adder)
            wire [15:0] mme_bits;
            for (b = 0; b < 16; b = b + 1) begin : g_mme
                localparam [3:0] B = b;
                /* verilator lint_off CMPCONST */   // always false from bit 7 on
                assign mme_bits[b] = B < {1'b0, msi_mme};
                /* verilator lint_on CMPCONST */
            end
            wire [31:0] data = {16'd0, (msi_data & ~mme_bits) | ({11'd0, cand_vector} & mme_bits)};
            wire [191:0] built_dws;
            wire [2:0]   built_ndw;
            ims_msg_tlp msg_tlp (
                .address(msi_address), .four_dw(msi_address_high), .data(data),
                .pasid_enable(1'b0), .pasid(20'd0),
                .requester_id(requester_id), .dws(built_dws), .ndw(built_ndw));

            // pushed in the commit cycle; stale if the settings or masks
            // changed since the proposal
            assign cand_push = commit;
            assign cand_index = cand_vector;
            assign cand_dws = built_dws;
            assign cand_ndw = built_ndw;
            assign cand_stale = cand_stale_reg;

            assign mask_bits = mask_reg;
            assign pending_bits = pending_reg;
        end
    endgenerate

endmodule

`resetall
