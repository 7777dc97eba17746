// SPDX-License-Identifier: MIT
//
// ims_req_handler: decodes each request TLP from the host and carries it
// out (docs/design.md section 2): configuration reads and writes, BAR0
// memory reads and writes, and a completion for every non-posted request.
//
//   CfgRd0/CfgWr0, function 0, Length 1      -> config space, SC
//   MRd in BAR0, MSE set, 1 DW or aligned QW  -> read, CplD SC
//   MRd in BAR0 with any other length         -> CA
//   MRd outside BAR0 or MSE clear, other non-posted requests -> UR
//   MWr in BAR0, MSE set, 1 DW or aligned QW, not poisoned -> performed
//   other posted requests, completions, messages -> dropped
//   malformed TLPs (a DW count that disagrees with the header, a packet
//   the deframer flags bad, config/I/O requests in 4DW or with Length
//   != 1, a TLP prefix the function does not support, ...) -> dropped,
//   never completed
//   an End-End prefix other than a PASID, or a PASID on a request while
//   PASID Enable is clear or on one that is not a memory request -> UR
//   (design.md 2, "TLP prefixes")
//
// Each TLP's error, if any (the "error logged" column of design.md
// section 2), goes to ims_error_log in ACT with the TLP's header; the Error
// Message it decides on leaves after the completion, on the completion
// port, before the next request is decoded.
//
// BAR0 map: the regions of hdl/ims_regmap.vh (docs/design.md section 4:
// device registers, MSI-X table, MSI-X PBA, IMS table). Every BAR0 access is one QW
// access of the target (strobes pick DWs and bytes), so a QW write to a
// table entry lands in one cycle and the engine never sees half of it.
//
// One request at a time, in three steps (FSM states below):
//   DECODE  the deframer's TLP is decoded into registers (the header
//           fields, the BAR0 target, the completion's Byte Count and Lower
//           Address) and the decision is taken: what ACT does, its write
//           strobes as registers
//   ACT     writes land at the next edge; read addresses are presented
//           and held
//   READ    three cycles later (a BAR0 read: four) the targets'
//           registered read data is there and is registered; then the
//           completion (of any kind, noted in ACT) is built from
//           registers. Targets present their data two cycles after the
//           address and hold it; the tables' pending bits take three
//           (their block RAM's read has a cycle of routing of its own).
//           The last cycle lets a target register what it derives from
//           its RAMs' outputs.
// so a write takes effect 3 cycles after its last beat was accepted. The
// deframer is released when the request is finished (performed, or its
// completion taken by tx), so the next TLP's last beat is only accepted
// when it can be handled at once: design.md's bound on write latency holds.

