// SPDX-License-Identifier: MIT
//
// ims_ram_ecp5: ims_ram built from Lattice ECP5 DP16KD block RAMs with
// their own output registers (REGMODE OUTREG), for builds that define
// IMS_ECP5 (scripts/timing.py does). Same ports and read latency as the
// inferred ims_ram: the address is registered by the RAM at the first
// edge and the data by the RAM's output register at the second.
//
// Why instantiated: a DP16KD read without its output register has a
// clock-to-out of 5.8 ns, with it 0.96 ns (nextpnr, speed 6), and Yosys
// does not infer the output register (YosysHQ/yosys#5814). A fabric
// register after the RAM is not placed next to it (docs/benchmarks.md), so
// on large tables the route from the RAM ate the cycle.
//
// Each DP16KD is as wide as the depth allows (2048 x 9, 4096 x 4, 8192 x 2,
// 16384 x 1; 32768 words are two banks of 16384 x 1), so no read passes a
// depth multiplexer but at 32768 words; a lane of LANE bits is one or more
// whole RAMs, so a lane's write enable is the RAMs' WE. Up to 1024 words a
// DP16KD (1024 x 18) holds two lanes, one per byte enable. The address pins
// follow the DP16KD's data width (x9: AD[13:3], x4: AD[13:2], x2: AD[13:1],
// x1: AD[13:0]), as Yosys maps an inferred RAM. Port A reads the old word
// during its own write (WRITEMODE READBEFOREWRITE), as ims_ram does.
// Nothing in this file exists unless IMS_ECP5 is defined; simulation uses
// the inferred ims_ram.

`timescale 1ns / 1ps
`default_nettype none

