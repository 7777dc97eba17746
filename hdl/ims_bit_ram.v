// SPDX-License-Identifier: MIT
//
// ims_bit_ram: one bit per slot, written one bit at a time and read 64 bits
// (one QW of slots, slot 64*q .. 64*q+63) at a time, for software's view of
// per-slot state (MSI-X PBA, IMS PENDING).
//
// Two RAMs of 32-bit words hold the even and the odd 32-slot words. Each has
// a 1-bit write port and a 32-bit read port, an asymmetric block RAM (ECP5
// DP16KD in 16384x1 / 512x32 mode), so no logic per slot is needed for
// either port. Reads take three cycles: the RAM's register, then two in
// the fabric. The first fabric register takes the RAM's output with no
// logic in front: a block RAM read without its own output register (ECP5
// DP16KD: 5.8 ns) left too little of the cycle for the route to the view's
// logic (docs/benchmarks.md, "Pending bits with their own read stage").
// Software's view has no latency bound, so the cycle is free. On ECP5
// (IMS_ECP5) the RAMs are instantiated DP16KD (x1 write, x18 read) whose
// own output register is that first register: the route from the RAM then
// starts 0.96 ns after the edge instead of 5.8 ns (a 4.6 ns route from a
// RAM to its fabric register was a critical path of ims8192). Reading a
// word while one of its bits is written at the same edge is a collision of
// the RAM's two ports, undefined for that bit (X in simulation): the
// written bit is forwarded into the read data instead.

`timescale 1ns / 1ps
`default_nettype none
`include "ims_params.vh"

module ims_bit_ram #(
    // Slots, 1 .. 32768; each half is rounded up to a power of two of at
    // least 64 bits
    parameter SLOTS = 64
) (
    input  wire        clk,

    input  wire        w_en,
    /* verilator lint_off UNUSEDSIGNAL */
    input  wire [14:0] w_slot,      // bits above the slot count unused
    input  wire [8:0]  r_qw,
    /* verilator lint_on UNUSEDSIGNAL */
    input  wire        w_bit,
    output wire [63:0] r_data
);

    // Illegal parameters stop elaboration with the instance's name
    // (w_slot has 15 bits)
    initial begin
        `IMS_CHECK_RANGE("SLOTS", SLOTS, 1, 32768)
    end

    // Address bits of one half (at least two 32-bit words, so that the
    // word number is never zero bits wide)
    localparam HALF_AW = (SLOTS <= 128) ? 6 : $clog2(SLOTS) - 1;

    reg        fwd_reg, fwd_bit_reg;
    reg [5:0]  fwd_slot_reg;
    reg        fwd2_reg, fwd2_bit_reg;   // the same, a cycle later (beside raw_reg)
    reg [5:0]  fwd2_slot_reg;

    // Slot s: half s[5], word {s[14:6]}, bit s[4:0]
    wire [HALF_AW-1:0] w_addr = {w_slot[HALF_AW:6], w_slot[4:0]};
    wire [HALF_AW-6:0] r_word = r_qw[HALF_AW-6:0];

`ifdef IMS_ECP5
    // Each half in two DP16KD, the even and the odd slots: written 1 bit
    // wide at AD[13:0], read 18 bits wide at AD[13:4], of which pins 0..7
    // and 9..16 are the bits at AD[3:0] = 0..15 (pins 8 and 17 are the
    // x9 bytes' ninth bits, not reachable at x1): the mapping Yosys uses
    // for this RAM inferred. Read through OUTREG: that is raw_reg.
    wire [13:0] w_pins = {{(15 - HALF_AW){1'b0}}, w_addr[HALF_AW-1:1]};
    wire [13:0] r_pins = {{(19 - HALF_AW){1'b0}}, r_word, 4'b0000};
    wire [63:0] raw;
    genvar h, e, j;
    generate
        for (h = 0; h < 2; h = h + 1) begin : g_half
            for (e = 0; e < 2; e = e + 1) begin : g_parity
                wire [17:0] dob;
                /* verilator lint_off UNUSEDSIGNAL */
                wire [17:0] unused_doa;
                /* verilator lint_on UNUSEDSIGNAL */
                ims_dp16kd #(.W_A(1), .W_B(18), .REGMODE_A("NOREG"), .WRITEMODE_A("NORMAL")) ram (
                    .clk(clk), .ada(w_pins), .wea(w_en && w_slot[5] == h && w_slot[0] == e),
                    .dia({17'd0, w_bit}), .doa(unused_doa), .adb(r_pins), .dob(dob));
                for (j = 0; j < 16; j = j + 1) begin : g_bit
                    assign raw[32 * h + 2 * j + e] = dob[(j < 8) ? j : j + 1];
                end
            end
        end
    endgenerate
`else
    (* no_rw_check *) reg mem_lo [0:(1 << HALF_AW) - 1];
    (* no_rw_check *) reg mem_hi [0:(1 << HALF_AW) - 1];
    reg [31:0] q_lo_reg, q_hi_reg;
    reg [63:0] raw_reg;             // the RAMs' output, registered as it is
    wire [63:0] raw = raw_reg;
    integer i;

    always @(posedge clk) begin
        if (w_en && !w_slot[5])
            mem_lo[w_addr] <= w_bit;
        if (w_en && w_slot[5])
            mem_hi[w_addr] <= w_bit;
        for (i = 0; i < 32; i = i + 1) begin
            q_lo_reg[i] <= mem_lo[{r_word, i[4:0]}];
            q_hi_reg[i] <= mem_hi[{r_word, i[4:0]}];
        end
`ifndef SYNTHESIS
        if (w_en && w_addr[HALF_AW-1:5] == r_word) begin
            if (w_slot[5]) q_hi_reg[w_slot[4:0]] <= 1'bx;
            else           q_lo_reg[w_slot[4:0]] <= 1'bx;
        end
`endif
        raw_reg <= {q_hi_reg, q_lo_reg};
    end
`endif

    // A write at the read's edge (its bit is forwarded), beside raw
    always @(posedge clk) begin
        fwd_reg <= w_en && w_addr[HALF_AW-1:5] == r_word;
        fwd_slot_reg <= w_slot[5:0];
        fwd_bit_reg <= w_bit;
        fwd2_reg <= fwd_reg;
        fwd2_slot_reg <= fwd_slot_reg;
        fwd2_bit_reg <= fwd_bit_reg;
    end

    // Output register, with the bit written at the read's edge
    wire [63:0] fwd_mask = fwd2_reg ? (64'h1 << fwd2_slot_reg) : 64'd0;
    reg [63:0] r_data_reg;
    always @(posedge clk)
        r_data_reg <= (raw & ~fwd_mask) | ({64{fwd2_bit_reg}} & fwd_mask);
    assign r_data = r_data_reg;

endmodule

`resetall