`timescale 1ns / 1ps
`default_nettype none
`include "ims_params.vh"

module ims_req_handler #(
    // Table sizes (ims_endpoint's): accesses beyond them read 0, writes are dropped
    parameter MSIX_TABLE_SIZE = 64,     // 0 .. 2048
    parameter IMS_SIZE = 256,           // 0 .. 32768
    // 1: End-End TLP Prefixes supported (the deframer sets DW0's prefix
    // apart); 0: none, a prefix is a reserved Fmt (Malformed)
    parameter PASID_CAP = 1
) (
    input  wire         clk,
    input  wire         rst,

    // The collected request
    input  wire         tlp_valid,
    input  wire [191:0] tlp_dws,
    input  wire [11:0]  tlp_ndw,
    input  wire [11:0]  tlp_expected_ndw,   // what its header announces
    input  wire [1:0]   tlp_length_1_2,     // {Length is 2, Length is 1}, registered
    input  wire         tlp_bar_hit_3dw,    // its address in BAR0 (ims_rx_deframer)
    input  wire         tlp_bar_hit_4dw,
    input  wire         tlp_headerless,     // fewer than 2 DWs, or bad framing
    input  wire         tlp_prefixed,       // a prefix came before tlp_dws
    input  wire [31:0]  tlp_prefix,
    input  wire         pasid_enable,       // PASID Control PASID Enable
    output wire         tlp_done,
    // Decode nothing (a Function Level Reset is pending or running);
    // idle: no request in hand, no completion waiting
    input  wire         hold,
    output wire         idle,

    // Identity captured from configuration writes
    output wire [15:0]  function_id,
    output wire         function_id_changed,

    // Configuration space (read data: one cycle after cfg_reg_num).
    // cfg_reg_num takes cfg_reg_num_next at an edge with cfg_reg_num_load
    // high and holds it until the request is done; cfg_write comes in the
    // cycle after such an edge, so a receiver may register its decode of
    // cfg_reg_num_next and decide a write one gate from registers
    output wire [9:0]   cfg_reg_num,
    output wire [9:0]   cfg_reg_num_next,
    output wire         cfg_reg_num_load,
    input  wire [31:0]  cfg_rdata,
    output wire         cfg_write,
    output wire [31:0]  cfg_wdata,
    output wire [3:0]   cfg_wbe,
    input  wire         memory_space_enable,

    // Device registers (read data: one cycle after regs_qw_index)
    output wire [8:0]   regs_qw_index,
    input  wire [63:0]  regs_rdata,
    output wire         regs_write,
    output wire [63:0]  regs_wdata,
    output wire [7:0]   regs_wstrb,

    // Table stores (0: MSI-X, 1: IMS), one access port shared by both:
    // read data (held) at most four cycles after table_index / table_qw.
    // While the stores' reset sweeps run (table_sweeping, from the first
    // cycle after table_sweep_start), table_index counts with them, one
    // entry a cycle from 0: each store writes its reset entries at it, so
    // its table's address pins are driven by this register alone
    input  wire         table_sweep_start,
    input  wire         table_sweeping,
    output wire [1:0]   table_write,
    output wire [14:0]  table_index,
    output wire [127:0] table_wdata,
    output wire [15:0]  table_wstrb,
    output wire [8:0]   table_qw,
    input  wire [255:0] table_rdata,     // store s: bits 128s+127:128s
    /* verilator lint_off UNUSEDSIGNAL */
    input  wire [127:0] table_pending,   // store s: bits 64s+63:64s (IMS has no PBA)
    /* verilator lint_on UNUSEDSIGNAL */

    // The TLP's error, to ims_error_log (in ACT); the Error Message it decides
    output wire         err_valid,
    output wire [4:0]   err_class,           // {UR, Malformed, UC, CA, Poisoned}
    output wire         err_completed,
    output wire [127:0] err_header,
    output wire         err_prefixed,        // err_prefix is the TLP's End-End prefix
    output wire [31:0]  err_prefix,
    output wire         poisoned_received,
    input  wire         log_busy,            // the error is being logged
    input  wire         msg_due,             // (valid when log_busy is low)
    input  wire [7:0]   msg_code,
    output wire         msg_taken,

    // Completion (or Error Message) to the tx framer
    output wire         cpl_valid,
    output wire         cpl_next,         // cpl_valid rises at this edge
    output wire [191:0] cpl_dws,
    output wire [2:0]   cpl_ndw,
    input  wire         cpl_take
);

    // Illegal parameters stop elaboration with the instance's name
    initial begin
        `IMS_CHECK_MSIX_TABLE_SIZE("MSIX_TABLE_SIZE", MSIX_TABLE_SIZE)
        `IMS_CHECK_IMS_SIZE("IMS_SIZE", IMS_SIZE)
        `IMS_CHECK_RANGE("PASID_CAP", PASID_CAP, 0, 1)
    end

