// SPDX-License-Identifier: MIT
//
// ims_bit_ram as the ECP5 build makes it (IMS_ECP5, DP16KD x1/x18 of
// dp16kd_model.v) against the inferred ims_bit_ram: random bit writes,
// random QW reads, every read compared (tests/test_ram_ecp5.py). Built
// twice: with IMS_ECP5 as the DUT, without it as the reference (the
// module is renamed by the test).

`timescale 1ns / 1ps
`default_nettype none

module bit_ram_ecp5_tb;
    parameter SLOTS = 2048, CYCLES = 6000, SEED = 1;
    reg clk = 0;
    reg w_en, w_bit;
    reg [14:0] w_slot;
    reg [8:0] r_qw;
    wire [63:0] ref_data, dut_data;
    ims_bit_ram_ref #(.SLOTS(SLOTS)) ref_ram (.clk(clk), .w_en(w_en), .w_slot(w_slot),
        .w_bit(w_bit), .r_qw(r_qw), .r_data(ref_data));
    ims_bit_ram #(.SLOTS(SLOTS)) dut_ram (.clk(clk), .w_en(w_en), .w_slot(w_slot),
        .w_bit(w_bit), .r_qw(r_qw), .r_data(dut_data));
    integer seed = SEED, n, reads = 0;
    localparam QWS = (SLOTS + 63) / 64;
    initial begin
        for (n = 0; n < ((SLOTS + 63) / 64) * 64; n = n + 1) begin
            w_en = 1; w_slot = n; w_bit = $random(seed); r_qw = 0;
            #1 clk = 1; #1 clk = 0;
        end
        for (n = 0; n < CYCLES; n = n + 1) begin
            w_en = $random(seed); w_slot = $unsigned($random(seed)) % (QWS * 64);
            w_bit = $random(seed);
            r_qw = (n % 3 == 0) ? w_slot >> 6 : $unsigned($random(seed)) % QWS;
            #1 clk = 1; #1 clk = 0;
            if (n > 4) begin
                if (ref_data !== dut_data) begin
                    $display("MISMATCH at cycle %0d: %h / %h", n, ref_data, dut_data);
                    $finish;
                end
                reads = reads + 1;
            end
        end
        $display("PASS %0d", reads);
        $finish;
    end
endmodule
