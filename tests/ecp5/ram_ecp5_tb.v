// SPDX-License-Identifier: MIT
//
// ims_ram built from DP16KD (ECP5_OUTREG, IMS_ECP5; the DP16KD model of
// dp16kd_model.v) against the inferred ims_ram: random writes with random
// lane enables and random reads on both ports, every read compared
// (tests/test_ram_ecp5.py). Prints "PASS <reads>" or the first mismatch.

`timescale 1ns / 1ps
`default_nettype none

module ram_ecp5_tb;
    parameter WIDTH = 128, AW = 11, LANE = 8, CYCLES = 6000, SEED = 1;
    localparam LANES = WIDTH / LANE;
    reg clk = 0;
    reg [AW-1:0] a_addr, b_addr;
    reg [LANES-1:0] a_wen;
    reg [WIDTH-1:0] a_wdata;
    wire [WIDTH-1:0] ref_a, ref_b, dut_a, dut_b;
    ims_ram #(.WIDTH(WIDTH), .AW(AW), .LANE(LANE), .ECP5_OUTREG(0)) ref_ram (
        .clk(clk), .a_addr(a_addr), .a_wen(a_wen), .a_wdata(a_wdata), .a_rdata(ref_a),
        .b_addr(b_addr), .b_rdata(ref_b));
    ims_ram #(.WIDTH(WIDTH), .AW(AW), .LANE(LANE), .ECP5_OUTREG(1)) dut_ram (
        .clk(clk), .a_addr(a_addr), .a_wen(a_wen), .a_wdata(a_wdata), .a_rdata(dut_a),
        .b_addr(b_addr), .b_rdata(dut_b));
    integer seed = SEED, n, i, reads = 0;
    // a few addresses hit often (reads after writes), the rest anywhere
    function [AW-1:0] pick;
        input integer r;
        pick = (r % 4 == 0) ? $random(seed) : (r % 8) * ((1 << AW) / 8 + 1);
    endfunction
    initial begin
        // fill every word first, as the device's reset sweep does
        for (n = 0; n < (1 << AW); n = n + 1) begin
            a_addr = n; a_wen = {LANES{1'b1}}; b_addr = n + 1;
            for (i = 0; i < WIDTH; i = i + 32) a_wdata[i +: 32] = $random(seed);
            #1 clk = 1; #1 clk = 0;
        end
        for (n = 0; n < CYCLES; n = n + 1) begin
            a_addr = pick($random(seed));
            b_addr = pick($random(seed));
            for (i = 0; i < LANES; i = i + 1) a_wen[i] = ($random(seed) & 3) == 0;
            if (a_addr == b_addr) a_wen = 0;      // undefined in ims_ram
            for (i = 0; i < WIDTH; i = i + 32) a_wdata[i +: 32] = $random(seed);
            #1 clk = 1; #1 clk = 0;
            if (n > 4) begin
                if (ref_a !== dut_a || ref_b !== dut_b) begin
                    $display("MISMATCH at cycle %0d: port A %h / %h, port B %h / %h",
                             n, ref_a, dut_a, ref_b, dut_b);
                    $finish;
                end
                reads = reads + 2;
            end
        end
        $display("PASS %0d", reads);
        $finish;
    end
endmodule