`include "ims_regmap.vh"

    localparam [2:0] CPL_SC = 3'b000;
    localparam [2:0] CPL_UR = 3'b001;
    localparam [2:0] CPL_CA = 3'b100;

    // FSM states
    localparam [3:0] STATE_IDLE  = 4'd0;   // wait for a request, decode it
    localparam [3:0] STATE_ACT   = 4'd1;   // perform it, note the completion due
    localparam [3:0] STATE_WAIT  = 4'd2;   // read data on its way
    localparam [3:0] STATE_WAIT2 = 4'd6;   // ...
    localparam [3:0] STATE_WAIT3 = 4'd8;   // ...and held
    localparam [3:0] STATE_READ  = 4'd3;   // read data here: register it
    localparam [3:0] STATE_BUILD = 4'd5;   // build the completion
    localparam [3:0] STATE_CPL   = 4'd4;   // completion (or message) waits for tx
    localparam [3:0] STATE_ERR   = 4'd7;   // a posted TLP's error: message due?

    // The completion a non-posted request gets (noted in ACT, built in READ)
    localparam [2:0] CPL_FOR_CFG_WR = 3'd0;   // Cpl SC
    localparam [2:0] CPL_FOR_CFG_RD = 3'd1;   // CplD SC, the config DW
    localparam [2:0] CPL_FOR_MEM_RD = 3'd2;   // CplD SC, 1 or 2 DWs of BAR0
    localparam [2:0] CPL_FOR_UR     = 3'd3;   // Cpl UR (CplLk for MRdLk)
    localparam [2:0] CPL_FOR_CA     = 3'd4;   // Cpl CA
    localparam [2:0] CPL_FOR_MSG    = 3'd5;   // the Error Message

    reg [3:0]   state_reg;
    reg         msg_phase_reg;    // the completion port carries the Error Message
    reg [12:0]  bus_device_reg;
    reg [191:0] cpl_dws_reg;
    reg [2:0]   cpl_ndw_reg;

    // =================================================================
    // DECODE: combinational from the deframer's registers
    // =================================================================
    /* verilator lint_off UNUSEDSIGNAL */
    wire [31:0] dw0 = tlp_dws[31:0];     // T9/T8, LN, TH, TD, AT unused
    /* verilator lint_on UNUSEDSIGNAL */
    wire [31:0] dw1 = tlp_dws[63:32];
    wire [31:0] dw2 = tlp_dws[95:64];
    wire [31:0] dw3 = tlp_dws[127:96];
    wire [31:0] dw4 = tlp_dws[159:128];
    wire [31:0] dw5 = tlp_dws[191:160];

    wire [2:0]  fmt = dw0[31:29];
    wire [4:0]  type_ = dw0[28:24];
    wire [9:0]  length_field = dw0[9:0];
    wire [10:0] length = (length_field == 10'd0) ? 11'd1024 : {1'b0, length_field};
    // (the two lengths that matter, compared in the deframer)
    wire length1 = tlp_length_1_2[0];
    wire length2 = tlp_length_1_2[1];
    wire [3:0]  last_be = dw1[7:4];
    wire [3:0]  first_be = dw1[3:0];

    wire has_data = fmt[1];
    wire four_dw = fmt[0];
    wire fmt_reserved = fmt[2];   // 1xxb: not a request header
    /* verilator lint_off UNUSEDSIGNAL */
    wire [63:0] address = four_dw ? {dw2, dw3[31:2], 2'b00} : {32'd0, dw2[31:2], 2'b00};
    /* verilator lint_on UNUSEDSIGNAL */
    wire [31:0] payload0 = four_dw ? dw4 : dw3;
    wire [31:0] payload1 = four_dw ? dw5 : dw4;

    // Request classes (PCIe Table 2-3, Fmt/Type encodings)
    wire is_mem = type_ == 5'b00000 && !fmt_reserved;
    wire is_mem_rd_locked = type_ == 5'b00001 && !has_data && !fmt_reserved;
    // (I/O and config requests in a 4DW format are malformed: below)
    wire is_io = type_ == 5'b00010 && !fmt_reserved;
    wire is_cfg0 = type_ == 5'b00100 && !fmt_reserved;
    wire is_cfg1 = type_ == 5'b00101 && !fmt_reserved;
    wire is_cas = type_ == 5'b01110;
    wire is_atomic = (type_ == 5'b01100 || type_ == 5'b01101 || is_cas) && has_data && !fmt_reserved;
    wire is_cpl = type_[4:1] == 4'b0101;
    wire is_msg = type_[4:3] == 2'b10;

    // Malformed (PCIe 2.3, 2.2.7; never completed): a packet without DW0
    // and DW1 of a header (only prefixes, or one DW: no Requester ID and
    // Tag to complete to), one the deframer flags bad, a reserved Fmt after
    // the prefix, a config or I/O request in a 4DW format or with Length
    // != 1. (A DW count that disagrees with the header is checked in ACT.)
    // (two DWs or more and good framing: one register from the deframer,
    // as this is in front of every write strobe)
    wire has_header = !tlp_headerless;
    wire cfg_or_io_bad = (is_cfg0 || is_cfg1 || is_io) && (four_dw || !length1);
    // TLP prefixes (PCIe 2.2.10; the deframer set a prefix in DW0 apart,
    // only with PASID_CAP): a Local prefix (Type 0xxxxb) is of a type this
    // function does not support, Malformed with Extended Fmt Field
    // Supported set (2.2.10.2); a second prefix behind an End-End one is
    // more End-End prefixes than Max End-End TLP Prefixes (1), or a Local
    // one after an End-End one: both Malformed (2.2.10.4), and a reserved
    // Fmt above. Without PASID_CAP a prefix is DW0 here: a reserved Fmt,
    // Malformed as 2.2.10.4 says of a receiver without End-End support.
    wire pfx_local = PASID_CAP != 0 && tlp_prefixed && !tlp_prefix[28];
    wire pfx_e2e = PASID_CAP != 0 && tlp_prefixed && tlp_prefix[28];
    wire pfx_pasid = pfx_e2e && tlp_prefix[27:24] == 4'b0001;
    wire malformed = !has_header || fmt_reserved || cfg_or_io_bad || pfx_local;

    // An End-End prefix that makes the request an Unsupported Request:
    // a type this function does not support (2.2.10.4: "an unsupported
    // End-End TLP Prefix type" is an Unsupported Request), a PASID while
    // PASID Enable is clear (6.20.2.2: "Endpoints that support PASID must
    // signal Unsupported Request (UR) when they receive a TLP with a PASID
    // and the PASID Enable bit is Clear"), and a PASID on a request that
    // is not a memory request (6.20: "PASID is not permitted on any other
    // type of TLP"). A completion with one stays an Unexpected Completion.
    wire pfx_ur = pfx_e2e && !is_cpl && !(pfx_pasid && pasid_enable && (is_mem || is_atomic));

    // Non-posted: the known ones, and any unknown type without data
    wire non_posted = !malformed && ((is_mem && !has_data) || is_mem_rd_locked
                    || is_io || is_cfg0 || is_cfg1 || is_atomic || (!has_data && !is_cpl && !is_msg));

    // BAR0 regions (a region: the bits of its base above its size) and entries
    /* verilator lint_off UNUSEDSIGNAL */
    wire [19:0] offset = address[19:0];   // bits 1:0 are always 0
    /* verilator lint_on UNUSEDSIGNAL */
    wire in_msix_pba = offset[19:BAR0_MSIX_PBA_BITS] == BAR0_MSIX_PBA[19:BAR0_MSIX_PBA_BITS];
    wire in_ims_table = offset[19:BAR0_IMS_TABLE_BITS] == BAR0_IMS_TABLE[19:BAR0_IMS_TABLE_BITS];
    // (an entry is ENTRY_SIZE = 16 bytes: its index is the offset's bits 4 up)
    wire [14:0] msix_entry = {4'd0, offset[BAR0_MSIX_TABLE_BITS-1:4]};
    wire [14:0] ims_entry = offset[BAR0_IMS_TABLE_BITS-1:4];
    localparam [31:0] MSIX_ENTRIES = MSIX_TABLE_SIZE;
    localparam [31:0] IMS_ENTRIES = IMS_SIZE;
    wire [4:0] pba_qw = offset[BAR0_MSIX_PBA_BITS-1:3];

    // What an offset hits: {an IMS entry, a PBA QW, an MSI-X entry, the
    // device registers}, each in its region and within the store's size
    function [3:0] region_hits;
        /* verilator lint_off UNUSEDSIGNAL */
        input [19:0] off;
        /* verilator lint_on UNUSEDSIGNAL */
        reg [14:0] msix_at, ims_at;
        reg [4:0]  pba_at;
        begin
            msix_at = {4'd0, off[BAR0_MSIX_TABLE_BITS-1:4]};
            ims_at = off[BAR0_IMS_TABLE_BITS-1:4];
            pba_at = off[BAR0_MSIX_PBA_BITS-1:3];
            /* verilator lint_off UNSIGNED */   // a size of 0 means the store is absent
            region_hits = {off[19:BAR0_IMS_TABLE_BITS] == BAR0_IMS_TABLE[19:BAR0_IMS_TABLE_BITS]
                               && {17'd0, ims_at} < IMS_ENTRIES,
                           off[19:BAR0_MSIX_PBA_BITS] == BAR0_MSIX_PBA[19:BAR0_MSIX_PBA_BITS]
                               && {21'd0, pba_at, 6'd0} < MSIX_ENTRIES,
                           off[19:BAR0_MSIX_TABLE_BITS] == BAR0_MSIX_TABLE[19:BAR0_MSIX_TABLE_BITS]
                               && {17'd0, msix_at} < MSIX_ENTRIES,
                           off[19:BAR0_DEV_REGS_BITS] == BAR0_DEV_REGS[19:BAR0_DEV_REGS_BITS]};
            /* verilator lint_on UNSIGNED */
        end
    endfunction
    // Both places the address may be in are decoded, then one result is
    // chosen by the header's size: four_dw, a register with a hundred
    // loads, is the last LUT before the write strobes, not the first
    wire [3:0] hits = four_dw ? region_hits({dw3[19:2], 2'b00}) : region_hits({dw2[19:2], 2'b00});
    wire hit_ims = hits[3], hit_pba = hits[2], hit_msix = hits[1], hit_regs = hits[0];

    // The access as one QW: data and byte strobes
    wire [63:0] qw_wdata = length2 ? {payload1, payload0}
                         : (offset[2] ? {payload0, 32'd0} : {32'd0, payload0});
    wire [7:0]  qw_wstrb = length2 ? {last_be, first_be}
                         : (offset[2] ? {first_be, 4'd0} : {4'd0, first_be});

    // Completion fields (PCIe 2.2.9): Byte Count and Lower Address.
    // Offset of the first enabled byte (0 when First BE is 0000b)
    wire [1:0] first_offset = first_be[0] ? 2'd0 : first_be[1] ? 2'd1
                            : first_be[2] ? 2'd2 : first_be[3] ? 2'd3 : 2'd0;
    // Bytes missing after the last enabled byte of the last DW
    wire [3:0] end_be = length1 ? first_be : last_be;
    wire [1:0] last_gap = end_be[3] ? 2'd0 : end_be[2] ? 2'd1 : end_be[1] ? 2'd2
                        : end_be[0] ? 2'd3 : 2'd0;
    wire is_read = (is_mem && !has_data) || is_mem_rd_locked;

    // =================================================================
    // Decoded request (registers written in STATE_IDLE)
    // =================================================================
    reg         q_non_posted_reg, q_has_data_reg;
    reg         q_malformed_reg, q_posted_ur_reg, q_posted_ca_reg, q_poisoned_wr_reg;
    reg         q_unexpected_cpl_reg, q_poisoned_reg, q_log_dw3_reg, q_prefixed_reg;
    reg         q_locked_reg, q_length2_reg;
    reg [5:0]   q_rsel_reg;     // read source: regs, MSI-X lo/hi, PBA, IMS lo/hi
    reg         q_hi_dw_reg, q_hi_qw_reg;
    // What ACT does, decided here (Memory Space Enable and BAR0 only change
    // by a config write, which is finished before the next request decodes)
    reg         q_length_ok_reg, q_act_cfg_reg, q_act_mem_rd_reg, q_act_ca_reg;
    // The write strobes of ACT, as registers (high for exactly the ACT cycle;
    // the config write's but for the length check)
    reg         cfg_write_reg, regs_write_reg;
    reg [1:0]   table_write_reg;
    reg [2:0]   q_tc_reg;
    reg [1:0]   q_attr_reg;
    reg         q_attr2_reg;
    reg [15:0]  q_requester_reg;
    reg [7:0]   q_tag_reg;
    // Byte Count pieces (the count is computed in ACT)
    reg [10:0]  q_length_reg;
    reg [1:0]   q_first_offset_reg, q_last_gap_reg;
    reg         q_read_reg, q_atomic_reg, q_cas_reg, q_one_byte_reg;
    reg [6:0]   q_lower_address_reg;
    reg [9:0]   q_cfg_reg_num_reg;
    reg [12:0]  q_cfg_bus_device_reg;
    reg [31:0]  q_cfg_wdata_reg;
    reg [3:0]   q_first_be_reg;
    reg         q_cfg_new_bus_device_reg;
    reg [8:0]   q_regs_qw_reg;
    reg [14:0]  q_entry_reg;
    reg [8:0]   q_table_qw_reg;
    reg [63:0]  q_qw_wdata_reg;
    reg [7:0]   q_qw_wstrb_reg;

    wire decode = state_reg == STATE_IDLE && tlp_valid && !hold;

    // The decision (design.md section 2)
    wire poisoned = dw0[14];
    // whether the DWs announced arrived is registered apart and enters
    // every decision in ACT (one gate after registers)
    wire length_ok = tlp_ndw == tlp_expected_ndw;
    wire qw_ok = length1 || (length2 && !address[2]);
    // A poisoned config write is discarded and answered UR (PCIe 2.7.2.2);
    // (non_posted already excludes config requests in 4DW or with Length != 1)
    wire do_cfg = non_posted && is_cfg0 && dw2[18:16] == 3'd0 && !(has_data && poisoned)
               && !pfx_ur;
    // ADDRESS in BAR0 (the deframer compared the address DWs)
    wire bar_hit = four_dw ? tlp_bar_hit_4dw : tlp_bar_hit_3dw;
    wire bar_ok = memory_space_enable && bar_hit;
    wire do_mem_rd = non_posted && is_mem && !has_data && bar_ok && qw_ok && !pfx_ur;
    wire do_ca = non_posted && is_mem && !has_data && bar_ok && !qw_ok && !pfx_ur;
    // Errors of posted TLPs and completions (design.md section 2)
    wire mem_wr = !malformed && is_mem && has_data && !pfx_ur;
    wire do_mem_wr = mem_wr && bar_ok && qw_ok && !poisoned;
    wire is_vendor_msg0 = is_msg && dw1[7:0] == 8'h7E;   // Vendor_Defined Type 0 (PCIe 2.2.8.6)
    wire other_with_data = has_data && !non_posted && !is_mem && !is_msg && !is_cpl;
    wire posted_ur = (mem_wr && !bar_ok)
                   || (!malformed && (is_vendor_msg0 || other_with_data || (pfx_ur && !non_posted)));
    wire posted_ca = mem_wr && bar_ok && !qw_ok;
    wire poisoned_wr = mem_wr && bar_ok && qw_ok && poisoned;
    wire unexpected_cpl = !malformed && is_cpl;

    always @(posedge clk) begin
        if (rst) begin
            cfg_write_reg <= 1'b0;
            regs_write_reg <= 1'b0;
            table_write_reg <= 2'b00;
        end else begin
            // decode is always followed by ACT. The memory write strobes
            // take the length check here, so that they leave as registers
            // (they fan out to the stores' RAMs and the engine's snoops)
            cfg_write_reg <= decode && do_cfg && has_data;
            regs_write_reg <= decode && do_mem_wr && hit_regs && length_ok;
            table_write_reg <= {2{decode && do_mem_wr && length_ok}} & {hit_ims, hit_msix};
        end
    end

    always @(posedge clk) begin
        if (decode) begin
            q_non_posted_reg <= non_posted;
            q_has_data_reg <= has_data;
            q_malformed_reg <= malformed;
            q_posted_ur_reg <= posted_ur;
            q_posted_ca_reg <= posted_ca;
            q_poisoned_wr_reg <= poisoned_wr;
            q_unexpected_cpl_reg <= unexpected_cpl;
            q_poisoned_reg <= !malformed && has_data && poisoned;
            // (a 4DW header; or a TLP whose DW0 is a prefix: the Header
            // Log then holds its first four DWs, PCIe 6.2.4.4)
            q_log_dw3_reg <= four_dw || fmt_reserved;
            q_prefixed_reg <= pfx_e2e;
            q_length_ok_reg <= length_ok;
            q_act_cfg_reg <= do_cfg;
            q_act_mem_rd_reg <= do_mem_rd;
            q_act_ca_reg <= do_ca;
            q_locked_reg <= is_mem_rd_locked;
            q_length2_reg <= length2;
            // the QW a read returns (none: 0), decided here so that READ
            // only selects
            q_rsel_reg <= {hit_ims && offset[3], hit_ims && !offset[3], hit_pba,
                           hit_msix && offset[3], hit_msix && !offset[3], hit_regs};
            q_hi_dw_reg <= !length2 && offset[2];
            q_hi_qw_reg <= offset[3];
            q_tc_reg <= dw0[22:20];
            q_attr2_reg <= dw0[18];
            q_attr_reg <= dw0[13:12];
            q_requester_reg <= dw1[31:16];
            q_tag_reg <= dw1[15:8];
            q_length_reg <= length;
            q_first_offset_reg <= first_offset;
            q_last_gap_reg <= last_gap;
            q_read_reg <= is_read;
            q_atomic_reg <= is_atomic;
            q_cas_reg <= is_cas;
            q_one_byte_reg <= length1 && first_be == 4'd0;
            q_lower_address_reg <= is_read ? {address[6:2], first_offset} : 7'd0;
            q_cfg_reg_num_reg <= dw2[11:2];
            q_cfg_bus_device_reg <= dw2[31:19];
            // (bus_device_reg changes only in a config write's ACT, so it
            // is the same in this request's ACT)
            q_cfg_new_bus_device_reg <= dw2[31:19] != bus_device_reg;
            q_cfg_wdata_reg <= dw3;
            q_first_be_reg <= first_be;
            q_regs_qw_reg <= offset[11:3];
            q_table_qw_reg <= in_msix_pba ? {4'd0, pba_qw}
                            : (in_ims_table ? ims_entry[14:6] : msix_entry[14:6]);
            q_qw_wdata_reg <= qw_wdata;
            q_qw_wstrb_reg <= qw_wstrb;
        end
    end

    // =================================================================
    // The table index: the request's entry, or the reset sweep's (decode
    // waits while the stores sweep: hold)
    always @(posedge clk) begin
        if (table_sweep_start)
            q_entry_reg <= 15'd0;
        else if (table_sweeping)
            q_entry_reg <= q_entry_reg + 15'd1;
        else if (decode)
            q_entry_reg <= in_ims_table ? ims_entry : msix_entry;
    end

    // ACT: what to do, from the decoded registers
    // =================================================================
    wire act_cfg = q_act_cfg_reg && q_length_ok_reg;
    wire act_mem_rd = q_act_mem_rd_reg && q_length_ok_reg;
    wire act_ca = q_act_ca_reg && q_length_ok_reg;
    wire act_ur = q_non_posted_reg && q_length_ok_reg && !act_cfg && !act_mem_rd && !act_ca;

    // The TLP's error: one class, most significant first (PCIe 6.2.3.2.3)
    wire act_malformed = q_malformed_reg || !q_length_ok_reg;
    wire act_ok = !act_malformed;
    assign err_class = {act_ur || (act_ok && q_posted_ur_reg), act_malformed,
                        act_ok && q_unexpected_cpl_reg, act_ca || (act_ok && q_posted_ca_reg),
                        act_ok && q_poisoned_wr_reg};
    assign err_valid = acting && |err_class;
    assign err_completed = act_ur || act_ca;
    // the header as received (DW3 of a 3DW header: 0)
    assign err_header = {q_log_dw3_reg ? dw3 : 32'd0, dw2, dw1, dw0};
    // only End-End prefixes are logged (PCIe 6.2.4.4, the TLP Prefix Log);
    // the deframer holds the prefix as it holds the DWs
    assign err_prefixed = q_prefixed_reg;
    assign err_prefix = tlp_prefix;
    assign poisoned_received = acting && act_ok && q_poisoned_reg;

    wire acting = state_reg == STATE_ACT;
    wire cfg_wr = cfg_write_reg && q_length_ok_reg;

    assign regs_qw_index = q_regs_qw_reg;
    assign regs_write = regs_write_reg;
    assign regs_wdata = q_qw_wdata_reg;
    assign regs_wstrb = q_qw_wstrb_reg;

    // ...placed in a 16-byte table entry
    assign table_index = q_entry_reg;
    assign table_qw = q_table_qw_reg;
    assign table_wdata = q_hi_qw_reg ? {q_qw_wdata_reg, 64'd0} : {64'd0, q_qw_wdata_reg};
    assign table_wstrb = q_hi_qw_reg ? {q_qw_wstrb_reg, 8'd0} : {8'd0, q_qw_wstrb_reg};
    assign table_write = table_write_reg;

    // =================================================================
    // READ: the addressed QW, four cycles after ACT (three for config)
    // =================================================================
    wire [127:0] msix_entry_read = table_rdata[127:0];
    wire [127:0] ims_entry_read = table_rdata[255:128];
    wire [63:0] read_qw = ({64{q_rsel_reg[0]}} & regs_rdata)
                        | ({64{q_rsel_reg[1]}} & msix_entry_read[63:0])
                        | ({64{q_rsel_reg[2]}} & msix_entry_read[127:64])
                        | ({64{q_rsel_reg[3]}} & table_pending[63:0])
                        | ({64{q_rsel_reg[4]}} & ims_entry_read[63:0])
                        | ({64{q_rsel_reg[5]}} & ims_entry_read[127:64]);
    reg [2:0]  cpl_for_reg;     // the completion due (noted in ACT)
    // registered in READ; the DWs of the completion are chosen in BUILD
    reg [63:0] read_qw_reg;
    reg [31:0] cfg_read_reg;
    wire [31:0] rd0 = (cpl_for_reg == CPL_FOR_CFG_RD) ? cfg_read_reg
                    : q_hi_dw_reg ? read_qw_reg[63:32] : read_qw_reg[31:0];
    wire [31:0] rd1 = read_qw_reg[63:32];

    // =================================================================
    // The completion
    // =================================================================
    wire [12:0] bus_device_next = cfg_wr ? q_cfg_bus_device_reg : bus_device_reg;
    wire [15:0] completer_id = {bus_device_reg, 3'b000};

    // Error Message (PCIe 2.2.8.3): Msg routed to the Root Complex, 4DW
    // header, Tag 0, no data
    wire [191:0] error_message = {64'd0, 32'd0, 32'd0, {completer_id, 8'd0, msg_code},
                                  {3'b001, 5'b10000, 24'd0}};

    // Completion TLP; a Memory Read Locked is answered by CplLk (PCIe Table 2-3)
    function [191:0] completion;
        input [2:0]  status;
        input [1:0]  data_dws;     // 0, 1 or 2
        input [31:0] data0;
        input [31:0] data1;
        input [15:0] completer;
        reg   [31:0] c0, c1, c2;
        begin
            c0 = {(data_dws != 2'd0) ? 3'b010 : 3'b000, q_locked_reg ? 5'b01011 : 5'b01010,
                  1'b0, q_tc_reg, 1'b0, q_attr2_reg,
                  4'b0000, q_attr_reg, 2'b00, 8'd0, data_dws};
            c1 = {completer, status, 1'b0, byte_count_reg};
            c2 = {q_requester_reg, q_tag_reg, 1'b0, q_lower_address_reg};
            completion = {32'd0, (data_dws == 2'd2) ? data1 : 32'd0,
                          (data_dws != 2'd0) ? data0 : 32'd0, c2, c1, c0};
        end
    endfunction

    // Byte Count (PCIe 2.2.9), registered in ACT: a read counts its enabled
    // bytes, and a read of Length 1 with First BE 0000b one byte; 4096
    // bytes encodes as 0, so bit 12 is dropped. An AtomicOp counts its
    // operand size (CAS carries two operands), anything else 4.
    /* verilator lint_off UNUSEDSIGNAL */
    wire [12:0] read_byte_count = q_one_byte_reg ? 13'd1
                                : {q_length_reg, 2'b00} - {11'd0, q_first_offset_reg}
                                  - {11'd0, q_last_gap_reg};
    wire [12:0] atomic_byte_count = q_cas_reg ? {1'b0, q_length_reg, 1'b0} : {q_length_reg, 2'b00};
    /* verilator lint_on UNUSEDSIGNAL */
    reg [11:0] byte_count_reg;
    always @(posedge clk)
        if (acting)
            byte_count_reg <= q_read_reg ? read_byte_count[11:0]
                            : q_atomic_reg ? atomic_byte_count[11:0] : 12'd4;


    // The completion was taken at the last edge; the handler leaves
    // STATE_CPL now (cpl_valid is already low)
    reg cpl_taken_reg;
    always @(posedge clk)
        cpl_taken_reg <= !rst && cpl_take;

    always @(posedge clk) begin
        if (rst) begin
            state_reg <= STATE_IDLE;
            bus_device_reg <= 13'd0;
            cpl_dws_reg <= 192'd0;
            cpl_ndw_reg <= 3'd0;
            cpl_for_reg <= CPL_FOR_UR;
            msg_phase_reg <= 1'b0;
        end else begin
            // a config write captures Bus/Device Number (PCIe 2.2.6.2); its
            // completion, built later, carries them
            bus_device_reg <= bus_device_next;
            case (state_reg)
                STATE_IDLE: if (decode) state_reg <= STATE_ACT;
                STATE_ACT: begin
                    cpl_for_reg <= act_cfg ? (q_has_data_reg ? CPL_FOR_CFG_WR : CPL_FOR_CFG_RD)
                                 : act_mem_rd ? CPL_FOR_MEM_RD
                                 : act_ca ? CPL_FOR_CA : CPL_FOR_UR;
                    state_reg <= (act_cfg || act_mem_rd || act_ur || act_ca) ? STATE_WAIT
                               : err_valid ? STATE_ERR : STATE_IDLE;
                end
                // (ims_error_log decides one cycle after ACT)
                STATE_ERR: if (!log_busy) begin
                    if (msg_due) begin
                        cpl_for_reg <= CPL_FOR_MSG;
                        msg_phase_reg <= 1'b1;
                        state_reg <= STATE_BUILD;
                    end else
                        state_reg <= STATE_IDLE;
                end
                STATE_WAIT: state_reg <= STATE_WAIT2;
                // (only a BAR0 read waits for the tables' third cycle)
                STATE_WAIT2: state_reg <= (cpl_for_reg == CPL_FOR_MEM_RD) ? STATE_WAIT3
                                                                          : STATE_READ;
                STATE_WAIT3: state_reg <= STATE_READ;
                STATE_READ: begin
                    read_qw_reg <= read_qw;
                    cfg_read_reg <= cfg_rdata;
                    state_reg <= STATE_BUILD;
                end
                STATE_BUILD: begin
                    case (cpl_for_reg)
                        CPL_FOR_CFG_WR: begin
                            cpl_dws_reg <= completion(CPL_SC, 2'd0, 32'd0, 32'd0, completer_id);
                            cpl_ndw_reg <= 3'd3;
                        end
                        CPL_FOR_CFG_RD: begin
                            cpl_dws_reg <= completion(CPL_SC, 2'd1, rd0, 32'd0, completer_id);
                            cpl_ndw_reg <= 3'd4;
                        end
                        CPL_FOR_MEM_RD: begin
                            cpl_dws_reg <= completion(CPL_SC, q_length2_reg ? 2'd2 : 2'd1,
                                                      rd0, rd1, completer_id);
                            cpl_ndw_reg <= q_length2_reg ? 3'd5 : 3'd4;
                        end
                        CPL_FOR_MSG: begin
                            cpl_dws_reg <= error_message;
                            cpl_ndw_reg <= 3'd4;
                        end
                        default: begin
                            cpl_dws_reg <= completion((cpl_for_reg == CPL_FOR_CA) ? CPL_CA : CPL_UR,
                                                      2'd0, 32'd0, 32'd0, completer_id);
                            cpl_ndw_reg <= 3'd3;
                        end
                    endcase
                    state_reg <= STATE_CPL;
                end
                // (one edge after the take: cpl_take, which comes from
                // tx_tready through the framer, ends at a register)
                STATE_CPL: if (cpl_taken_reg) begin
                    if (!msg_phase_reg && msg_due) begin
                        cpl_for_reg <= CPL_FOR_MSG;
                        msg_phase_reg <= 1'b1;
                        state_reg <= STATE_BUILD;
                    end else begin
                        msg_phase_reg <= 1'b0;
                        state_reg <= STATE_IDLE;
                    end
                end
                default: state_reg <= STATE_IDLE;
            endcase
        end
    end

    wire posted_done = acting && !act_cfg && !act_mem_rd && !act_ur && !act_ca;
    assign tlp_done = posted_done || (state_reg == STATE_CPL && cpl_taken_reg && !msg_phase_reg);
    assign msg_taken = state_reg == STATE_CPL && cpl_taken_reg && msg_phase_reg;
    assign idle = state_reg == STATE_IDLE;

    assign function_id = completer_id;
    assign function_id_changed = cfg_wr && q_cfg_new_bus_device_reg;
    assign cfg_reg_num = q_cfg_reg_num_reg;
    assign cfg_reg_num_next = dw2[11:2];
    assign cfg_reg_num_load = decode;
    assign cfg_write = cfg_wr;
    assign cfg_wdata = q_cfg_wdata_reg;
    assign cfg_wbe = q_first_be_reg;

    assign cpl_valid = state_reg == STATE_CPL && !cpl_taken_reg;
    assign cpl_next = state_reg == STATE_BUILD;
    assign cpl_dws = cpl_dws_reg;
    assign cpl_ndw = cpl_ndw_reg;

endmodule

`resetall
