// SPDX-License-Identifier: MIT
//
// ims_pending: the pending and mask bits of one message store, and a
// round-robin finder of the next slot that is pending and unmasked.
//
// Bits are kept in 32-bit words (word w holds slots 32*w .. 32*w+31) in
// arrays with one write port each, so that they map to distributed RAM:
// the mask bits, and the pending bits as the XOR of two arrays (one written
// by the set port, one by the clear port). Two summary levels sit on top:
//   word_ready[w]  = |(pending word w & ~mask word w)     (registered)
//   group_ready[g] = |word_ready[32*g +: 32]              (combinational)
// so the finder looks at three 32-bit vectors (groups, words of one group,
// bits of one word) whatever the store size: 32 x 32 x 32 = 32768 slots.
// The finder is round-robin: it returns the first ready slot after
// `last_index`, wrapping around.
//
// Update ports (all may fire in the same cycle, also on the same word):
//   set   - an accepted interrupt request sets a pending bit
//   clear - the engine took the slot for sending; clears its pending bit.
//           When set and clear hit the same slot in one cycle, set wins:
//           the request came after the take and needs another message.
//   mask  - software wrote mask bits (bit-enabled write of one word)
//
// After reset the arrays are initialised one word per cycle (pending 0,
// mask MASK_RESET); `init_done` rises when that is finished. The update
// ports must stay idle until then.

`timescale 1ns / 1ps
`default_nettype none

