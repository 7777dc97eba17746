// SPDX-License-Identifier: MIT
//
// ims_msg_engine: the one message engine behind every Interrupt Message
// Store. Generic over STORES stores with one interface each:
//
//   req_valid[s], req_index   set a slot of store s pending
//   req_busy[s]               store s cannot take a request this cycle
//   offer[s], offer_dws/ndw   store s's next message, every bit a register
//                             (offer already includes the store's gate)
//   take[s]                   the framer takes it (the edge that shows its
//                             first beat on tx)
//
// Requests arrive routed (ims_irq_router). A request for a busy store
// waits in a one-entry skid register, and irq_ready (a register) is low
// while it waits. The next message comes from the stores round robin:
// the first store after the one served last whose offer is open.

`timescale 1ns / 1ps
`default_nettype none

module ims_msg_engine #(
    parameter STORES = 3
) (
    input  wire                  clk,
    input  wire                  rst,
    input  wire                  stores_ready,   // reset sweeps finished

    // Interrupt requests, routed
    input  wire                  irq_valid,
    output wire                  irq_ready,
    input  wire [STORES-1:0]     irq_route,      // one-hot, or 0: dropped
    input  wire [14:0]           irq_slot,

    // Stores
    output wire [STORES-1:0]     req_valid,
    output wire [14:0]           req_index,
    input  wire [STORES-1:0]     req_busy,
    input  wire [STORES-1:0]     offer,
    input  wire [STORES*192-1:0] offer_dws,
    input  wire [STORES*3-1:0]   offer_ndw,
    output wire [STORES-1:0]     take,

    // The message TLP to the tx framer
    output wire                  msg_valid,
    output reg  [191:0]          msg_dws,
    output reg  [2:0]            msg_ndw,
    input  wire                  msg_take
);

    localparam SW = (STORES <= 2) ? 1 : $clog2(STORES);
    localparam [SW-1:0] LAST_STORE = STORES - 1;

    // ---------------------------------------------------------------
    // Requests: straight to the store, or through the skid register
    // ---------------------------------------------------------------
    reg              irq_ready_reg;
    reg              skid_valid_reg;
    reg [STORES-1:0] skid_route_reg;
    reg [14:0]       skid_slot_reg;

    wire [STORES-1:0] incoming = skid_valid_reg ? skid_route_reg
                                                : ((irq_valid && irq_ready_reg) ? irq_route
                                                                                : {STORES{1'b0}});
    wire [14:0] incoming_slot = skid_valid_reg ? skid_slot_reg : irq_slot;
    wire blocked = |(incoming & req_busy);

    assign req_valid = incoming & ~req_busy;
    assign req_index = incoming_slot;
    assign irq_ready = irq_ready_reg;

    always @(posedge clk) begin
        if (rst) begin
            irq_ready_reg <= 1'b0;
            skid_valid_reg <= 1'b0;
        end else begin
            irq_ready_reg <= stores_ready && !blocked;
            skid_valid_reg <= blocked;
        end
        if (blocked) begin
            skid_route_reg <= incoming;
            skid_slot_reg <= incoming_slot;
        end
    end

    // ---------------------------------------------------------------
    // Messages: round robin over the stores whose offer is open
    // ---------------------------------------------------------------
    reg [SW-1:0]     last_reg;
    reg [STORES-1:0] sel;
    reg [SW-1:0]     sel_index;

    wire [STORES-1:0] open = offer;

    integer k, s;
    always @* begin
        sel = {STORES{1'b0}};
        sel_index = {SW{1'b0}};
        // Visit the stores after last_reg first, then the rest; the last
        // one found is the first in round-robin order
        for (k = 2 * STORES - 1; k >= 0; k = k - 1) begin
            s = k % STORES;
            if (open[s] && (k >= STORES || s > last_reg)) begin
                sel = {STORES{1'b0}};
                sel[s] = 1'b1;
                sel_index = s[SW-1:0];
            end
        end
    end

    always @* begin
        msg_dws = 192'd0;
        msg_ndw = 3'd0;
        for (k = 0; k < STORES; k = k + 1) begin
            msg_dws = msg_dws | (offer_dws[192*k +: 192] & {192{sel[k]}});
            msg_ndw = msg_ndw | (offer_ndw[3*k +: 3] & {3{sel[k]}});
        end
    end

    assign msg_valid = |open;
    assign take = sel & {STORES{msg_take}};

    always @(posedge clk) begin
        if (rst) begin
            last_reg <= LAST_STORE;   // store 0 goes first
        end else begin
            if (msg_take)
                last_reg <= sel_index;
        end
    end

endmodule

`resetall
