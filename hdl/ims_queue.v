// SPDX-License-Identifier: MIT
//
// ims_queue: a FIFO in block RAM with a first-word-fall-through head
// register, for the slots of a table store waiting to be read and sent.
//
// The RAM holds 2**AW words. Four head registers in front of it hide the
// RAM's two-cycle read, so one word can leave every cycle: the RAM is read
// while the heads and the reads in flight hold fewer than four words (this
// cycle's pop not counted, so that no path runs from the user's pop to the
// RAM's address). A word pushed while the RAM is empty and nothing is being
// read from it goes straight to the head registers: it is at the head in
// the cycle after the push.
//
// The user guarantees that no more than 2**AW + 4 words are ever held (a
// table store holds each slot at most once); there is no full flag.

`timescale 1ns / 1ps
`default_nettype none
`include "ims_params.vh"

module ims_queue #(
    // Word width in bits, 1 or more
    parameter WIDTH = 16,
    // RAM address bits, 1 or more: 2**AW words
    parameter AW = 10
) (
    input  wire             clk,
    input  wire             rst,

    input  wire             push,
    input  wire [WIDTH-1:0] push_data,

    output wire             head_valid,
    output wire [WIDTH-1:0] head_data,
    input  wire             pop,          // only while head_valid

    output wire             empty         // nothing held or in flight
);

    // Illegal parameters stop elaboration with the instance's name
    initial begin
        `IMS_CHECK(WIDTH >= 1, "WIDTH", WIDTH, "at least 1")
        `IMS_CHECK(AW >= 1, "AW", AW, "at least 1")
    end

    localparam HEADS = 4;
    // RAM address bits: AW (1 for an illegal AW, so that elaboration
    // reaches the check above instead of failing on a part select)
    localparam RAM_AW = (AW < 1) ? 1 : AW;

    // Head registers: a shift FIFO, head_reg[0] leaves first
    reg [WIDTH-1:0] head_reg [0:HEADS-1];
    reg [2:0]       heads_reg;            // occupied head registers
    // RAM ring; pointers with a wrap bit, so equal pointers mean empty
    reg [AW:0]      wr_ptr_reg, rd_ptr_reg;
    reg [1:0]       reading_reg;          // reads in flight (pipeline valid bits)

    // Words in the RAM, and whether there are none or one, as registers
    // (no pointer compare in front of the bypass decision)
    reg [AW:0]       ram_words_reg;
    reg              ram_empty_reg, ram_one_reg;

    wire [WIDTH-1:0] ram_rdata;
    wire             ram_arrives = reading_reg[1];
    wire             ram_empty = ram_empty_reg;

    // Words on their way to the heads, the head leaving now not counted
    wire [2:0] committed = heads_reg + {2'b00, reading_reg[0]} + {2'b00, reading_reg[1]};

    // A push bypasses the RAM only when the RAM and its read pipeline are
    // empty, so order is kept
    wire bypass = push && ram_empty && reading_reg == 2'b00 && heads_reg < HEADS;
    wire to_ram = push && !bypass;
    wire read_issue = !ram_empty && committed < HEADS;

    /* verilator lint_off UNUSEDSIGNAL */
    wire [WIDTH-1:0] unused_a_rdata;    // port A only writes
    /* verilator lint_on UNUSEDSIGNAL */
    // (from 64 words, block RAM: on ECP5 read through the DP16KD's output
    // register, whose 5.8 ns read into a fabric register was default's
    // critical path; the word is written whole, in lanes of 8 bits (the
    // DP16KD's byte enables; lanes of 1 bit took more block RAM)
    localparam LANE = (WIDTH % 8 == 0) ? 8 : WIDTH;
    ims_ram #(.WIDTH(WIDTH), .AW(RAM_AW), .LANE(LANE), .ECP5_OUTREG(RAM_AW >= 6)) ram (
        .clk(clk),
        .a_addr(wr_ptr_reg[RAM_AW-1:0]), .a_wen({(WIDTH / LANE){to_ram}}), .a_wdata(push_data),
        .a_rdata(unused_a_rdata),
        .b_addr(rd_ptr_reg[RAM_AW-1:0]), .b_rdata(ram_rdata));

    // What enters the heads this cycle (at most one: arrival or bypass)
    wire             enter = ram_arrives || bypass;
    wire [WIDTH-1:0] enter_data = ram_arrives ? ram_rdata : push_data;
    wire [2:0]       heads_after_pop = heads_reg - {2'b00, pop};

    integer k;

    // Heads shift on pop; the entering word lands behind the others
    always @(posedge clk) begin
        for (k = 0; k < HEADS; k = k + 1) begin
            if (enter && heads_after_pop == k[2:0])
                head_reg[k] <= enter_data;
            else if (pop && k < HEADS - 1)
                head_reg[k] <= head_reg[k + 1];
        end
    end

    always @(posedge clk) begin
        if (rst) begin
            heads_reg <= 3'd0;
            wr_ptr_reg <= {(AW + 1){1'b0}};
            rd_ptr_reg <= {(AW + 1){1'b0}};
            reading_reg <= 2'b00;
        end else begin
            heads_reg <= heads_after_pop + {2'b00, enter};
            if (to_ram)
                wr_ptr_reg <= wr_ptr_reg + 1'b1;
            if (read_issue)
                rd_ptr_reg <= rd_ptr_reg + 1'b1;
            reading_reg <= {reading_reg[0], read_issue};
        end
    end

    wire ram_two = ram_words_reg == 2;
    always @(posedge clk) begin
        if (rst) begin
            ram_words_reg <= {(AW + 1){1'b0}};
            ram_empty_reg <= 1'b1;
            ram_one_reg <= 1'b0;
        end else if (to_ram != read_issue) begin
            ram_words_reg <= to_ram ? ram_words_reg + 1'b1 : ram_words_reg - 1'b1;
            ram_empty_reg <= !to_ram && ram_one_reg;
            ram_one_reg <= to_ram ? ram_empty_reg : ram_two;
        end
    end

`ifndef SYNTHESIS
    wire checking;
    ims_check_armed check_armed (.clk(clk), .rst(rst), .active(checking));
    always @(posedge clk)
        if (checking && ram_empty_reg != (wr_ptr_reg == rd_ptr_reg)) begin
            $display("ERROR: %m: RAM word count out of step with the pointers");
            $finish;
        end
`endif

    assign head_valid = heads_reg != 3'd0;
    assign head_data = head_reg[0];
    assign empty = heads_reg == 3'd0 && ram_empty && reading_reg == 2'b00;

endmodule

`resetall
