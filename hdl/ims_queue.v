// SPDX-License-Identifier: MIT
//
// ims_queue: a FIFO in block RAM with a first-word-fall-through head
// register, for the slots of a table store waiting to be read and sent.
//
// The RAM holds 2**AW words. Three head registers in front of it hide the
// RAM's two-cycle read, so one word can leave every cycle. A word pushed
// while the RAM is empty and nothing is being read from it goes straight to
// the head registers: it is at the head in the cycle after the push.
//
// The user guarantees that no more than 2**AW + 3 words are ever held (a
// table store holds each slot at most once); there is no full flag.

`timescale 1ns / 1ps
`default_nettype none

module ims_queue #(
    parameter WIDTH = 16,
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

    localparam HEADS = 3;

    // Head registers: a shift FIFO, head_reg[0] leaves first
    reg [WIDTH-1:0] head_reg [0:HEADS-1];
    reg [1:0]       heads_reg;            // occupied head registers
    // RAM ring
    reg [AW-1:0]    wr_ptr_reg, rd_ptr_reg;
    reg [AW:0]      stored_reg;           // words in the RAM not yet read
    reg             stored_empty_reg;
    reg [1:0]       reading_reg;          // reads in flight (pipeline valid bits)

    wire [WIDTH-1:0] ram_rdata;
    wire             ram_arrives = reading_reg[1];

    // Space in the heads for words not yet there (in flight or arriving)
    wire [2:0] heads_after_pop = {1'b0, heads_reg} - {2'b00, pop};
    wire [2:0] committed = heads_after_pop + {2'b00, reading_reg[0]} + {2'b00, reading_reg[1]};

    // A push bypasses the RAM only when the RAM and its read pipeline are
    // empty, so order is kept
    wire bypass = push && stored_empty_reg && reading_reg == 2'b00 && committed < HEADS;
    wire to_ram = push && !bypass;
    wire read_issue = !stored_empty_reg && committed < HEADS;

    wire [AW:0] stored_next = stored_reg + {{AW{1'b0}}, to_ram} - {{AW{1'b0}}, read_issue};

    /* verilator lint_off UNUSEDSIGNAL */
    wire [WIDTH-1:0] unused_a_rdata;    // port A only writes
    /* verilator lint_on UNUSEDSIGNAL */
    ims_ram #(.WIDTH(WIDTH), .AW(AW)) ram (
        .clk(clk),
        .a_addr(wr_ptr_reg), .a_wen(to_ram), .a_wdata(push_data),
        .a_rdata(unused_a_rdata),
        .b_addr(rd_ptr_reg), .b_rdata(ram_rdata));

    // What enters the heads this cycle (at most one: arrival or bypass)
    wire             enter = ram_arrives || bypass;
    wire [WIDTH-1:0] enter_data = ram_arrives ? ram_rdata : push_data;
    wire [1:0]       enter_at = heads_after_pop[1:0];

    integer k;

    // Heads shift on pop; the entering word lands behind the others
    always @(posedge clk) begin
        for (k = 0; k < HEADS; k = k + 1) begin
            if (enter && enter_at == k[1:0])
                head_reg[k] <= enter_data;
            else if (pop && k < HEADS - 1)
                head_reg[k] <= head_reg[k + 1];
        end
    end

    always @(posedge clk) begin
        if (rst) begin
            heads_reg <= 2'd0;
            wr_ptr_reg <= {AW{1'b0}};
            rd_ptr_reg <= {AW{1'b0}};
            stored_reg <= {(AW + 1){1'b0}};
            stored_empty_reg <= 1'b1;
            reading_reg <= 2'b00;
        end else begin
            heads_reg <= heads_after_pop[1:0] + {1'b0, enter};
            if (to_ram)
                wr_ptr_reg <= wr_ptr_reg + 1'b1;
            if (read_issue)
                rd_ptr_reg <= rd_ptr_reg + 1'b1;
            stored_reg <= stored_next;
            stored_empty_reg <= stored_next == {(AW + 1){1'b0}};
            reading_reg <= {reading_reg[0], read_issue};
        end
    end

    assign head_valid = heads_reg != 2'd0;
    assign head_data = head_reg[0];
    assign empty = heads_reg == 2'd0 && stored_empty_reg && reading_reg == 2'b00;

endmodule

`resetall