`ifdef IMS_ECP5
module ims_ram_ecp5 #(
    parameter WIDTH = 128,
    // Address bits, 1 .. 15
    parameter AW = 11,
    // Lane bits (up to 9 for tables of up to 1024 words)
    parameter LANE = 8
) (
    input  wire             clk,

    input  wire [AW-1:0]    a_addr,
    input  wire [WIDTH/LANE-1:0] a_wen,
    input  wire [WIDTH-1:0] a_wdata,
    output wire [WIDTH-1:0] a_rdata,

    input  wire [AW-1:0]    b_addr,
    output wire [WIDTH-1:0] b_rdata
);

    // Data width of one DP16KD at this depth, the address bits it takes
    // and the banks in depth
    localparam RAM_W = (AW <= 11) ? 9 : (AW == 12) ? 4 : (AW == 13) ? 2 : 1;
    localparam RAM_AW = (AW > 14) ? 14 : AW;
    localparam BANKS = 1 << (AW - RAM_AW);
    localparam LOW_PINS = 14 - RAM_AW;          // address pins tied to 0
    localparam SLICES = (LANE + RAM_W - 1) / RAM_W;
    localparam LANES = WIDTH / LANE;

    // The bank of each port's read, for the two cycles of the read
    reg [AW-RAM_AW:0] a_bank1_reg, a_bank2_reg, b_bank1_reg, b_bank2_reg;
    always @(posedge clk) begin
        a_bank1_reg <= {1'b0, a_addr} >> RAM_AW;
        a_bank2_reg <= a_bank1_reg;
        b_bank1_reg <= {1'b0, b_addr} >> RAM_AW;
        b_bank2_reg <= b_bank1_reg;
    end

    wire [13:0] a_pins = {a_addr[RAM_AW-1:0], {LOW_PINS{1'b0}}};
    wire [13:0] b_pins = {b_addr[RAM_AW-1:0], {LOW_PINS{1'b0}}};

    wire [BANKS*WIDTH-1:0] a_bank_data, b_bank_data;   // bank k: bits WIDTH*k +: WIDTH

    genvar l, s, k;
    generate
        if (AW <= 10) begin : g_pairs
            // Up to 1024 words: two lanes per DP16KD (1024 x 18), each lane
            // in a 9-bit half with its own byte enable (AD[1:0] at x18)
            localparam PAIRS = (LANES + 1) / 2;
            wire [9:0] a_word = {{(10 - AW){1'b0}}, a_addr};
            wire [9:0] b_word = {{(10 - AW){1'b0}}, b_addr};
            for (l = 0; l < PAIRS; l = l + 1) begin : g_pair
                localparam HAS_HI = 2 * l + 1 < LANES;
                wire be_lo = a_wen[2 * l];
                wire be_hi = HAS_HI && a_wen[(2 * l + 1) % LANES];
                wire [17:0] di, doa, dob;
                assign di[8:0] = {{(9 - LANE){1'b0}}, a_wdata[LANE * 2 * l +: LANE]};
                assign di[17:9] = HAS_HI ? {{(9 - LANE){1'b0}}, a_wdata[(LANE * (2 * l + 1)) % WIDTH +: LANE]}
                                         : 9'd0;
                ims_dp16kd #(.W_A(18), .W_B(18)) ram (
                    .clk(clk), .ada({a_word, 2'b00, be_hi, be_lo}), .wea(be_lo || be_hi),
                    .dia(di), .doa(doa), .adb({b_word, 4'b0000}), .dob(dob));
                assign a_rdata[LANE * 2 * l +: LANE] = doa[LANE-1:0];
                assign b_rdata[LANE * 2 * l +: LANE] = dob[LANE-1:0];
                if (HAS_HI) begin : g_hi
                    assign a_rdata[LANE * (2 * l + 1) +: LANE] = doa[9 +: LANE];
                    assign b_rdata[LANE * (2 * l + 1) +: LANE] = dob[9 +: LANE];
                end
            end
            wire unused_banks = &{1'b0, a_bank2_reg, b_bank2_reg};
        end else begin : g_slices
            for (k = 0; k < BANKS; k = k + 1) begin : g_bank
                wire in_bank = ({1'b0, a_addr} >> RAM_AW) == k;
                for (l = 0; l < LANES; l = l + 1) begin : g_lane
                    for (s = 0; s < SLICES; s = s + 1) begin : g_slice
                        // bits of the lane in this RAM
                        localparam LSB = LANE * l + RAM_W * s;
                        localparam BITS = (LANE - RAM_W * s < RAM_W) ? LANE - RAM_W * s : RAM_W;
                        wire [17:0] di = {{(18 - BITS){1'b0}}, a_wdata[LSB +: BITS]};
                        wire [17:0] doa, dob;
                        wire we = a_wen[l] && in_bank;
                        ims_dp16kd #(.W_A(RAM_W), .W_B(RAM_W)) ram (
                            .clk(clk), .ada(a_pins), .wea(we), .dia(di), .doa(doa),
                            .adb(b_pins), .dob(dob));
                        assign a_bank_data[WIDTH * k + LSB +: BITS] = doa[BITS-1:0];
                        assign b_bank_data[WIDTH * k + LSB +: BITS] = dob[BITS-1:0];
                    end
                end
            end

            if (BANKS == 1) begin : g_one_bank
                assign a_rdata = a_bank_data;
                assign b_rdata = b_bank_data;
            end else begin : g_two_banks
                // (32768 words: the bank chosen after the output registers)
                assign a_rdata = a_bank2_reg[0] ? a_bank_data[WIDTH +: WIDTH] : a_bank_data[0 +: WIDTH];
                assign b_rdata = b_bank2_reg[0] ? b_bank_data[WIDTH +: WIDTH] : b_bank_data[0 +: WIDTH];
            end
        end
    endgenerate

endmodule

// One DP16KD of W_A / W_B bits (1, 2, 4, 9, 18), port B only read through
// its output register. The address pins as the DP16KD takes them at each
// width (x18: AD[1:0] are port A's byte enables). ims_ram_ecp5: both ports
// as wide, port A through OUTREG, old data on its own write; ims_bit_ram:
// x1 written, x18 read.
module ims_dp16kd #(
    parameter W_A = 9,
    parameter W_B = 9,
    parameter REGMODE_A = "OUTREG",
    parameter WRITEMODE_A = "READBEFOREWRITE"
) (
    input  wire        clk,
    input  wire [13:0] ada,
    input  wire        wea,
    input  wire [17:0] dia,
    output wire [17:0] doa,
    input  wire [13:0] adb,
    output wire [17:0] dob
);
    DP16KD #(
        .DATA_WIDTH_A(W_A), .DATA_WIDTH_B(W_B),
        .REGMODE_A(REGMODE_A), .REGMODE_B("OUTREG"),
        .RESETMODE("SYNC"), .ASYNC_RESET_RELEASE("SYNC"),
        .CSDECODE_A("0b000"), .CSDECODE_B("0b000"),
        .WRITEMODE_A(WRITEMODE_A), .WRITEMODE_B("NORMAL"),
        .GSR("AUTO")
    ) ram (
        .CLKA(clk), .CEA(1'b1), .OCEA(1'b1), .WEA(wea), .RSTA(1'b0),
        .CSA0(1'b0), .CSA1(1'b0), .CSA2(1'b0),
        .ADA0(ada[0]), .ADA1(ada[1]), .ADA2(ada[2]),
        .ADA3(ada[3]), .ADA4(ada[4]), .ADA5(ada[5]),
        .ADA6(ada[6]), .ADA7(ada[7]), .ADA8(ada[8]),
        .ADA9(ada[9]), .ADA10(ada[10]), .ADA11(ada[11]),
        .ADA12(ada[12]), .ADA13(ada[13]),
        .DIA0(dia[0]), .DIA1(dia[1]), .DIA2(dia[2]), .DIA3(dia[3]),
        .DIA4(dia[4]), .DIA5(dia[5]), .DIA6(dia[6]), .DIA7(dia[7]),
        .DIA8(dia[8]), .DIA9(dia[9]), .DIA10(dia[10]), .DIA11(dia[11]),
        .DIA12(dia[12]), .DIA13(dia[13]), .DIA14(dia[14]), .DIA15(dia[15]),
        .DIA16(dia[16]), .DIA17(dia[17]),
        .DOA0(doa[0]), .DOA1(doa[1]), .DOA2(doa[2]), .DOA3(doa[3]),
        .DOA4(doa[4]), .DOA5(doa[5]), .DOA6(doa[6]), .DOA7(doa[7]),
        .DOA8(doa[8]), .DOA9(doa[9]), .DOA10(doa[10]), .DOA11(doa[11]),
        .DOA12(doa[12]), .DOA13(doa[13]), .DOA14(doa[14]), .DOA15(doa[15]),
        .DOA16(doa[16]), .DOA17(doa[17]),
        .CLKB(clk), .CEB(1'b1), .OCEB(1'b1), .WEB(1'b0), .RSTB(1'b0),
        .CSB0(1'b0), .CSB1(1'b0), .CSB2(1'b0),
        .ADB0(adb[0]), .ADB1(adb[1]), .ADB2(adb[2]),
        .ADB3(adb[3]), .ADB4(adb[4]), .ADB5(adb[5]),
        .ADB6(adb[6]), .ADB7(adb[7]), .ADB8(adb[8]),
        .ADB9(adb[9]), .ADB10(adb[10]), .ADB11(adb[11]),
        .ADB12(adb[12]), .ADB13(adb[13]),
        .DIB0(1'b0), .DIB1(1'b0), .DIB2(1'b0), .DIB3(1'b0),
        .DIB4(1'b0), .DIB5(1'b0), .DIB6(1'b0), .DIB7(1'b0),
        .DIB8(1'b0), .DIB9(1'b0), .DIB10(1'b0), .DIB11(1'b0),
        .DIB12(1'b0), .DIB13(1'b0), .DIB14(1'b0), .DIB15(1'b0),
        .DIB16(1'b0), .DIB17(1'b0),
        .DOB0(dob[0]), .DOB1(dob[1]), .DOB2(dob[2]), .DOB3(dob[3]),
        .DOB4(dob[4]), .DOB5(dob[5]), .DOB6(dob[6]), .DOB7(dob[7]),
        .DOB8(dob[8]), .DOB9(dob[9]), .DOB10(dob[10]), .DOB11(dob[11]),
        .DOB12(dob[12]), .DOB13(dob[13]), .DOB14(dob[14]), .DOB15(dob[15]),
        .DOB16(dob[16]), .DOB17(dob[17]));

endmodule
`endif

`resetall
