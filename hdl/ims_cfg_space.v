// SPDX-License-Identifier: MIT
//
// ims_cfg_space: Type 0 configuration space of function 0, with the PCI
// Express, MSI and MSI-X capabilities (docs/design.md section 3).
//
//   0x00-0x3F  Type 0 header; BAR0/BAR1 one 64-bit 1 MiB memory BAR
//   0x40       PCI Express capability v2, endpoint
//   0x80       MSI capability, 64-bit, per-vector masking (MSI_VECTORS > 0)
//   0xA0       MSI-X capability, table/PBA in BAR0   (MSIX_TABLE_SIZE > 0)
//   0xC0       Power Management capability
//   0x148      PASID Extended Capability             (PASID_CAP = 1)
//   other      read 0 here, writes ignored
//
// The error bits of Status and Device Status and the AER capability at
// 0x100 are ims_error_log's (its read data is ORed with this one's).
//
// Read-only fields ignore writes; RW fields keep exactly the written bits
// (byte enables honoured). The MSI Mask Bits and Pending Bits live in the
// engine's pending tracker; this block shows and writes them.

`timescale 1ns / 1ps
`default_nettype none
`include "ims_params.vh"

module ims_cfg_space #(
    // MSI vectors (Multiple Message Capable as a count); 0 = no MSI
    parameter MSI_VECTORS = 4,
    // MSI-X table entries; 0 = no MSI-X
    parameter MSIX_TABLE_SIZE = 64,
    // 1: PASID Extended Capability and End-End TLP Prefix support
    parameter PASID_CAP = 1
) (
    input  wire        clk,
    input  wire        rst,
    // Function Level Reset: resets all but the link-wide fields (PCIe
    // 6.6.2: Max_Payload_Size and the Link Control fields are kept)
    input  wire        flr,
    output wire        flr_start,          // Initiate Function Level Reset written

    // Register access, one DW (register number = byte offset / 4); rdata
    // is the DW at reg_num two cycles earlier (reg_num held). reg_num
    // takes reg_num_next at an edge with reg_num_load, and a write comes
    // after such an edge (ims_req_handler): the write decode is registered
    input  wire [9:0]  reg_num,
    input  wire [9:0]  reg_num_next,
    input  wire        reg_num_load,
    output reg  [31:0] rdata,
    input  wire        write,
    input  wire [31:0] wdata,
    input  wire [3:0]  wbe,

    // MSI Mask Bits / Pending Bits held by the engine
    input  wire [31:0] msi_mask_bits,
    input  wire [31:0] msi_pending_bits,
    output wire        msi_mask_write,
    output wire [31:0] msi_mask_enable,
    output wire [31:0] msi_mask_value,

    // Settings for the rest of the device
    output wire        memory_space_enable,
    output wire        bus_master_enable,
    output wire [63:20] bar0_base,
    output wire        msi_settings_changed,   // a write to the MSI capability
    output wire        msi_enable,
    output wire [2:0]  msi_mme,
    output wire [15:0] msi_high_bits,      // irq_index bits that make it out of range
    output wire [63:0] msi_address,
    output wire        msi_address_high,   // |msi_address[63:32]
    output wire [15:0] msi_data,
    output wire        msix_enable,
    output wire        msix_function_mask,
    output wire        d3hot,              // PowerState D3hot (PCIe 5.3.1.4.1)
    output wire        serr_enable,
    // PASID Enable (PCIe 7.8.8.3: PASID-tagged TLPs may be sent and
    // received); a write that may change it (design.md 5: candidates built
    // before it are read again)
    output wire        pasid_enable,
    output wire        pasid_settings_changed,
    output wire [3:0]  error_reporting     // Device Control bits 3:0 (URRE, FERE, NFERE, CERE)
);

    // Illegal parameters stop elaboration with the instance's name
    initial begin
        `IMS_CHECK_MSI_VECTORS("MSI_VECTORS", MSI_VECTORS)
        `IMS_CHECK_MSIX_TABLE_SIZE("MSIX_TABLE_SIZE", MSIX_TABLE_SIZE)
        `IMS_CHECK_RANGE("PASID_CAP", PASID_CAP, 0, 1)
    end