module ims_pending #(
    // Number of slots, 1 .. 32768
    parameter SLOTS = 64,
    // Reset value of every mask bit (1: MSI-X and IMS entries start masked)
    parameter MASK_RESET = 1'b1
) (
    input  wire        clk,
    input  wire        rst,
    output reg         init_done,

    input  wire        set_valid,
    input  wire [14:0] set_index,

    input  wire        clear_valid,
    input  wire [14:0] clear_index,

    input  wire        mask_valid,
    /* verilator lint_off UNUSEDSIGNAL */
    input  wire [9:0]  mask_word,    // bits above the store size unused
    /* verilator lint_on UNUSEDSIGNAL */
    input  wire [31:0] mask_enable,   // which bits of the word to write
    input  wire [31:0] mask_value,

    // Software view: one 64-bit pair of words (slots 64*qw .. 64*qw+63)
    input  wire [8:0]  host_qw,
    output wire [63:0] host_pending,
    output wire [63:0] host_mask,

    // Is this slot pending and unmasked right now?
    input  wire [14:0] check_index,
    output wire        check_ready,

    // Round-robin finder
    input  wire [14:0] last_index,
    output wire        found,
    output wire [14:0] found_index
);

    // Words in use, rounded up to a power of two (at least 2, so that the
    // 64-bit software view always has two words to show).
    localparam WORDS_USED = (SLOTS + 31) / 32;
    localparam WI = (WORDS_USED <= 2) ? 1 : $clog2(WORDS_USED);
    localparam WORDS = 1 << WI;

    // Pending bits are pend_a ^ pend_b: the set port writes only pend_a and
    // the clear port only pend_b (each storing the new word XOR the other
    // array's word), so every array has one write port and maps to
    // distributed RAM, not to a flip-flop per slot. When both ports hit the
    // same word, the set port writes the merged word alone.
    reg [31:0] pend_a   [0:WORDS-1];
    reg [31:0] pend_b   [0:WORDS-1];
    reg [31:0] mask_mem [0:WORDS-1];
    // Summary bit per word
    reg [WORDS-1:0] word_ready;
    reg [WI-1:0] init_word;

    // Lowest set bit of a 32-bit vector
    function [4:0] lowest32;
        input [31:0] v;
        integer i;
        begin
            lowest32 = 5'd0;
            for (i = 31; i >= 0; i = i - 1)
                if (v[i]) lowest32 = i[4:0];
        end
    endfunction

    // Bits strictly above position p
    function [31:0] above32;
        input [4:0] p;
        begin
            above32 = ~(32'h1 << p) & ~((32'h1 << p) - 32'h1);
        end
    endfunction

    // Word of a slot index (index bits above the store size are unused)
    function [WI-1:0] word_of;
        /* verilator lint_off UNUSEDSIGNAL */
        input [14:0] index;
        /* verilator lint_on UNUSEDSIGNAL */
        begin
            word_of = index[WI+4:5];
        end
    endfunction

    // ---------------------------------------------------------------
    // Next value of the words touched by the update ports this cycle.
    // Each port's word gets every update aimed at it (set wins over clear).
    // Memories are read by continuous assignments only (not inside
    // functions), so every simulator re-evaluates them when a word changes.
    // ---------------------------------------------------------------
    wire [WI-1:0] set_w   = word_of(set_index);
    wire [WI-1:0] clear_w = word_of(clear_index);
    wire [WI-1:0] mask_w  = mask_word[WI-1:0];

    wire [31:0] set_bit   = (set_valid   ? 32'h1 : 32'h0) << set_index[4:0];
    wire [31:0] clear_bit = (clear_valid ? 32'h1 : 32'h0) << clear_index[4:0];

    wire [31:0] set_a = pend_a[set_w],     set_b = pend_b[set_w],     set_m = mask_mem[set_w];
    wire [31:0] clear_a = pend_a[clear_w], clear_b = pend_b[clear_w], clear_m = mask_mem[clear_w];
    wire [31:0] mask_a = pend_a[mask_w],   mask_b = pend_b[mask_w],   mask_m = mask_mem[mask_w];

    // The merged update of one word: p its pending bits, m its mask bits;
    // is_set/is_clear/is_mask: whether that port's word is this word
    // (everything is an argument, so that simulators see every input).
    function [31:0] pending_upd;
        input [31:0] p;
        input is_set, is_clear;
        input [31:0] sbit, cbit;
        begin
            pending_upd = (p & ~(is_clear ? cbit : 32'h0)) | (is_set ? sbit : 32'h0);
        end
    endfunction

    function [31:0] mask_upd;
        input [31:0] m;
        input is_mask;
        input [31:0] enable, value;
        begin
            mask_upd = is_mask ? (m & ~enable) | (value & enable) : m;
        end
    endfunction

    wire set_is_clear = set_w == clear_w;
    wire set_is_mask = mask_valid && set_w == mask_w;
    wire clear_is_mask = mask_valid && clear_w == mask_w;

    wire [31:0] set_pending_next   = pending_upd(set_a ^ set_b, 1'b1, set_is_clear,
                                                 set_bit, clear_bit);
    wire [31:0] clear_pending_next = pending_upd(clear_a ^ clear_b, set_is_clear, 1'b1,
                                                 set_bit, clear_bit);
    wire [31:0] mask_pending_next  = pending_upd(mask_a ^ mask_b, set_w == mask_w,
                                                 clear_w == mask_w, set_bit, clear_bit);
    wire [31:0] set_mask_next      = mask_upd(set_m, set_is_mask, mask_enable, mask_value);
    wire [31:0] clear_mask_next    = mask_upd(clear_m, clear_is_mask, mask_enable, mask_value);
    wire [31:0] mask_mask_next     = mask_upd(mask_m, mask_valid, mask_enable, mask_value);

    // One write port per array: the initialisation sweep after reset, then
    // its update port.
    wire init_busy = !init_done;
    wire clear_alone = clear_valid && !(set_valid && set_is_clear);

    wire          a_we   = init_busy || set_valid;
    wire [WI-1:0] a_addr = init_busy ? init_word : set_w;
    wire [31:0]   a_data = init_busy ? 32'h0 : set_pending_next ^ set_b;
    wire          b_we   = init_busy || clear_alone;
    wire [WI-1:0] b_addr = init_busy ? init_word : clear_w;
    wire [31:0]   b_data = init_busy ? 32'h0 : clear_pending_next ^ clear_a;
    wire          m_we   = init_busy || mask_valid;
    wire [WI-1:0] m_addr = init_busy ? init_word : mask_w;
    wire [31:0]   m_data = init_busy ? {32{MASK_RESET}} : mask_mask_next;

    always @(posedge clk) begin
        if (a_we) pend_a[a_addr] <= a_data;
        if (b_we) pend_b[b_addr] <= b_data;
        if (m_we) mask_mem[m_addr] <= m_data;
    end

    // Sweep counter and summary. Ports hitting the same word write the
    // same merged value, so their order here does not matter.
    always @(posedge clk) begin
        if (rst) begin
            init_done  <= 1'b0;
            init_word  <= {WI{1'b0}};
            word_ready <= {WORDS{1'b0}};
        end else if (!init_done) begin
            init_word <= init_word + 1'b1;
            if (init_word == WORDS - 1)
                init_done <= 1'b1;
        end else begin
            if (set_valid)
                word_ready[set_w] <= |(set_pending_next & ~set_mask_next);
            if (clear_valid)
                word_ready[clear_w] <= |(clear_pending_next & ~clear_mask_next);
            if (mask_valid)
                word_ready[mask_w] <= |(mask_pending_next & ~mask_mask_next);
        end
    end

    // ---------------------------------------------------------------
    // Software view and the single-slot check
    // ---------------------------------------------------------------
    /* verilator lint_off UNUSEDSIGNAL */
    wire [9:0]    host_w0_full = {host_qw, 1'b0};   // bits above the store size unused
    /* verilator lint_on UNUSEDSIGNAL */
    wire [WI-1:0] host_w0 = host_w0_full[WI-1:0];
    wire [WI-1:0] host_w1 = host_w0 | {{(WI-1){1'b0}}, 1'b1};
    assign host_pending = {pend_a[host_w1] ^ pend_b[host_w1], pend_a[host_w0] ^ pend_b[host_w0]};
    assign host_mask    = {mask_mem[host_w1], mask_mem[host_w0]};

    wire [WI-1:0] check_w = word_of(check_index);
    wire [31:0] check_word = (pend_a[check_w] ^ pend_b[check_w]) & ~mask_mem[check_w];
    assign check_ready = init_done && check_word[check_index[4:0]];

    // ---------------------------------------------------------------
    // Finder: first ready slot after last_index, circularly.
    // ---------------------------------------------------------------
    // The summary padded to the finder's fixed 32 x 32 shape
    wire [1023:0] word_ready_all;
    generate
        if (WORDS < 1024) begin : g_pad
            assign word_ready_all = {{(1024 - WORDS){1'b0}}, word_ready};
        end else begin : g_full
            assign word_ready_all = word_ready;
        end
    endgenerate

    wire [31:0] group_ready;
    genvar g;
    generate
        for (g = 0; g < 32; g = g + 1) begin : g_group
            assign group_ready[g] = |word_ready_all[32*g +: 32];
        end
    endgenerate

    wire [4:0] last_group = last_index[14:10];
    wire [4:0] last_word_in_group = last_index[9:5];
    wire [4:0] last_bit = last_index[4:0];
    wire [WI-1:0] last_w = word_of(last_index);

    // 1. Ready bits above last_index in its own word
    wire [31:0] last_word_ready = (pend_a[last_w] ^ pend_b[last_w]) & ~mask_mem[last_w];
    wire [31:0] same_word_above = last_word_ready & above32(last_bit);

    // 2. Otherwise the next ready word after last_index's word, circularly
    wire [31:0] words_of_last_group = word_ready_all[32*last_group +: 32];
    wire [31:0] same_group_above = words_of_last_group & above32(last_word_in_group);
    wire [31:0] groups_above = group_ready & above32(last_group);
    wire [4:0]  next_group = (|groups_above) ? lowest32(groups_above) : lowest32(group_ready);
    wire [9:0]  next_word_full =
        (|same_group_above) ? {last_group, lowest32(same_group_above)}
                            : {next_group, lowest32(word_ready_all[32*next_group +: 32])};
    wire [WI-1:0] next_w = next_word_full[WI-1:0];
    wire [31:0] next_word_ready = (pend_a[next_w] ^ pend_b[next_w]) & ~mask_mem[next_w];

    assign found = init_done && (|group_ready);
    assign found_index = (|same_word_above) ? {last_index[14:5], lowest32(same_word_above)}
                                            : {next_word_full, lowest32(next_word_ready)};

endmodule

`resetall
