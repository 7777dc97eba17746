// SPDX-License-Identifier: MIT
//
// ims_formal_top: the formal harness of ims_endpoint (SymbiYosys, see
// formal/ims.sby and scripts/formal.py). It wraps the device, constrains
// what the outside may do (assumptions) and checks, at the ports only,
// what ../shared/CONTRACT.md and docs/design.md promise (assertions),
// with covers that show the checked situations are reachable.
//
// Every top-level input is free (the solver chooses it each cycle) but for
// the assumptions below:
//   A1  reset is asserted in the first cycle and never again
//   A2  rx is a legal AXI4-Stream (CONTRACT.md "TLP framing"): while
//       rx_tvalid && !rx_tready, rx_tvalid stays high and rx_tdata,
//       rx_tkeep, rx_tlast hold; tkeep is contiguous from lane 0, never
//       empty, and full on every beat but the last (DW k in lane k%W of
//       beat k/W). Its contents (Fmt, Type, Length, addresses, data) are
//       free: well- and malformed TLPs, any number of prefixes.
//   tx_tready, irq_valid, irq_src, irq_index are free in every cycle.
//
// Labels (p_*, c_*) name the properties; scripts/formal.py looks for them
// in the solver's log to tell which one failed.
//
// This file is for Yosys only (read_verilog -formal): the simulators never
// see it.