`include "ims_regmap.vh"

    localparam HAS_MSI = MSI_VECTORS > 0;
    localparam HAS_MSIX = MSIX_TABLE_SIZE > 0;
    localparam integer MSI_MMC_INT = (MSI_VECTORS <= 1) ? 0 : $clog2(MSI_VECTORS);
    localparam [2:0] MSI_MMC = MSI_MMC_INT[2:0];
    localparam [31:0] MSI_VALID = (MSI_VECTORS >= 32) ? 32'hFFFFFFFF
                                : ((32'h1 << MSI_VECTORS) - 32'h1);
    // The list: PCI Express -> MSI -> MSI-X -> Power Management, absent
    // capabilities skipped
    localparam [7:0] NEXT_AFTER_MSIX = CAP_PM;
    localparam [7:0] NEXT_AFTER_MSI = HAS_MSIX ? CAP_MSIX : NEXT_AFTER_MSIX;
    localparam [7:0] NEXT_AFTER_PCIE = HAS_MSI ? CAP_MSI : NEXT_AFTER_MSI;
    localparam integer MSIX_SIZE_M1_INT = HAS_MSIX ? MSIX_TABLE_SIZE - 1 : 0;
    localparam [10:0] MSIX_TABLE_SIZE_M1 = MSIX_SIZE_M1_INT[10:0];
    // MSI Message Control's read-only bits: MMC, 64-bit and per-vector
    // masking capable
    localparam [31:0] MSI_CTL_FIXED = ({29'd0, MSI_MMC} << CFG_MSI_CTL_MMC_LSB)
                                    | (32'd1 << CFG_MSI_CTL_64BIT_BIT)
                                    | (32'd1 << CFG_MSI_CTL_PVM_BIT);

    // Register numbers (byte offset / 4) of the registers in
    // hdl/ims_regmap.vh
    localparam [9:0] R_ID = CFG_ID[11:2], R_CMD = CFG_COMMAND[11:2];
    localparam [9:0] R_CLASS = CFG_CLASS[11:2], R_HDR = CFG_HEADER[11:2];
    localparam [9:0] R_BAR0 = CFG_BAR0[11:2], R_BAR1 = CFG_BAR1[11:2];
    localparam [9:0] R_SUBSYS = CFG_SUBSYSTEM[11:2];
    localparam [9:0] R_CAP_PTR = CFG_CAP_PTR[11:2], R_INT = CFG_INTERRUPT[11:2];
    localparam [9:0] R_PCIE = CFG_PCIE[11:2], R_DEV_CAP = CFG_DEV_CAP[11:2];
    localparam [9:0] R_DEV_CTL = CFG_DEV_CTL[11:2];
    localparam [9:0] R_LINK_CAP = CFG_LINK_CAP[11:2], R_LINK_CTL = CFG_LINK_CTL[11:2];
    localparam [9:0] R_LINK_CAP2 = CFG_LINK_CAP2[11:2], R_LINK_CTL2 = CFG_LINK_CTL2[11:2];
    localparam [9:0] R_MSI = CFG_MSI[11:2], R_MSI_ADDR = CFG_MSI_ADDR[11:2];
    localparam [9:0] R_MSI_ADDR_HI = CFG_MSI_ADDR_HI[11:2], R_MSI_DATA = CFG_MSI_DATA[11:2];
    localparam [9:0] R_MSI_MASK = CFG_MSI_MASK[11:2], R_MSI_PEND = CFG_MSI_PENDING[11:2];
    localparam [9:0] R_MSIX = CFG_MSIX[11:2], R_MSIX_TABLE = CFG_MSIX_TABLE[11:2];
    localparam [9:0] R_MSIX_PBA = CFG_MSIX_PBA[11:2];
    localparam [9:0] R_PM = CFG_PM[11:2], R_PMCSR = CFG_PMCSR[11:2];
    localparam [9:0] R_DEV_CAP2 = CFG_DEV_CAP2[11:2];   // (Device Control 2: 0)
    localparam [9:0] R_PASID = CFG_PASID[11:2], R_PASID_CAP = CFG_PASID_CAP[11:2];
    // PASID Control is the upper half of the DW at 0x14C
    localparam PASID_CTL_SHIFT = 8 * CFG_PASID_CTL[1:0];
    localparam PASID_ENABLE_IN_DW = PASID_CTL_SHIFT + CFG_PASID_CTL_ENABLE_BIT;
    localparam HAS_PASID = PASID_CAP != 0;

    // Bits of the DWs that hold a 16-bit register in their upper half
    localparam MSI_CTL_SHIFT = 8 * CFG_MSI_CTL[1:0];
    localparam MSIX_CTL_SHIFT = 8 * CFG_MSIX_CTL[1:0];
    localparam MSI_ENABLE_IN_DW = MSI_CTL_SHIFT + CFG_MSI_CTL_ENABLE_BIT;
    localparam MSI_MME_IN_DW = MSI_CTL_SHIFT + CFG_MSI_CTL_MME_LSB;
    localparam MSIX_ENABLE_IN_DW = MSIX_CTL_SHIFT + CFG_MSIX_CTL_ENABLE_BIT;
    localparam MSIX_FMASK_IN_DW = MSIX_CTL_SHIFT + CFG_MSIX_CTL_FUNCTION_MASK_BIT;

    // RW fields
    reg        mse_reg, bme_reg, intx_disable_reg;
    reg        perr_response_reg, serr_enable_reg;   // RW
    reg [7:0]  cache_line_size_reg;
    reg [31:20] bar0_lo_reg;
    reg [31:0] bar1_reg;
    reg [7:0]  int_line_reg;
    reg [15:0] dev_ctl_reg;
    reg [15:0] link_ctl_reg;
    reg        msi_enable_reg;
    reg [2:0]  msi_mme_reg;
    reg [15:0] msi_high_reg;    // vector bits at or above MME: set when out of range
    reg [31:2] msi_addr_reg;
    reg [31:0] msi_addr_hi_reg;
    reg        msi_addr_high_reg;          // msi_addr_hi_reg != 0
    reg [15:0] msi_data_reg;
    reg        msix_enable_reg, msix_fmask_reg;
    reg [1:0]  power_state_reg;    // PMCSR PowerState: D0 or D3hot
    reg        pasid_enable_reg;   // PASID Control PASID Enable

    wire [31:0] be_bits = {{8{wbe[3]}}, {8{wbe[2]}}, {8{wbe[1]}}, {8{wbe[0]}}};

    // Byte-enabled write of the RW bits `rw` of a register. Every input is
    // an argument, so continuous assignments using it re-evaluate on all.
    function [31:0] merge;
        input [31:0] old;
        input [31:0] rw;
        input [31:0] new_value;
        input [31:0] enabled;
        begin
            merge = (old & ~(enabled & rw)) | (new_value & enabled & rw);
        end
    endfunction

    // The merged values are whole DWs; each register keeps only its RW bits.
    /* verilator lint_off UNUSEDSIGNAL */
    wire [31:0] cmd_now = ({31'd0, mse_reg} << CFG_COMMAND_MEMORY_SPACE_BIT)
                        | ({31'd0, bme_reg} << CFG_COMMAND_BUS_MASTER_BIT)
                        | ({31'd0, perr_response_reg} << CFG_COMMAND_PARITY_ERROR_RESPONSE_BIT)
                        | ({31'd0, serr_enable_reg} << CFG_COMMAND_SERR_ENABLE_BIT)
                        | ({31'd0, intx_disable_reg} << CFG_COMMAND_INTX_DISABLE_BIT);
    wire [31:0] cmd_new = merge(cmd_now, CFG_COMMAND_RW, wdata, be_bits);
    wire [31:0] hdr_new = merge({24'd0, cache_line_size_reg}, CFG_HEADER_RW, wdata, be_bits);
    wire [31:0] bar0_new = merge({bar0_lo_reg, 20'd0}, CFG_BAR0_RW, wdata, be_bits);
    wire [31:0] int_new = merge({24'd0, int_line_reg}, CFG_INTERRUPT_RW, wdata, be_bits);
    wire [31:0] dev_ctl_new = merge({16'd0, dev_ctl_reg}, CFG_DEV_CTL_RW, wdata, be_bits);
    wire [31:0] link_ctl_new = merge({16'd0, link_ctl_reg}, CFG_LINK_CTL_RW, wdata, be_bits);
    wire [31:0] msi_ctl_now = ({29'd0, msi_mme_reg} << MSI_MME_IN_DW)
                            | ({31'd0, msi_enable_reg} << MSI_ENABLE_IN_DW);
    wire [31:0] msi_ctl_new = merge(msi_ctl_now, CFG_MSI_CTL_RW << MSI_CTL_SHIFT, wdata, be_bits);
    wire [31:0] msi_addr_new = merge({msi_addr_reg, 2'b00}, CFG_MSI_ADDR_RW, wdata, be_bits);
    wire [31:0] msi_addr_hi_new = merge(msi_addr_hi_reg, CFG_MSI_ADDR_HI_RW, wdata, be_bits);
    wire [31:0] msi_data_new = merge({16'd0, msi_data_reg}, CFG_MSI_DATA_RW, wdata, be_bits);
    wire [31:0] pmcsr_now = CFG_PMCSR_RESET | {30'd0, power_state_reg};
    wire [31:0] pmcsr_new = merge(pmcsr_now, CFG_PMCSR_RW, wdata, be_bits);
    wire [31:0] msix_ctl_now = ({31'd0, msix_enable_reg} << MSIX_ENABLE_IN_DW)
                             | ({31'd0, msix_fmask_reg} << MSIX_FMASK_IN_DW);
    wire [31:0] msix_ctl_new = merge(msix_ctl_now, CFG_MSIX_CTL_RW << MSIX_CTL_SHIFT, wdata,
                                     be_bits);
    /* verilator lint_on UNUSEDSIGNAL */

    // Vector bits at or above MME (registered with MME, so that the range
    // check of requests needs no adder and always matches MSI Enable)
    function [15:0] high_bits;
        input [2:0] mme;
        integer i;
        begin
            for (i = 0; i < 16; i = i + 1)
                high_bits[i] = i >= mme;
        end
    endfunction

    // A Multiple Message Enable above Multiple Message Capable is stored
    // as Multiple Message Capable (design.md section 3).
    wire [2:0] msi_mme_written = msi_ctl_new[MSI_MME_IN_DW +: 3];
    wire [2:0] msi_mme_clamped = (msi_mme_written > MSI_MMC) ? MSI_MMC : msi_mme_written;

    // The register a write goes to, decoded when reg_num is loaded, so
    // that a write (and what it tells the engine: msi_settings_changed,
    // msi_mask_write, pasid_settings_changed) is one gate from registers
    reg w_cmd_reg, w_hdr_reg, w_bar0_reg, w_bar1_reg, w_int_reg, w_dev_ctl_reg;
    reg w_link_ctl_reg, w_msi_reg, w_msi_addr_reg, w_msi_addr_hi_reg, w_msi_data_reg;
    reg w_msi_mask_reg, w_msi_settings_reg, w_pmcsr_reg, w_pasid_cap_reg, w_msix_reg;
    always @(posedge clk)
        if (reg_num_load) begin
            w_cmd_reg <= reg_num_next == R_CMD;
            w_hdr_reg <= reg_num_next == R_HDR;
            w_bar0_reg <= reg_num_next == R_BAR0;
            w_bar1_reg <= reg_num_next == R_BAR1;
            w_int_reg <= reg_num_next == R_INT;
            w_dev_ctl_reg <= reg_num_next == R_DEV_CTL;
            w_link_ctl_reg <= reg_num_next == R_LINK_CTL;
            w_msi_reg <= HAS_MSI && reg_num_next == R_MSI;
            w_msi_addr_reg <= HAS_MSI && reg_num_next == R_MSI_ADDR;
            w_msi_addr_hi_reg <= HAS_MSI && reg_num_next == R_MSI_ADDR_HI;
            w_msi_data_reg <= HAS_MSI && reg_num_next == R_MSI_DATA;
            w_msi_mask_reg <= HAS_MSI && reg_num_next == R_MSI_MASK;
            w_msi_settings_reg <= HAS_MSI && (reg_num_next == R_MSI || reg_num_next == R_MSI_ADDR
                                              || reg_num_next == R_MSI_ADDR_HI
                                              || reg_num_next == R_MSI_DATA);
            w_pmcsr_reg <= reg_num_next == R_PMCSR;
            w_pasid_cap_reg <= HAS_PASID && reg_num_next == R_PASID_CAP;
            w_msix_reg <= HAS_MSIX && reg_num_next == R_MSIX;
        end

    // RW registers: reset values, then byte-enabled writes
    localparam [15:0] DEV_CTL_MPS = 16'h7 << CFG_DEV_CTL_MPS_LSB;
    always @(posedge clk) begin
        if (rst || flr) begin
            mse_reg <= 1'b0;
            bme_reg <= 1'b0;
            intx_disable_reg <= 1'b0;
            perr_response_reg <= 1'b0;
            serr_enable_reg <= 1'b0;
            cache_line_size_reg <= 8'd0;
            bar0_lo_reg <= 12'd0;
            bar1_reg <= 32'd0;
            int_line_reg <= 8'd0;
            dev_ctl_reg <= rst ? CFG_DEV_CTL_RESET[15:0]
                         : (CFG_DEV_CTL_RESET[15:0] & ~DEV_CTL_MPS) | (dev_ctl_reg & DEV_CTL_MPS);
            link_ctl_reg <= rst ? CFG_LINK_CTL_RESET[15:0] : link_ctl_reg;
            msi_enable_reg <= 1'b0;
            msi_mme_reg <= 3'd0;
            msi_high_reg <= 16'hFFFF;          // MME 0: only vector 0
            msi_addr_reg <= 30'd0;
            msi_addr_hi_reg <= 32'd0;
            msi_addr_high_reg <= 1'b0;
            msi_data_reg <= 16'd0;
            msix_enable_reg <= 1'b0;
            msix_fmask_reg <= 1'b0;
            power_state_reg <= PM_D0;
            pasid_enable_reg <= 1'b0;
        end else if (write) begin
            if (w_cmd_reg) begin
                mse_reg <= cmd_new[CFG_COMMAND_MEMORY_SPACE_BIT];
                bme_reg <= cmd_new[CFG_COMMAND_BUS_MASTER_BIT];
                intx_disable_reg <= cmd_new[CFG_COMMAND_INTX_DISABLE_BIT];
                perr_response_reg <= cmd_new[CFG_COMMAND_PARITY_ERROR_RESPONSE_BIT];
                serr_enable_reg <= cmd_new[CFG_COMMAND_SERR_ENABLE_BIT];
            end
            if (w_hdr_reg) cache_line_size_reg <= hdr_new[7:0];
            if (w_bar0_reg) bar0_lo_reg <= bar0_new[31:20];
            if (w_bar1_reg) bar1_reg <= merge(bar1_reg, CFG_BAR1_RW, wdata, be_bits);
            if (w_int_reg) int_line_reg <= int_new[7:0];
            if (w_dev_ctl_reg) dev_ctl_reg <= dev_ctl_new[15:0];
            if (w_link_ctl_reg) link_ctl_reg <= link_ctl_new[15:0];
            if (w_msi_reg) begin
                msi_enable_reg <= msi_ctl_new[MSI_ENABLE_IN_DW];
                msi_mme_reg <= msi_mme_clamped;
                msi_high_reg <= high_bits(msi_mme_clamped);
            end
            if (w_msi_addr_reg) msi_addr_reg <= msi_addr_new[31:2];
            if (w_msi_addr_hi_reg) begin
                msi_addr_hi_reg <= msi_addr_hi_new;
                msi_addr_high_reg <= |msi_addr_hi_new;
            end
            if (w_msi_data_reg) msi_data_reg <= msi_data_new[15:0];
            // PCIe 7.5.2.2: a write of an unsupported PowerState (D1,
            // D2) is discarded; the state does not change
            if (w_pmcsr_reg && (pmcsr_new[1:0] == PM_D0 || pmcsr_new[1:0] == PM_D3HOT))
                power_state_reg <= pmcsr_new[1:0];
            if (w_pasid_cap_reg && wbe[PASID_ENABLE_IN_DW / 8])
                pasid_enable_reg <= wdata[PASID_ENABLE_IN_DW];
            if (w_msix_reg) begin
                msix_enable_reg <= msix_ctl_new[MSIX_ENABLE_IN_DW];
                msix_fmask_reg <= msix_ctl_new[MSIX_FMASK_IN_DW];
            end
        end
    end

    // MSI Mask Bits: implemented for the capable vectors only
    assign msi_mask_write = write && w_msi_mask_reg;
    assign msi_mask_enable = be_bits & MSI_VALID;
    assign msi_mask_value = wdata;

    // Read multiplexer in two registered steps (the handler samples rdata
    // two cycles after it presented reg_num): which register is addressed,
    // then an AND-OR of the registers. Absent capabilities read 0; any
    // other register number reads 0.
    localparam READABLE = 30;
    // register numbers of the readable DWs, entry k in bits 10k+9:10k
    localparam [10*READABLE-1:0] READ_NUM = {
        R_PASID_CAP, R_PASID, R_DEV_CAP2,
        R_PMCSR, R_PM,
        R_MSIX_PBA, R_MSIX_TABLE, R_MSIX, R_MSI_PEND, R_MSI_MASK, R_MSI_DATA,
        R_MSI_ADDR_HI, R_MSI_ADDR, R_MSI, R_LINK_CTL2, R_LINK_CAP2, R_LINK_CTL,
        R_LINK_CAP, R_DEV_CTL, R_DEV_CAP, R_PCIE, R_INT, R_CAP_PTR,
        R_SUBSYS, R_BAR1, R_BAR0, R_HDR, R_CLASS, R_CMD,
        R_ID
    };
    // their contents, entry k in bits 32k+31:32k
    wire [32*READABLE-1:0] read_value = {
        HAS_PASID ? ({31'd0, pasid_enable_reg} << PASID_ENABLE_IN_DW) | CFG_PASID_CAP_VALUE
                  : 32'd0,   // R_PASID_CAP: PASID Control, PASID Capability
        HAS_PASID ? CFG_PASID_VALUE : 32'd0,   // R_PASID: the last extended capability
        HAS_PASID ? DEV_CAP2_VALUE_PASID : DEV_CAP2_VALUE_NO_PASID,   // R_DEV_CAP2
        pmcsr_now,   // R_PMCSR
        {PM_CAPABILITIES, 8'h00, CAP_ID_PM},   // R_PM: the last capability
        HAS_MSIX ? CFG_MSIX_PBA_VALUE : 32'd0,   // R_MSIX_PBA
        HAS_MSIX ? CFG_MSIX_TABLE_VALUE : 32'd0,   // R_MSIX_TABLE
        HAS_MSIX ? (msix_ctl_now | ({21'd0, MSIX_TABLE_SIZE_M1} << (MSIX_CTL_SHIFT + CFG_MSIX_CTL_TABLE_SIZE_LSB))
                    | {16'd0, NEXT_AFTER_MSIX, CAP_ID_MSIX}) : 32'd0,   // R_MSIX
        HAS_MSI ? (msi_pending_bits & MSI_VALID) : 32'd0,   // R_MSI_PEND
        HAS_MSI ? (msi_mask_bits & MSI_VALID) : 32'd0,   // R_MSI_MASK
        HAS_MSI ? {16'd0, msi_data_reg} : 32'd0,   // R_MSI_DATA
        HAS_MSI ? msi_addr_hi_reg : 32'd0,   // R_MSI_ADDR_HI
        HAS_MSI ? {msi_addr_reg, 2'b00} : 32'd0,   // R_MSI_ADDR
        HAS_MSI ? (msi_ctl_now | (MSI_CTL_FIXED << MSI_CTL_SHIFT)
                   | {16'd0, NEXT_AFTER_MSI, CAP_ID_MSI}) : 32'd0,   // R_MSI
        CFG_LINK_CTL2_VALUE,   // R_LINK_CTL2
        CFG_LINK_CAP2_VALUE,   // R_LINK_CAP2
        {CFG_LINK_STATUS_VALUE[15:0], link_ctl_reg},   // R_LINK_CTL
        CFG_LINK_CAP_VALUE,   // R_LINK_CAP
        {16'd0, dev_ctl_reg},   // R_DEV_CTL (Device Status: ims_error_log)
        CFG_DEV_CAP_VALUE,   // R_DEV_CAP
        {PCIE_CAPABILITIES, NEXT_AFTER_PCIE, CAP_ID_PCIE},   // R_PCIE
        {24'd0, int_line_reg},   // R_INT: Interrupt Pin 0: no INTx
        CFG_CAP_PTR_VALUE,   // R_CAP_PTR
        CFG_SUBSYSTEM_VALUE,   // R_SUBSYS
        bar1_reg,   // R_BAR1
        {bar0_lo_reg, CFG_BAR0_RESET[19:0]},   // R_BAR0: type bits (64-bit, non-prefetchable)
        {24'h000000, cache_line_size_reg},   // R_HDR
        CFG_CLASS_VALUE,   // R_CLASS
        {CFG_STATUS_RESET[15:0] & ~CFG_STATUS_W1C[15:0], cmd_now[15:0]},   // R_CMD (+ ims_error_log)
        CFG_ID_VALUE   // R_ID
    };
    // (the AND-OR in groups of 5 registers, then the groups combined)
    localparam GROUPS = (READABLE + 4) / 5;
    reg [READABLE-1:0]  read_sel_reg;
    reg [32*GROUPS-1:0] group_dw, group_reg;
    integer k;
    always @(posedge clk)
        for (k = 0; k < READABLE; k = k + 1)
            read_sel_reg[k] <= reg_num == READ_NUM[10*k +: 10];
    always @* begin
        group_dw = {(32*GROUPS){1'b0}};
        for (k = 0; k < READABLE; k = k + 1)
            group_dw[32*(k/5) +: 32] = group_dw[32*(k/5) +: 32]
                                     | (read_value[32*k +: 32] & {32{read_sel_reg[k]}});
    end
    always @(posedge clk)
        group_reg <= group_dw;
    always @* begin
        rdata = 32'd0;
        for (k = 0; k < GROUPS; k = k + 1)
            rdata = rdata | group_reg[32*k +: 32];
    end

    // In D3hot a function takes only configuration (and message) requests;
    // the others are Unsupported Requests (PCIe 5.3.1.4.1): no memory decode
    assign memory_space_enable = mse_reg && !d3hot;
    assign bus_master_enable = bme_reg;
    assign bar0_base = {bar1_reg, bar0_lo_reg};
    assign msi_settings_changed = write && w_msi_settings_reg;
    assign msi_enable = msi_enable_reg;
    assign msi_mme = msi_mme_reg;
    assign msi_high_bits = msi_high_reg;
    assign msi_address = {msi_addr_hi_reg, msi_addr_reg, 2'b00};
    assign msi_data = msi_data_reg;
    assign msi_address_high = msi_addr_high_reg;
    assign msix_enable = msix_enable_reg;
    assign msix_function_mask = msix_fmask_reg;
    assign d3hot = power_state_reg == PM_D3HOT;
    assign serr_enable = serr_enable_reg;
    assign pasid_enable = pasid_enable_reg;
    assign pasid_settings_changed = write && w_pasid_cap_reg;
    assign error_reporting = dev_ctl_reg[3:0];
    assign flr_start = write && w_dev_ctl_reg && wbe[CFG_DEV_CTL_INITIATE_FLR_BIT / 8]
                    && wdata[CFG_DEV_CTL_INITIATE_FLR_BIT];

endmodule

`resetall
