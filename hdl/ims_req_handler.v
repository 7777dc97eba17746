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
//   a TLP whose DW count disagrees with its header: UR if non-posted,
//   otherwise dropped
//
// BAR0 map (offsets): 0x00000 device registers, 0x10000 MSI-X table,
// 0x18000 MSI-X PBA, 0x80000 IMS table. Every BAR0 access is one QW
// access of the target (strobes pick DWs and bytes), so a QW write to a
// table entry lands in one cycle and the engine never sees half of it.

`timescale 1ns / 1ps
`default_nettype none

module ims_req_handler #(
    parameter MSIX_TABLE_SIZE = 64,
    parameter IMS_SIZE = 256
) (
    input  wire         clk,
    input  wire         rst,

    // The collected request
    input  wire         tlp_valid,
    input  wire [191:0] tlp_dws,
    input  wire [11:0]  tlp_ndw,
    output wire         tlp_done,

    // Identity captured from configuration writes
    output wire [15:0]  function_id,

    // Configuration space
    output wire [9:0]   cfg_reg_num,
    input  wire [31:0]  cfg_rdata,
    output wire         cfg_write,
    output wire [31:0]  cfg_wdata,
    output wire [3:0]   cfg_wbe,
    input  wire         memory_space_enable,
    input  wire [63:20] bar0_base,

    // Device registers
    output wire [8:0]   regs_qw_index,
    input  wire [63:0]  regs_rdata,
    output wire         regs_write,
    output wire [63:0]  regs_wdata,
    output wire [7:0]   regs_wstrb,

    // MSI-X table, mask bits and PBA
    output wire         msix_table_write,
    output wire [14:0]  msix_table_index,
    output wire [127:0] msix_table_wdata,
    output wire [15:0]  msix_table_wstrb,
    /* verilator lint_off UNUSEDSIGNAL */
    input  wire [127:0] msix_table_rdata,   // DW3 is composed from the mask bit
    /* verilator lint_on UNUSEDSIGNAL */
    output wire         msix_mask_write,
    output wire         msix_mask_value,
    output wire [8:0]   msix_host_qw,
    input  wire [63:0]  msix_host_pending,
    input  wire [63:0]  msix_host_mask,

    // IMS table, mask and pending bits
    output wire         ims_table_write,
    output wire [14:0]  ims_table_index,
    output wire [127:0] ims_table_wdata,
    output wire [15:0]  ims_table_wstrb,
    /* verilator lint_off UNUSEDSIGNAL */
    input  wire [127:0] ims_table_rdata,    // CTRL RO bits are composed here
    /* verilator lint_on UNUSEDSIGNAL */
    output wire         ims_mask_write,
    output wire         ims_mask_value,
    output wire [8:0]   ims_host_qw,
    input  wire [63:0]  ims_host_pending,
    input  wire [63:0]  ims_host_mask,

    // Completion to the tx framer
    output wire         cpl_valid,
    output wire [191:0] cpl_dws,
    output wire [2:0]   cpl_ndw,
    input  wire         cpl_take
);

    localparam [2:0] CPL_SC = 3'b000;
    localparam [2:0] CPL_UR = 3'b001;
    localparam [2:0] CPL_CA = 3'b100;

    // FSM states
    localparam [1:0] STATE_IDLE = 2'd0;   // wait for a request, act on it
    localparam [1:0] STATE_READ = 2'd1;   // BAR0 read data arrives
    localparam [1:0] STATE_CPL  = 2'd2;   // completion waits for tx

    // FSM, captured identity, the completion being sent
    reg [1:0]   state_reg;
    reg [12:0]  bus_device_reg;
    reg [191:0] cpl_dws_reg;
    reg [2:0]   cpl_ndw_reg;

    // -----------------------------------------------------------------
    // Header fields
    // -----------------------------------------------------------------
    // DW0 bits T9/T8, LN, TH, TD and AT are not used by this completer
    /* verilator lint_off UNUSEDSIGNAL */
    wire [31:0] dw0 = tlp_dws[31:0];
    /* verilator lint_on UNUSEDSIGNAL */
    wire [31:0] dw1 = tlp_dws[63:32];
    wire [31:0] dw2 = tlp_dws[95:64];
    wire [31:0] dw3 = tlp_dws[127:96];
    wire [31:0] dw4 = tlp_dws[159:128];
    wire [31:0] dw5 = tlp_dws[191:160];

    wire [2:0]  fmt = dw0[31:29];
    wire [4:0]  type_ = dw0[28:24];
    wire [2:0]  tc = dw0[22:20];
    wire        attr2 = dw0[18];
    wire        digest = dw0[15];     // TD: a TLP Digest DW follows
    wire        poisoned = dw0[14];
    wire [1:0]  attr = dw0[13:12];
    wire [9:0]  length_field = dw0[9:0];
    wire [10:0] length = (length_field == 10'd0) ? 11'd1024 : {1'b0, length_field};
    wire [15:0] requester_id = dw1[31:16];
    wire [7:0]  tag = dw1[15:8];
    wire [3:0]  last_be = dw1[7:4];
    wire [3:0]  first_be = dw1[3:0];

    wire has_data = fmt[1];
    wire four_dw = fmt[0];
    wire fmt_reserved = fmt[2];   // 1xxb: not a request header
    wire [63:0] address = four_dw ? {dw2, dw3[31:2], 2'b00} : {32'd0, dw2[31:2], 2'b00};
    wire [31:0] payload0 = four_dw ? dw4 : dw3;
    wire [31:0] payload1 = four_dw ? dw5 : dw4;

    // DWs the header says the TLP has, against what arrived
    wire [11:0] expected_ndw = (four_dw ? 12'd4 : 12'd3) + (has_data ? {1'b0, length} : 12'd0)
                             + {11'd0, digest};
    wire length_ok = tlp_ndw == expected_ndw;

    // Config requests: Bus [31:24], Device [23:19], Function [18:16],
    // Extended Register [11:8], Register [7:2]
    wire [2:0] cfg_function = dw2[18:16];

    // -----------------------------------------------------------------
    // Request classes (PCIe Table 2-3, Fmt/Type encodings)
    // -----------------------------------------------------------------
    wire is_mem_rd = type_ == 5'b00000 && !has_data && !fmt_reserved;
    wire is_mem_wr = type_ == 5'b00000 && has_data && !fmt_reserved;
    wire is_mem_rd_locked = type_ == 5'b00001 && !has_data && !fmt_reserved;
    // I/O and config requests in a 4DW format are malformed: still
    // non-posted, so they get UR rather than silence
    wire is_io = type_ == 5'b00010 && !fmt_reserved;
    wire is_cfg0 = type_ == 5'b00100 && !fmt_reserved;
    wire is_cfg1 = type_ == 5'b00101 && !fmt_reserved;
    wire is_atomic = (type_ == 5'b01100 || type_ == 5'b01101 || type_ == 5'b01110)
                   && has_data && !fmt_reserved;
    wire is_cpl = type_[4:1] == 4'b0101;
    wire is_msg = type_[4:3] == 2'b10;

    // A packet without DW0 and DW1 of a header (only prefixes, or one DW)
    // carries no Requester ID and Tag to complete to: it is dropped.
    wire has_header = tlp_ndw >= 12'd2;

    // Non-posted: the known ones, and any unknown type without data
    wire non_posted = has_header && !fmt_reserved && (is_mem_rd || is_mem_rd_locked || is_io || is_cfg0
                    || is_cfg1 || is_atomic || (!has_data && !is_cpl && !is_msg));

    wire bar_hit = address[63:20] == bar0_base;
    wire qw_ok = (length == 11'd1) || (length == 11'd2 && !address[2]);

    // What to do with the request
    // A poisoned config write is discarded and answered UR (PCIe 2.7.2.2)
    wire act_cfg = non_posted && length_ok && is_cfg0 && !four_dw && cfg_function == 3'd0
                 && length == 11'd1 && !(has_data && poisoned);
    wire act_mem_rd = non_posted && length_ok && is_mem_rd && memory_space_enable
                    && bar_hit && qw_ok;
    wire act_ca = non_posted && length_ok && is_mem_rd && memory_space_enable
                && bar_hit && !qw_ok;
    wire act_ur = non_posted && !act_cfg && !act_mem_rd && !act_ca;
    wire act_mem_wr = !non_posted && is_mem_wr && length_ok && !poisoned
                    && memory_space_enable && bar_hit && qw_ok;

    // -----------------------------------------------------------------
    // BAR0 targets
    // -----------------------------------------------------------------
    /* verilator lint_off UNUSEDSIGNAL */
    wire [19:0] offset = address[19:0];    // bits 1:0 are always 0
    /* verilator lint_on UNUSEDSIGNAL */
    wire in_regs = offset[19:12] == 8'h00;
    wire in_msix = offset[19:15] == 5'b00010;
    wire in_pba  = offset[19:8] == 12'h180;
    wire in_ims  = offset[19];
    wire [14:0] msix_entry = {4'd0, offset[14:4]};
    wire [14:0] ims_entry = offset[18:4];
    localparam [31:0] MSIX_ENTRIES = MSIX_TABLE_SIZE;
    localparam [31:0] IMS_ENTRIES = IMS_SIZE;
    wire [4:0] pba_qw = offset[7:3];
    /* verilator lint_off UNSIGNED */   // a size of 0 means the store is absent
    wire msix_entry_ok = {17'd0, msix_entry} < MSIX_ENTRIES;
    wire ims_entry_ok = {17'd0, ims_entry} < IMS_ENTRIES;
    wire pba_ok = {21'd0, pba_qw, 6'd0} < MSIX_ENTRIES;
    /* verilator lint_on UNSIGNED */

    // The access as one QW: data and byte strobes
    wire [63:0] qw_wdata = (length == 11'd2) ? {payload1, payload0}
                         : (offset[2] ? {payload0, 32'd0} : {32'd0, payload0});
    wire [7:0]  qw_wstrb = (length == 11'd2) ? {last_be, first_be}
                         : (offset[2] ? {first_be, 4'd0} : {4'd0, first_be});
    // ...placed in a 16-byte table entry
    wire [127:0] entry_wdata = offset[3] ? {qw_wdata, 64'd0} : {64'd0, qw_wdata};
    wire [15:0]  entry_wstrb = offset[3] ? {qw_wstrb, 8'd0} : {8'd0, qw_wstrb};

    // Writable bits of an entry: address bits 1:0 are RO 0; MSI-X Vector
    // Control keeps only the mask (held by the engine); IMS CTRL keeps
    // PASID and PASID_EN here, the mask in the engine, PENDING is RO.
    localparam [127:0] MSIX_ENTRY_RW = {32'h0000_0000, 32'hFFFF_FFFF, 32'hFFFF_FFFF, 32'hFFFF_FFFC};
    localparam [127:0] IMS_ENTRY_RW  = {32'hFFFF_F004, 32'hFFFF_FFFF, 32'hFFFF_FFFF, 32'hFFFF_FFFC};

    wire bar_write = tlp_valid && state_reg == STATE_IDLE && act_mem_wr;

    assign regs_qw_index = offset[11:3];
    assign regs_write = bar_write && in_regs;
    assign regs_wdata = qw_wdata;
    assign regs_wstrb = qw_wstrb;

    assign msix_table_index = msix_entry;
    assign msix_table_write = bar_write && in_msix && msix_entry_ok;
    assign msix_table_wdata = entry_wdata & MSIX_ENTRY_RW;
    assign msix_table_wstrb = entry_wstrb;
    assign msix_mask_write = msix_table_write && entry_wstrb[12];
    assign msix_mask_value = entry_wdata[96];
    assign msix_host_qw = in_pba ? {4'd0, pba_qw} : msix_entry[14:6];

    assign ims_table_index = ims_entry;
    assign ims_table_write = bar_write && in_ims && ims_entry_ok;
    assign ims_table_wdata = entry_wdata & IMS_ENTRY_RW;
    assign ims_table_wstrb = entry_wstrb;
    assign ims_mask_write = ims_table_write && entry_wstrb[12];
    assign ims_mask_value = entry_wdata[96];
    assign ims_host_qw = ims_entry[14:6];

    // Read data of the addressed QW, valid in STATE_READ (tables answer
    // one cycle after the index was presented)
    wire msix_mask_bit = msix_host_mask[msix_entry[5:0]];
    wire ims_mask_bit = ims_host_mask[ims_entry[5:0]];
    wire ims_pending_bit = ims_host_pending[ims_entry[5:0]];
    wire [127:0] msix_entry_read = {31'd0, msix_mask_bit, msix_table_rdata[95:0]};
    wire [127:0] ims_entry_read = {ims_table_rdata[127:108], 9'd0, ims_table_rdata[98],
                                   ims_pending_bit, ims_mask_bit, ims_table_rdata[95:0]};
    reg [63:0] read_qw;
    always @* begin
        read_qw = 64'd0;
        if (in_regs)
            read_qw = regs_rdata;
        else if (in_msix && msix_entry_ok)
            read_qw = offset[3] ? msix_entry_read[127:64] : msix_entry_read[63:0];
        else if (in_pba && pba_ok)
            read_qw = msix_host_pending;
        else if (in_ims && ims_entry_ok)
            read_qw = offset[3] ? ims_entry_read[127:64] : ims_entry_read[63:0];
    end
    wire [31:0] read_dw0 = (length == 11'd2 || !offset[2]) ? read_qw[31:0] : read_qw[63:32];
    wire [31:0] read_dw1 = read_qw[63:32];

    // -----------------------------------------------------------------
    // Completion fields (PCIe 2.2.9): Byte Count and Lower Address
    // -----------------------------------------------------------------
    // Offset of the first enabled byte (0 when First BE is 0000b)
    wire [1:0] first_offset = first_be[0] ? 2'd0 : first_be[1] ? 2'd1
                            : first_be[2] ? 2'd2 : first_be[3] ? 2'd3 : 2'd0;
    // Bytes missing after the last enabled byte of the last DW
    wire [3:0] end_be = (length == 11'd1) ? first_be : last_be;
    wire [1:0] last_gap = end_be[3] ? 2'd0 : end_be[2] ? 2'd1 : end_be[1] ? 2'd2
                        : end_be[0] ? 2'd3 : 2'd0;
    // A read of Length 1 with First BE 0000b counts one byte (PCIe 2.2.9)
    // 4096 bytes encodes as Byte Count 0 (PCIe 2.2.9): bit 12 is dropped
    /* verilator lint_off UNUSEDSIGNAL */
    wire [12:0] read_byte_count = (length == 11'd1 && first_be == 4'd0) ? 13'd1
                                : {length, 2'b00} - {11'd0, first_offset} - {11'd0, last_gap};
    // AtomicOp: the operand size (CAS carries two operands)
    wire [12:0] atomic_byte_count = (type_ == 5'b01110) ? {1'b0, length, 1'b0}
                                                        : {length, 2'b00};
    /* verilator lint_on UNUSEDSIGNAL */
    wire is_read = is_mem_rd || is_mem_rd_locked;
    wire [11:0] byte_count = is_read ? read_byte_count[11:0]
                           : is_atomic ? atomic_byte_count[11:0] : 12'd4;
    wire [6:0]  lower_address = is_read ? {address[6:2], first_offset} : 7'd0;

    // -----------------------------------------------------------------
    // The completion being built
    // -----------------------------------------------------------------

    wire [15:0] completer_id = {bus_device_reg, 3'b000};

    // Completion TLP; a Memory Read Locked is answered by CplLk (PCIe Table 2-3)
    function [191:0] completion;
        input [2:0]  status;
        input [1:0]  data_dws;     // 0, 1 or 2
        input [31:0] data0;
        input [31:0] data1;
        input [15:0] completer;
        reg   [31:0] c0, c1, c2;
        begin
            c0 = {(data_dws != 2'd0) ? 3'b010 : 3'b000, is_mem_rd_locked ? 5'b01011 : 5'b01010,
                  1'b0, tc, 1'b0, attr2,
                  4'b0000, attr, 2'b00, 8'd0, data_dws};
            c1 = {completer, status, 1'b0, byte_count};
            c2 = {requester_id, tag, 1'b0, lower_address};
            completion = {32'd0, (data_dws == 2'd2) ? data1 : 32'd0,
                          (data_dws != 2'd0) ? data0 : 32'd0, c2, c1, c0};
        end
    endfunction

    wire [12:0] bus_device_next = (tlp_valid && state_reg == STATE_IDLE && act_cfg && has_data)
                                ? dw2[31:19] : bus_device_reg;

    // The request's handling, one at a time
    always @(posedge clk) begin
        if (rst) begin
            state_reg <= STATE_IDLE;
            bus_device_reg <= 13'd0;
            cpl_dws_reg <= 192'd0;
            cpl_ndw_reg <= 3'd0;
        end else begin
            bus_device_reg <= bus_device_next;
            case (state_reg)
                STATE_IDLE: if (tlp_valid) begin
                    if (act_cfg) begin
                        // a config write captures Bus/Device Number
                        // (PCIe 2.2.6.2); its completion carries them
                        cpl_dws_reg <= completion(CPL_SC, has_data ? 2'd0 : 2'd1, cfg_rdata,
                                                  32'd0, {bus_device_next, 3'b000});
                        cpl_ndw_reg <= has_data ? 3'd3 : 3'd4;
                        state_reg <= STATE_CPL;
                    end else if (act_mem_rd) begin
                        state_reg <= STATE_READ;
                    end else if (act_ur || act_ca) begin
                        cpl_dws_reg <= completion(act_ca ? CPL_CA : CPL_UR, 2'd0, 32'd0, 32'd0,
                                                  completer_id);
                        cpl_ndw_reg <= 3'd3;
                        state_reg <= STATE_CPL;
                    end
                end
                STATE_READ: begin
                    cpl_dws_reg <= completion(CPL_SC, length[1:0], read_dw0, read_dw1,
                                              completer_id);
                    cpl_ndw_reg <= 3'd3 + {1'b0, length[1:0]};
                    state_reg <= STATE_CPL;
                end
                STATE_CPL: if (cpl_take) state_reg <= STATE_IDLE;
                default: state_reg <= STATE_IDLE;
            endcase
        end
    end

    // Posted requests finish in the cycle they are looked at
    assign tlp_done = (state_reg == STATE_IDLE && tlp_valid && !non_posted)
                   || (state_reg == STATE_CPL && cpl_take);

    assign function_id = completer_id;
    assign cfg_reg_num = dw2[11:2];
    assign cfg_write = tlp_valid && state_reg == STATE_IDLE && act_cfg && has_data;
    assign cfg_wdata = dw3;
    assign cfg_wbe = first_be;

    assign cpl_valid = state_reg == STATE_CPL;
    assign cpl_dws = cpl_dws_reg;
    assign cpl_ndw = cpl_ndw_reg;

endmodule

`resetall