`default_nettype none

module ims_formal_top #(
    parameter DATA_WIDTH = 64,
    parameter MSI_VECTORS = 4,
    parameter MSIX_TABLE_SIZE = 8,
    parameter IMS_SIZE = 8,
    // Bounds, in cycles with tx_tready high (the device cannot send while
    // the host holds tx_tready low): see formal/README section in README.md
    parameter CPL_BOUND = 13,
    parameter STALL_BOUND = 12,
    // irq_ready may be low this many cycles after a memory write's last
    // beat (design.md 5: the cycle after a table write that unmasks;
    // writes take effect at most 8 cycles after their last beat)
    parameter UNMASK_WINDOW = 8
) (
    input  wire                     clk,
    input  wire                     rst,
    input  wire [DATA_WIDTH-1:0]    rx_tdata,
    input  wire [DATA_WIDTH/32-1:0] rx_tkeep,
    input  wire                     rx_tlast,
    input  wire                     rx_tvalid,
    input  wire                     tx_tready,
    input  wire                     irq_valid,
    input  wire                     irq_src,
    input  wire [15:0]              irq_index
);

    localparam integer W = DATA_WIDTH / 32;

    wire                  rx_tready;
    wire [DATA_WIDTH-1:0] tx_tdata;
    wire [W-1:0]          tx_tkeep;
    wire                  tx_tlast, tx_tvalid;
    wire                  irq_ready;

    ims_endpoint #(
        .DATA_WIDTH(DATA_WIDTH), .MSI_VECTORS(MSI_VECTORS),
        .MSIX_TABLE_SIZE(MSIX_TABLE_SIZE), .IMS_SIZE(IMS_SIZE)
    ) dut (
        .clk(clk), .rst(rst),
        .rx_tdata(rx_tdata), .rx_tkeep(rx_tkeep), .rx_tlast(rx_tlast),
        .rx_tvalid(rx_tvalid), .rx_tready(rx_tready),
        .tx_tdata(tx_tdata), .tx_tkeep(tx_tkeep), .tx_tlast(tx_tlast),
        .tx_tvalid(tx_tvalid), .tx_tready(tx_tready),
        .irq_valid(irq_valid), .irq_ready(irq_ready),
        .irq_src(irq_src), .irq_index(irq_index));

    // ---------------------------------------------------------------
    // Helpers
    // ---------------------------------------------------------------
    // tkeep contiguous from lane 0 and not empty: 0..01..1
    function keep_contiguous;
        input [W-1:0] keep;
        begin
            keep_contiguous = keep != {W{1'b0}}
                           && (keep & (keep + {{(W-1){1'b0}}, 1'b1})) == {W{1'b0}};
        end
    endfunction

    // The DWs a TLP has, from its header DW0 (CONTRACT.md "TLP framing",
    // PCIe 2.2): 3 or 4 header DWs (Fmt bit 0), Length payload DWs when
    // Fmt bit 1 says it has data (Length 0 means 1024), one TLP Digest DW
    // when TD (bit 15) is set
    function [11:0] tlp_dws_of;
        input [31:0] dw0;
        begin
            tlp_dws_of = (dw0[29] ? 12'd4 : 12'd3)
                       + (dw0[30] ? ((dw0[9:0] == 10'd0) ? 12'd1024 : {2'd0, dw0[9:0]}) : 12'd0)
                       + {11'd0, dw0[15]};
        end
    endfunction

    // ---------------------------------------------------------------
    // A1: reset in the first cycle, never again
    // ---------------------------------------------------------------
    reg f_past_valid = 1'b0;
    always @(posedge clk)
        f_past_valid <= 1'b1;
    always @(*)
        assume(rst == !f_past_valid);

    // ---------------------------------------------------------------
    // A2: rx is a legal AXI4-Stream of DW-framed packets
    // ---------------------------------------------------------------
    always @(posedge clk)
        if (f_past_valid && $past(rx_tvalid && !rx_tready)) begin
            assume(rx_tvalid);
            assume(rx_tdata == $past(rx_tdata));
            assume(rx_tkeep == $past(rx_tkeep));
            assume(rx_tlast == $past(rx_tlast));
        end
    always @(*)
        if (rx_tvalid)
            assume(keep_contiguous(rx_tkeep) && (rx_tlast || rx_tkeep == {W{1'b1}}));

    // ---------------------------------------------------------------
    // The rx packet, as the host sent it (ims_formal_packet below)
    // ---------------------------------------------------------------
    wire         rx_beat = rx_tvalid && rx_tready;
    wire         rx_pfx_now;
    wire [31:0]  rx_pfx_dw_now;
    wire [127:0] rx_h_now;
    wire [11:0]  rx_end, rx_body;
    ims_formal_packet #(.W(W)) rx_packet (
        .clk(clk), .rst(rst), .tdata(rx_tdata), .tkeep(rx_tkeep), .tlast(rx_tlast),
        .beat(rx_beat), .first(), .pfx_now(rx_pfx_now), .pfx_dw_now(rx_pfx_dw_now),
        .h_now(rx_h_now),
        .end_dws(rx_end), .body_dws(rx_body));
    wire [31:0] rx_h0_now = rx_h_now[31:0];
    wire [31:0] rx_h1_now = rx_h_now[63:32];
    wire [31:0] rx_h2_now = rx_h_now[95:64];
    wire [31:0] rx_h3_now = rx_h_now[127:96];

    // Non-posted requests (PCIe Table 2-3; docs/design.md section 2): a
    // packet with a header's DW0 and DW1 after at most one prefix, Fmt
    // 000b/001b (no data) except completions (Type 0101xb) and messages
    // (Type 10xxxb), or Fmt 010b/011b with Type IOWr, CfgWr0, CfgWr1,
    // FetchAdd, Swap or CAS. (A second prefix makes the header's Fmt 1xxb:
    // not a request.) Malformed ones are never completed (PCIe 2.3): as
    // many DWs as the header says, and a config or I/O request 3DW with
    // Length 1, and no Local prefix in front (PCIe 2.2.10.2: a type this
    // function does not support; End-End ones are supported, design.md 2).
    wire [2:0] rx_fmt = rx_h0_now[31:29];
    wire [4:0] rx_type = rx_h0_now[28:24];
    wire rx_cfg_or_io = rx_type == 5'b00010 || rx_type == 5'b00100 || rx_type == 5'b00101;
    wire rx_non_posted = rx_body >= 12'd2 && !rx_fmt[2] && rx_body == tlp_dws_of(rx_h0_now)
        && !(rx_pfx_now && !rx_pfx_dw_now[28])
        && !(rx_cfg_or_io && (rx_fmt[0] || rx_h0_now[9:0] != 10'd1))
        && (rx_fmt[1] ? (rx_type == 5'b00010 || rx_type == 5'b00100 || rx_type == 5'b00101
                         || rx_type == 5'b01100 || rx_type == 5'b01101 || rx_type == 5'b01110)
                      : (rx_type[4:1] != 4'b0101 && rx_type[4:3] != 2'b10));
    wire rx_request_np = rx_beat && rx_tlast && rx_non_posted;
    wire rx_mem_write = rx_beat && rx_tlast && rx_fmt[2:1] == 2'b01 && rx_type == 5'b00000;

    // Bus Master Enable as the host set it: Command bit 2 (config offset
    // 0x04, byte 0), written by a CfgWr0 that completes with SC (design.md
    // section 2: Fmt 010b, function 0, Length 1, not poisoned, as many
    // DWs as its header says)
    wire rx_cfg_wr_ok = rx_beat && rx_tlast && rx_fmt == 3'b010 && rx_type == 5'b00100
        && rx_h2_now[18:16] == 3'd0 && rx_h0_now[9:0] == 10'd1 && !rx_h0_now[14]
        && rx_body == tlp_dws_of(rx_h0_now);
    wire rx_command_write = rx_cfg_wr_ok && rx_h2_now[11:2] == 10'd1 && rx_h1_now[0];
    // Initiate Function Level Reset: Device Control (0x48) bit 15, byte 1
    wire rx_flr_write = rx_cfg_wr_ok && rx_h2_now[11:2] == 10'h12 && rx_h1_now[1]
                     && rx_h3_now[15];
    reg  f_flr_seen = 1'b0;
    always @(posedge clk)
        if (!rst && rx_flr_write)
            f_flr_seen <= 1'b1;
    // A write of PASID Control (0x14E: the DW at 0x14C, byte 2) may start
    // the IMS release sweep (design.md 5), irq_ready low for a table's cycles
    wire rx_pasid_write = rx_cfg_wr_ok && rx_h2_now[11:2] == 10'h53 && rx_h1_now[2];
    reg  f_pasid_seen = 1'b0;
    always @(posedge clk)
        if (!rst && rx_pasid_write)
            f_pasid_seen <= 1'b1;
    reg       f_bme = 1'b0;
    reg [3:0] since_command = 4'hF;      // cycles since a Command write (saturates)
    always @(posedge clk)
        if (rst) begin
            f_bme <= 1'b0;
            since_command <= 4'hF;
        end else if (rx_command_write) begin
            f_bme <= rx_h3_now[2];
            since_command <= 4'd0;
        end else if (since_command != 4'hF)
            since_command <= since_command + 4'd1;

    // ---------------------------------------------------------------
    // The tx packet as the device shows it: the DWs it has by its header
    // (CONTRACT.md "TLP framing", PCIe 2.2), and a prefix in front
    // ---------------------------------------------------------------
    wire         tx_beat = tx_tvalid && tx_tready;
    wire         tx_first, tx_pfx_now;
    wire [127:0] tx_h_now;
    wire [11:0]  tx_end;
    ims_formal_packet #(.W(W)) tx_packet (
        .clk(clk), .rst(rst), .tdata(tx_tdata), .tkeep(tx_tkeep), .tlast(tx_tlast),
        .beat(tx_beat), .first(tx_first), .pfx_now(tx_pfx_now), .pfx_dw_now(),
        .h_now(tx_h_now),
        .end_dws(tx_end), .body_dws());
    wire [31:0] tx_h0_now = tx_h_now[31:0];
    wire [31:0] tx_h1_now = tx_h_now[63:32];
    wire [31:0] tx_h2_now = tx_h_now[95:64];
    wire [31:0] tx_h3_now = tx_h_now[127:96];
    wire [11:0] tx_expect_now = tlp_dws_of(tx_h0_now) + {11'd0, tx_pfx_now};
    // A completion (Cpl, CplD, CplLk, CplDLk: Type 0101xb, no prefix)
    wire tx_is_cpl = !tx_pfx_now && tx_h0_now[28:25] == 4'b0101;
    // A message: a Memory Write (Fmt 01xb, Type 00000b)
    wire tx_is_msg = tx_h0_now[30] && tx_h0_now[28:24] == 5'b00000;
    // An Error Message: Msg (Fmt 001b) routed to the Root Complex (Type 10000b)
    wire tx_is_err_msg = !tx_pfx_now && tx_h0_now[31:24] == 8'h30;

    // ---------------------------------------------------------------
    // (1) tx is AXI4-Stream, framed as CONTRACT.md "TLP framing" says
    // ---------------------------------------------------------------
    always @(posedge clk)
        if (f_past_valid && !$past(rst) && $past(tx_tvalid && !tx_tready)) begin
            // "while tx_tvalid && !tx_tready, tvalid stays high and
            // tdata, tkeep, tlast hold" (AXI4-Stream: once TVALID is
            // asserted it must remain asserted until the handshake)
            p_tx_hold_valid: assert(tx_tvalid);
            p_tx_hold_data:  assert(tx_tdata == $past(tx_tdata) && tx_tkeep == $past(tx_tkeep)
                                    && tx_tlast == $past(tx_tlast));
        end
    always @(*)
        if (!rst && tx_tvalid) begin
            // "tkeep marks present DWs ... DW k in lane k%W of beat k/W":
            // contiguous from lane 0, full on every beat but the last
            p_tx_keep: assert(keep_contiguous(tx_tkeep) && (tx_tlast || tx_tkeep == {W{1'b1}}));
            // "tlast on its last beat": the beat that holds the DW count
            // the header (and a prefix in front of it) says
            p_tx_last: assert(tx_tlast == (tx_end >= tx_expect_now)
                              && (!tx_tlast || tx_end == tx_expect_now));
        end

    // rx_tready and irq_ready: (design.md 1, 5) both low until the reset
    // sweep is done, and they rise together; then rx_tready drops after
    // a TLP's last beat (TLPs are handled one at a time), and irq_ready is
    // high but for single cycles after a memory write (a table write
    // that clears an entry's mask bit)
    reg       f_ready_seen = 1'b0;
    reg [3:0] since_write = 4'hF;
    always @(posedge clk) begin
        if (!rst && (rx_tready || irq_ready))
            f_ready_seen <= 1'b1;
        if (rst)
            since_write <= 4'hF;
        else if (rx_mem_write)
            since_write <= 4'd0;
        else if (since_write != 4'hF)
            since_write <= since_write + 4'd1;
    end
    always @(posedge clk)
        if (f_past_valid && !rst) begin
            if (!f_ready_seen)
                p_ready_rise: assert(rx_tready == irq_ready);
            if ($past(rx_beat && rx_tlast))
                p_rx_one_at_a_time: assert(!rx_tready);
            // (an FLR resets the tables, a PASID Enable write may release
            // parked entries: irq_ready is low for their sweeps)
            if (f_ready_seen && !irq_ready && !f_flr_seen && !f_pasid_seen) begin
                p_irq_ready_high: assert(since_write <= UNMASK_WINDOW && $past(irq_ready));
            end
        end

    // ---------------------------------------------------------------
    // (7) every non-posted request gets exactly one completion, with the
    // request's Requester ID and Tag (PCIe 2.2.9), within CPL_BOUND
    // cycles in which tx_tready is high; rx never stalls: rx_tready is low
    // for at most STALL_BOUND such cycles at a time
    // ---------------------------------------------------------------
    // Requests waiting for their completion, oldest first
    reg [1:0]  np_count = 2'd0;
    reg [23:0] np_id0 = 24'd0, np_id1 = 24'd0;      // {Requester ID, Tag}
    reg [7:0]  np_age0 = 8'd0, np_age1 = 8'd0;
    wire       cpl_done = tx_beat && tx_tlast && tx_is_cpl;
    wire [23:0] rx_id = rx_h1_now[31:8];
    wire [23:0] tx_cpl_id = tx_h2_now[31:8];         // Completion DW2: Requester ID, Tag
    wire [7:0]  age_step = {7'd0, tx_tready};
    always @(posedge clk)
        if (rst) begin
            np_count <= 2'd0;
            np_age0 <= 8'd0;
            np_age1 <= 8'd0;
        end else begin
            case ({rx_request_np, cpl_done})
                2'b10: begin
                    if (np_count == 2'd0) begin
                        np_id0 <= rx_id;
                        np_age0 <= 8'd0;
                    end else begin
                        np_id1 <= rx_id;
                        np_age1 <= 8'd0;
                        np_age0 <= np_age0 + age_step;
                    end
                    np_count <= np_count + 2'd1;
                end
                2'b01: begin
                    np_id0 <= np_id1;
                    np_age0 <= np_age1 + age_step;
                    np_count <= np_count - 2'd1;
                end
                2'b11: begin
                    if (np_count == 2'd1) begin
                        np_id0 <= rx_id;
                        np_age0 <= 8'd0;
                    end else begin
                        np_id0 <= np_id1;
                        np_age0 <= np_age1 + age_step;
                        np_id1 <= rx_id;
                        np_age1 <= 8'd0;
                    end
                end
                default: begin
                    np_age0 <= np_age0 + age_step;
                    np_age1 <= np_age1 + age_step;
                end
            endcase
        end

    // (8) an Error Message is as design.md section 2 and PCIe 2.2.8.3 say:
    // TC 0, no attributes, Length 0, Tag 0, Message Code ERR_COR (30h),
    // ERR_NONFATAL (31h) or ERR_FATAL (33h), DW2 and DW3 0
    always @(*)
        if (!rst && tx_beat && tx_tlast && tx_is_err_msg)
            p_err_msg: assert(tx_h0_now == 32'h30000000 && tx_h1_now[15:8] == 8'h00
                              && (tx_h1_now[7:0] == 8'h30 || tx_h1_now[7:0] == 8'h31
                                  || tx_h1_now[7:0] == 8'h33)
                              && tx_h2_now == 32'd0 && tx_h3_now == 32'd0);

    reg [7:0] stall = 8'd0;
    always @(posedge clk)
        if (rst || rx_tready || !f_ready_seen)
            stall <= 8'd0;
        else if (tx_tready)
            stall <= stall + 8'd1;

    always @(*)
        if (!rst) begin
            // no completion that no request asked for, and for the
            // request it answers: "exactly one"
            if (cpl_done) begin
                p_cpl_requested: assert(np_count != 2'd0);
                p_cpl_matches: assert(tx_cpl_id == np_id0);
            end
            // one request at a time (design.md 2): one waiting for tx,
            // one whose completion is on the link
            p_cpl_outstanding: assert(np_count <= 2'd2);
            // within the bound
            p_cpl_bound: assert(np_count == 2'd0 || np_age0 <= CPL_BOUND);
            p_rx_no_stall: assert(stall <= STALL_BOUND);
        end

    // ---------------------------------------------------------------
    // (2) "A pending slot is sent when ... Bus Master Enable is set"
    // (CONTRACT.md; PCIe 7.5.1.1: with Bus Master Enable clear the
    // function does not issue memory requests, MSI/MSI-X writes included).
    // At the ports: a message shows its first beat only while the Bus
    // Master Enable the host wrote last is set, or within the 8 cycles
    // after that write's last beat in which design.md section 5 lets it
    // take effect
    // ---------------------------------------------------------------
    reg  f_tx_stalled = 1'b0;            // last cycle showed a beat not taken
    wire tx_start = tx_tvalid && tx_first && !(f_past_valid && f_tx_stalled);
    always @(posedge clk)
        f_tx_stalled <= !rst && tx_tvalid && !tx_tready;
    always @(*)
        if (!rst && tx_start && tx_is_msg)
            p_msg_needs_bme: assert(f_bme || since_command <= 4'd8);

    // ---------------------------------------------------------------
    // Covers: the checks above meet real traffic
    // ---------------------------------------------------------------
    always @(posedge clk)
        if (f_past_valid && !rst) begin
            c_ready:        cover(rx_tready && irq_ready);
            c_cpl:          cover(cpl_done);
            c_cpl_stalled:  cover(tx_tvalid && !tx_tready && tx_is_cpl && !tx_first);
            c_cpl_two:      cover(np_count == 2'd2);
            c_msg:          cover(tx_beat && tx_tlast && tx_is_msg);
            c_err_msg:      cover(tx_beat && tx_tlast && tx_is_err_msg);
            c_msg_stalled:  cover(tx_tvalid && !tx_tready && tx_is_msg);
            c_irq_ready_low: cover(f_ready_seen && !irq_ready);
            c_bme_set:      cover(rx_command_write && rx_h3_now[2]);
        end

endmodule

// One packet of a DW-framed AXI4-Stream (CONTRACT.md "TLP framing": DW k in
// lane k%W of beat k/W, tkeep contiguous from lane 0): the DWs before this
// beat and after it, a prefix (Fmt 100b in DW0) and the first four DWs after
// it, as the beat shown (whether taken or not) completes them.
module ims_formal_packet #(
    parameter W = 2
) (
    input  wire            clk,
    input  wire            rst,
    input  wire [32*W-1:0] tdata,
    input  wire [W-1:0]    tkeep,
    input  wire            tlast,
    input  wire            beat,        // tvalid && tready
    output wire            first,       // the beat shown is the packet's first
    output wire            pfx_now,
    output wire [31:0]     pfx_dw_now,  // the prefix DW (when pfx_now)
    output reg  [127:0]    h_now,       // DW j after the prefix: bits 32j+31:32j
    output wire [11:0]     end_dws,     // DWs up to and with the beat shown
    output wire [11:0]     body_dws     // ...of them after the prefix
);

    reg [11:0]  pos = 12'd0;            // DWs before the beat shown
    reg         pfx = 1'b0;
    reg [31:0]  pfx_dw = 32'd0;
    reg [127:0] h = 128'd0;

    function [3:0] popcount;
        input [W-1:0] keep;
        integer i;
        begin
            popcount = 4'd0;
            for (i = 0; i < W; i = i + 1)
                popcount = popcount + {3'd0, keep[i]};
        end
    endfunction

    assign first = pos == 12'd0;
    assign pfx_now = first ? tkeep[0] && tdata[31:29] == 3'b100 : pfx;
    assign pfx_dw_now = first ? tdata[31:0] : pfx_dw;
    assign end_dws = pos + {8'd0, popcount(tkeep)};
    assign body_dws = end_dws - {11'd0, pfx_now};

    integer l, j;
    always @(*) begin
        h_now = h;
        for (l = 0; l < W; l = l + 1)
            for (j = 0; j < 4; j = j + 1)
                if (tkeep[l] && pos + l == {11'd0, pfx_now} + j)
                    h_now[32*j +: 32] = tdata[32*l +: 32];
    end

    always @(posedge clk)
        if (rst) begin
            pos <= 12'd0;
            pfx <= 1'b0;
            pfx_dw <= 32'd0;
            h <= 128'd0;
        end else if (beat) begin
            pos <= tlast ? 12'd0 : end_dws;
            pfx <= pfx_now;
            pfx_dw <= pfx_dw_now;
            h <= tlast ? 128'd0 : h_now;
        end

endmodule

`resetall
