// SPDX-License-Identifier: MIT
//
// A simulation model of the Lattice ECP5 DP16KD, as far as ims_ram_ecp5
// uses it (tests/test_ram_ecp5.py): both ports of the same DATA_WIDTH
// (1, 2, 4, 9, 18), address AD[13:s] for a width of 2**s units (x9 counts
// as 8, x18 as 16), at x18 AD[1:0] are port A's byte enables (one per 9-bit
// half); REGMODE OUTREG (data one edge after the address edge); port A
// WRITEMODE READBEFOREWRITE; port B only reads. Or port A written 1 bit
// wide (x1) and port B read 18 bits wide (x18): bit address a is pin
// 9*a[3] + a[2:0] of word a[13:4] (how Yosys maps such a RAM inferred;
// ims_bit_ram). Yosys ships no behavioural
// DP16KD; the pin conventions are those Yosys's brams_map_16kd.v uses.

`timescale 1ns / 1ps
`default_nettype none

module DP16KD #(
    parameter DATA_WIDTH_A = 18, parameter DATA_WIDTH_B = 18,
    parameter REGMODE_A = "NOREG", parameter REGMODE_B = "NOREG",
    parameter RESETMODE = "SYNC", parameter ASYNC_RESET_RELEASE = "SYNC",
    parameter CSDECODE_A = "0b000", parameter CSDECODE_B = "0b000",
    parameter WRITEMODE_A = "NORMAL", parameter WRITEMODE_B = "NORMAL",
    parameter GSR = "ENABLED"
) (
    input wire DIA17, DIA16, DIA15, DIA14, DIA13, DIA12, DIA11, DIA10, DIA9, DIA8,
    input wire DIA7, DIA6, DIA5, DIA4, DIA3, DIA2, DIA1, DIA0,
    input wire ADA13, ADA12, ADA11, ADA10, ADA9, ADA8, ADA7, ADA6, ADA5, ADA4, ADA3, ADA2, ADA1, ADA0,
    input wire CEA, OCEA, CLKA, WEA, RSTA, CSA2, CSA1, CSA0,
    output wire DOA17, DOA16, DOA15, DOA14, DOA13, DOA12, DOA11, DOA10, DOA9, DOA8,
    output wire DOA7, DOA6, DOA5, DOA4, DOA3, DOA2, DOA1, DOA0,
    input wire DIB17, DIB16, DIB15, DIB14, DIB13, DIB12, DIB11, DIB10, DIB9, DIB8,
    input wire DIB7, DIB6, DIB5, DIB4, DIB3, DIB2, DIB1, DIB0,
    input wire ADB13, ADB12, ADB11, ADB10, ADB9, ADB8, ADB7, ADB6, ADB5, ADB4, ADB3, ADB2, ADB1, ADB0,
    input wire CEB, OCEB, CLKB, WEB, RSTB, CSB2, CSB1, CSB0,
    output wire DOB17, DOB16, DOB15, DOB14, DOB13, DOB12, DOB11, DOB10, DOB9, DOB8,
    output wire DOB7, DOB6, DOB5, DOB4, DOB3, DOB2, DOB1, DOB0
);
    localparam ASYM = DATA_WIDTH_A == 1 && DATA_WIDTH_B == 18;
    localparam W = ASYM ? 18 : DATA_WIDTH_A;
    localparam S = (W == 18) ? 4 : (W == 9) ? 3 : (W == 4) ? 2 : (W == 2) ? 1 : 0;
    wire [17:0] dia = {DIA17, DIA16, DIA15, DIA14, DIA13, DIA12, DIA11, DIA10, DIA9, DIA8,
                       DIA7, DIA6, DIA5, DIA4, DIA3, DIA2, DIA1, DIA0};
    wire [13:0] ada = {ADA13, ADA12, ADA11, ADA10, ADA9, ADA8, ADA7, ADA6, ADA5, ADA4,
                       ADA3, ADA2, ADA1, ADA0};
    wire [13:0] adb = {ADB13, ADB12, ADB11, ADB10, ADB9, ADB8, ADB7, ADB6, ADB5, ADB4,
                       ADB3, ADB2, ADB1, ADB0};
    reg [17:0] mem [0:(1 << (14 - S)) - 1];
    reg [17:0] qa, qb, oa, ob;
    wire [13-S:0] wa = ASYM ? ada >> 4 : ada >> S;
    wire [13-S:0] wb = adb >> S;
    wire [4:0] bit_pin = 9 * ada[3] + ada[2:0];
    wire [1:0] be = (W == 18) ? ada[1:0] : 2'b11;
    initial begin
        if (ASYM ? REGMODE_B != "OUTREG"
                 : (DATA_WIDTH_A != DATA_WIDTH_B || REGMODE_A != "OUTREG" || REGMODE_B != "OUTREG"
                    || WRITEMODE_A != "READBEFOREWRITE")) begin
            $display("ERROR: DP16KD model: a mode it does not model");
            $finish;
        end
    end
    always @(posedge CLKA) begin
        if (CEA) begin
            qa <= mem[wa];
            if (WEA && ASYM)
                mem[wa][bit_pin] <= dia[0];
            else if (WEA) begin
                if (be[0]) mem[wa][8:0] <= dia[8:0];
                if (be[1]) mem[wa][17:9] <= dia[17:9];
            end
        end
        if (OCEA)
            oa <= qa;
    end
    always @(posedge CLKB) begin
        if (WEB) begin
            $display("ERROR: DP16KD model: port B writes");
            $finish;
        end
        if (CEB)
            qb <= mem[wb];
        if (OCEB)
            ob <= qb;
    end
    assign {DOA17, DOA16, DOA15, DOA14, DOA13, DOA12, DOA11, DOA10, DOA9, DOA8,
            DOA7, DOA6, DOA5, DOA4, DOA3, DOA2, DOA1, DOA0} = oa;
    assign {DOB17, DOB16, DOB15, DOB14, DOB13, DOB12, DOB11, DOB10, DOB9, DOB8,
            DOB7, DOB6, DOB5, DOB4, DOB3, DOB2, DOB1, DOB0} = ob;
endmodule

`resetall
