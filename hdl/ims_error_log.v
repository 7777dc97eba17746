// SPDX-License-Identifier: MIT
//
// ims_error_log: the function's error logging and signalling (docs/design.md
// section 2, "Errors"; PCIe 6.2): the error bits of Status and Device
// Status, the Advanced Error Reporting Extended Capability at 0x100, and
// the decision which Error Message (ERR_COR, ERR_NONFATAL, ERR_FATAL) an
// error sends.
//
// The request handler reports at most one error per TLP, as a one-cycle
// event with the error's class, whether the function completed the request
// (a UR or CA completion), and the TLP's header. The event is registered
// (busy for that cycle), then logged as PCIe 6.2.5 Figure 6-2 orders it,
// and the message due (if any) is registered in msg_due/msg_code until the
// handler has sent it.
//
// Config reads: rdata is the DW at reg_num two cycles earlier, like
// ims_cfg_space's (the two are ORed): Status and Device Status as the
// upper halves of the DWs at 0x04 and 0x48, the AER registers at 0x100 up;
// every other DW reads 0 here.
//
// With PASID_CAP (End-End TLP Prefix Supported) the capability is 0x48
// bytes: the TLP Prefix Log at 0x138 holds the End-End prefix of the first
// error's TLP (TLP Prefix Log Present says so), the TLP Prefix Blocked mask
// and severity bits (25) are implemented, and Next points to the PASID
// capability at 0x148.

`timescale 1ns / 1ps
`default_nettype none
`include "ims_params.vh"

module ims_error_log #(
    parameter PASID_CAP = 1
) (
    input  wire         clk,
    input  wire         rst,
    input  wire         flr,     // Function Level Reset: not the sticky AER bits

    // Configuration register access (as ims_cfg_space's)
    input  wire [9:0]   reg_num,
    output wire [31:0]  rdata,
    input  wire         write,
    input  wire [31:0]  wdata,
    input  wire [3:0]   wbe,

    // What enables the messages (PCIe 7.5.1.1.3, 7.5.3.4)
    input  wire         serr_enable,
    input  wire         cor_reporting,       // Device Control bit 0
    input  wire         nonfatal_reporting,  // bit 1
    input  wire         fatal_reporting,     // bit 2
    input  wire         ur_reporting,        // bit 3

    // One error of a TLP (err_valid for one cycle); err_class one-hot:
    // {UR, Malformed TLP, Unexpected Completion, Completer Abort,
    // Poisoned TLP Received}
    input  wire         err_valid,
    input  wire [4:0]   err_class,
    input  wire         err_completed,       // a UR/CA the function completed
    input  wire [127:0] err_header,          // DW k in bits 32k+31:32k
    input  wire         err_prefixed,        // the TLP had an End-End prefix:
    input  wire [31:0]  err_prefix,          // this one
    input  wire         poisoned_received,   // Detected Parity Error (any TLP)

    // The event is being logged (msg_due is valid when busy is low)
    output wire         busy,
    // The Error Message due: code is the Message Code
    output wire         msg_due,
    output wire [7:0]   msg_code,
    input  wire         msg_taken
);

`include "ims_regmap.vh"

    // Illegal parameters stop elaboration with the instance's name
    initial begin
        `IMS_CHECK_RANGE("PASID_CAP", PASID_CAP, 0, 1)
    end
    localparam HAS_PREFIX_LOG = PASID_CAP != 0;
    localparam [31:0] AER_HEADER = HAS_PREFIX_LOG ? CFG_AER_VALUE | ({20'd0, ECAP_PASID} << 20)
                                                  : CFG_AER_VALUE;
    localparam PB = CFG_AER_UNCOR_MASK_TLP_PREFIX_BLOCKED_BIT;
    localparam PLP = CFG_AER_CAP_CTL_TLP_PREFIX_LOG_PRESENT_BIT;

    // err_class bits
    // (bit 3, Malformed TLP, needs no rule of its own)
    localparam E_POISONED = 0, E_CA = 1, E_UC = 2, E_UR = 4;
    // ...and their bit numbers in the AER uncorrectable registers
    localparam [4:0] B_POISONED = CFG_AER_UNCOR_STATUS_POISONED_TLP_BIT;
    localparam [4:0] B_CA = CFG_AER_UNCOR_STATUS_COMPLETER_ABORT_BIT;
    localparam [4:0] B_UC = CFG_AER_UNCOR_STATUS_UNEXPECTED_COMPLETION_BIT;
    localparam [4:0] B_MALFORMED = CFG_AER_UNCOR_STATUS_MALFORMED_TLP_BIT;
    localparam [4:0] B_UR = CFG_AER_UNCOR_STATUS_UNSUPPORTED_REQUEST_BIT;
    localparam [24:0] ERR_BIT_NUMBERS = {B_UR, B_MALFORMED, B_UC, B_CA, B_POISONED};

    // Register numbers (byte offset / 4)
    localparam [9:0] R_CMD = CFG_COMMAND[11:2], R_DEV_CTL = CFG_DEV_CTL[11:2];
    localparam [9:0] R_AER = CFG_AER[11:2];
    localparam [9:0] R_UNCOR_STATUS = CFG_AER_UNCOR_STATUS[11:2];
    localparam [9:0] R_UNCOR_MASK = CFG_AER_UNCOR_MASK[11:2];
    localparam [9:0] R_UNCOR_SEVERITY = CFG_AER_UNCOR_SEVERITY[11:2];
    localparam [9:0] R_COR_STATUS = CFG_AER_COR_STATUS[11:2];
    localparam [9:0] R_COR_MASK = CFG_AER_COR_MASK[11:2];
    localparam [9:0] R_CAP_CTL = CFG_AER_CAP_CTL[11:2];
    localparam [9:0] R_HEADER_LOG = CFG_AER_HEADER_LOG[11:2];
    localparam [9:0] R_PREFIX_LOG = CFG_AER_PREFIX_LOG[11:2];

    localparam ANF = CFG_AER_COR_STATUS_ADVISORY_NON_FATAL_BIT;

    // Status (upper half of DW 0x04) and Device Status (upper half of 0x48)
    reg        signaled_target_abort_reg, signaled_system_error_reg;
    reg        detected_parity_error_reg;
    reg        ced_reg, nfed_reg, fed_reg, urd_reg;
    // AER: the implemented bits only, in err_class order
    reg [4:0]  uncor_status_reg, uncor_mask_reg, uncor_severity_reg;
    reg        anf_status_reg, anf_mask_reg;
    reg [4:0]  first_error_reg;       // err_class one-hot of the logged error
    reg [127:0] header_log_reg;
    reg        prefix_present_reg;    // TLP Prefix Log Present
    reg [31:0] prefix_log_reg;
    reg        blocked_mask_reg, blocked_severity_reg;   // TLP Prefix Blocked (bit 25)
    reg        msg_due_reg;
    reg [7:0]  msg_code_reg;

    // A class vector placed at its AER bit numbers, and back
    function [31:0] spread;
        input [4:0] v;
        integer i;
        begin
            spread = 32'd0;
            for (i = 0; i < 5; i = i + 1)
                spread[ERR_BIT_NUMBERS[5*i +: 5]] = v[i];
        end
    endfunction
    function [4:0] gather;
        input [31:0] dw;
        integer i;
        begin
            for (i = 0; i < 5; i = i + 1)
                gather[i] = dw[ERR_BIT_NUMBERS[5*i +: 5]];
        end
    endfunction
    function [4:0] bit_number;      // of a one-hot class (0 for none)
        input [4:0] onehot;
        integer i;
        begin
            bit_number = 5'd0;
            for (i = 0; i < 5; i = i + 1)
                if (onehot[i]) bit_number = bit_number | ERR_BIT_NUMBERS[5*i +: 5];
        end
    endfunction

    // ---------------------------------------------------------------
    // The event, registered (the decision below then starts at registers)
    // ---------------------------------------------------------------
    reg         ev_valid_reg, ev_completed_reg, ev_poisoned_reg, ev_prefixed_reg;
    reg [31:0]  ev_prefix_reg;
    reg [4:0]   ev_class_reg;
    reg [127:0] ev_header_reg;
    // What the decision takes from the class and the logging registers,
    // registered with the event: the registers it reads do not change in
    // the event's cycle nor in the one before (an erroneous TLP writes
    // nothing, and the last TLP's write or event landed at least a cycle
    // before this one's ACT: the handler takes one TLP at a time), so the
    // decision is a LUT or two from registers. Checked in simulation below.
    reg         ev_fatal_reg, ev_masked_reg, ev_advisory_reg, ev_first_valid_reg;
    // (and whether it is recorded, registered whole: it enables the
    // Header Log's 160 flip-flops)
    reg         ev_record_reg;
    // {fatal, masked, advisory, First Error Pointer valid} of an error of
    // class cls on the logging registers given
    function [3:0] decision_parts;
        input [4:0] cls;
        input       completed;
        input [4:0] severity, mask, first_error, status;
        reg         fatal_part;
        begin
            fatal_part = |(cls & severity);
            decision_parts = {fatal_part, |(cls & mask),
                              // Advisory Non-Fatal cases (PCIe 6.2.3.2.4): a
                              // Non-Fatal UR or CA the function completes
                              // (6.2.3.2.4.1), an Unexpected Completion
                              // (6.2.3.2.4.5), a Poisoned TLP Received
                              // (6.2.3.2.4.3)
                              !fatal_part && ((completed && (cls[E_UR] || cls[E_CA]))
                                              || cls[E_UC] || cls[E_POISONED]),
                              // the First Error Pointer is valid while the
                              // status bit it names is set
                              |(first_error & status)};
        end
    endfunction
    // Recorded in the AER registers: logged (an advisory one only while
    // Advisory Non-Fatal is unmasked), unmasked, and no First Error yet
    function recorded;
        /* verilator lint_off UNUSEDSIGNAL */   // (fatal: not a part of it)
        input [3:0] parts;
        /* verilator lint_on UNUSEDSIGNAL */
        input       anf_masked;
        begin
            recorded = (parts[1] ? !anf_masked : 1'b1) && !parts[2] && !parts[0];
        end
    endfunction
    wire [3:0] parts_next = decision_parts(err_class, err_completed, uncor_severity_reg,
                                           uncor_mask_reg, first_error_reg, uncor_status_reg);
    always @(posedge clk) begin
        if (rst || flr) begin
            ev_valid_reg <= 1'b0;
            ev_poisoned_reg <= 1'b0;
        end else begin
            ev_valid_reg <= err_valid;
            ev_poisoned_reg <= poisoned_received;
        end
        // (every cycle, no enable: the header is the one of the event's
        // cycle whenever ev_valid_reg is set)
        ev_class_reg <= err_class;
        ev_completed_reg <= err_completed;
        ev_header_reg <= err_header;
        ev_prefixed_reg <= err_prefixed;
        ev_prefix_reg <= err_prefix;
        {ev_fatal_reg, ev_masked_reg, ev_advisory_reg, ev_first_valid_reg} <= parts_next;
        ev_record_reg <= !rst && !flr && err_valid && recorded(parts_next, anf_mask_reg);
    end
    assign busy = ev_valid_reg;

    // ---------------------------------------------------------------
    // The decision for the registered error (PCIe 6.2.5, Figure 6-2)
    // ---------------------------------------------------------------
    wire [4:0] ev_class = ev_class_reg;
    wire is_ur = ev_class[E_UR];
    wire fatal = ev_fatal_reg;
    wire masked = ev_masked_reg;
    wire advisory = ev_advisory_reg;
    wire first_error_valid = ev_first_valid_reg;
    // Advisory: logged only while Advisory Non-Fatal is unmasked
    wire log_uncor = advisory ? !anf_mask_reg : 1'b1;
    wire record = ev_record_reg;     // log_uncor && !masked && !first_error_valid
    // Which message: an advisory error ERR_COR (not for a UR while UR
    // Reporting is off); else, for a UR only if UR Reporting or SERR# is
    // on, ERR_FATAL / ERR_NONFATAL by severity if SERR# or its Reporting
    // Enable is on
    wire send_cor = advisory && !anf_mask_reg && cor_reporting && !(is_ur && !ur_reporting);
    wire ur_allowed = !is_ur || ur_reporting || serr_enable;
    wire send_fatal = !advisory && !masked && ur_allowed && fatal
                   && (serr_enable || fatal_reporting);
    wire send_nonfatal = !advisory && !masked && ur_allowed && !fatal
                      && (serr_enable || nonfatal_reporting);
    // (also in D3hot: an error a received TLP causes is reported there as
    // in D0, PCIe 5.3.1.4; every error here is one)
    wire send = send_cor || send_fatal || send_nonfatal;

    // ---------------------------------------------------------------
    // Software writes: RW1C status, RWS masks and severities
    // ---------------------------------------------------------------
    wire [31:0] be_bits = {{8{wbe[3]}}, {8{wbe[2]}}, {8{wbe[1]}}, {8{wbe[0]}}};
    wire [31:0] ones_written = wdata & be_bits;     // RW1C: these clear
    function [31:0] merge;
        input [31:0] old;
        input [31:0] new_value;
        input [31:0] enabled;
        begin
            merge = (old & ~enabled) | (new_value & enabled);
        end
    endfunction
    wire w_cmd = write && reg_num == R_CMD;
    wire w_dev_ctl = write && reg_num == R_DEV_CTL;
    wire w_uncor_status = write && reg_num == R_UNCOR_STATUS;
    wire w_cor_status = write && reg_num == R_COR_STATUS;
    localparam STATUS_SHIFT = 16;     // Status, Device Status: upper halves
    wire [4:0] uncor_cleared = w_uncor_status ? gather(ones_written) : 5'd0;
    /* verilator lint_off UNUSEDSIGNAL */
    wire [31:0] uncor_mask_new = merge(spread(uncor_mask_reg) | ({31'd0, blocked_mask_reg} << PB),
                                       wdata, be_bits);
    wire [31:0] uncor_severity_new = merge(spread(uncor_severity_reg)
                                           | ({31'd0, blocked_severity_reg} << PB), wdata, be_bits);
    /* verilator lint_on UNUSEDSIGNAL */

    always @(posedge clk) begin
        if (rst || flr) begin
            // Status and Device Status are not sticky (PCIe 6.6.2, 7.5.3.5)
            signaled_target_abort_reg <= 1'b0;
            signaled_system_error_reg <= 1'b0;
            detected_parity_error_reg <= 1'b0;
            ced_reg <= 1'b0;
            nfed_reg <= 1'b0;
            fed_reg <= 1'b0;
            urd_reg <= 1'b0;
            msg_due_reg <= 1'b0;
            msg_code_reg <= 8'd0;
        end
        if (rst) begin
            // the sticky AER registers (RW1CS, RWS, ROS): only a
            // fundamental reset
            uncor_status_reg <= 5'd0;
            uncor_mask_reg <= gather(CFG_AER_UNCOR_MASK_RESET);
            uncor_severity_reg <= gather(CFG_AER_UNCOR_SEVERITY_RESET);
            anf_status_reg <= 1'b0;
            anf_mask_reg <= CFG_AER_COR_MASK_RESET[ANF];
            first_error_reg <= 5'd0;
            header_log_reg <= 128'd0;
            prefix_present_reg <= 1'b0;
            prefix_log_reg <= 32'd0;
            blocked_mask_reg <= CFG_AER_UNCOR_MASK_RESET[PB];
            blocked_severity_reg <= CFG_AER_UNCOR_SEVERITY_RESET[PB];
        end
        if (!rst && !flr) begin
            // Software first; an error event never coincides with a
            // config write (one request at a time), so the two never
            // touch a bit in the same cycle
            if (w_cmd) begin
                if (ones_written[STATUS_SHIFT + CFG_STATUS_SIGNALED_TARGET_ABORT_BIT])
                    signaled_target_abort_reg <= 1'b0;
                if (ones_written[STATUS_SHIFT + CFG_STATUS_SIGNALED_SYSTEM_ERROR_BIT])
                    signaled_system_error_reg <= 1'b0;
                if (ones_written[STATUS_SHIFT + CFG_STATUS_DETECTED_PARITY_ERROR_BIT])
                    detected_parity_error_reg <= 1'b0;
            end
            if (w_dev_ctl) begin
                if (ones_written[STATUS_SHIFT + CFG_DEV_STATUS_CED_BIT]) ced_reg <= 1'b0;
                if (ones_written[STATUS_SHIFT + CFG_DEV_STATUS_NFED_BIT]) nfed_reg <= 1'b0;
                if (ones_written[STATUS_SHIFT + CFG_DEV_STATUS_FED_BIT]) fed_reg <= 1'b0;
                if (ones_written[STATUS_SHIFT + CFG_DEV_STATUS_URD_BIT]) urd_reg <= 1'b0;
            end
            if (w_uncor_status)
                uncor_status_reg <= uncor_status_reg & ~uncor_cleared;
            if (write && reg_num == R_UNCOR_MASK) begin
                uncor_mask_reg <= gather(uncor_mask_new);
                if (HAS_PREFIX_LOG) blocked_mask_reg <= uncor_mask_new[PB];
            end
            if (write && reg_num == R_UNCOR_SEVERITY) begin
                uncor_severity_reg <= gather(uncor_severity_new);
                if (HAS_PREFIX_LOG) blocked_severity_reg <= uncor_severity_new[PB];
            end
            if (w_cor_status && ones_written[ANF])
                anf_status_reg <= 1'b0;
            if (write && reg_num == R_COR_MASK && wbe[ANF / 8])
                anf_mask_reg <= wdata[ANF];

            // Detected Parity Error: any poisoned TLP (PCIe 7.5.1.1.4)
            if (ev_poisoned_reg)
                detected_parity_error_reg <= 1'b1;
            // The error (PCIe 6.2.5, Figure 6-2)
            if (ev_valid_reg) begin
                if (ev_class[E_CA])
                    signaled_target_abort_reg <= 1'b1;
                if (is_ur)
                    urd_reg <= 1'b1;
                if (advisory) begin
                    ced_reg <= 1'b1;
                    anf_status_reg <= 1'b1;
                end else if (fatal)
                    fed_reg <= 1'b1;
                else
                    nfed_reg <= 1'b1;
                if (log_uncor)
                    uncor_status_reg <= uncor_status_reg | ev_class;
                if (record) begin
                    first_error_reg <= ev_class;
                    header_log_reg <= ev_header_reg;
                    // (PCIe 6.2.4.4: the prefixes by the Header Log's rules)
                    if (HAS_PREFIX_LOG) begin
                        prefix_present_reg <= ev_prefixed_reg;
                        prefix_log_reg <= ev_prefixed_reg ? ev_prefix_reg : 32'd0;
                    end
                end
                if (send && (send_fatal || send_nonfatal) && serr_enable)
                    signaled_system_error_reg <= 1'b1;
                msg_due_reg <= send;
                msg_code_reg <= send_cor ? MSG_ERR_COR
                              : send_fatal ? MSG_ERR_FATAL : MSG_ERR_NONFATAL;
            end else if (msg_taken)
                msg_due_reg <= 1'b0;
        end
    end

    assign msg_due = msg_due_reg;
    assign msg_code = msg_code_reg;

`ifndef SYNTHESIS
    // The decision registered with the event is the decision on the
    // registers of the event's cycle
    wire checking;
    ims_check_armed check_armed (.clk(clk), .rst(rst), .active(checking));
    always @(posedge clk)
        if (checking && !flr && ev_valid_reg
                && ({ev_fatal_reg, ev_masked_reg, ev_advisory_reg, ev_first_valid_reg}
                    != decision_parts(ev_class, ev_completed_reg, uncor_severity_reg,
                                      uncor_mask_reg, first_error_reg, uncor_status_reg)
                    || record != (log_uncor && !masked && !first_error_valid))) begin
            $display("ERROR: %m: the error decision registered with the event is out of date");
            $finish;
        end
`endif

    // ---------------------------------------------------------------
    // Reads: which DW (registered), then its value (registered)
    // ---------------------------------------------------------------
    localparam READABLE = 14;
    localparam [10*READABLE-1:0] READ_NUM = {
        R_PREFIX_LOG,
        R_HEADER_LOG + 10'd3, R_HEADER_LOG + 10'd2, R_HEADER_LOG + 10'd1, R_HEADER_LOG,
        R_CAP_CTL, R_COR_MASK, R_COR_STATUS, R_UNCOR_SEVERITY, R_UNCOR_MASK,
        R_UNCOR_STATUS, R_AER, R_DEV_CTL, R_CMD
    };
    wire [15:0] status_now =
          ({15'd0, signaled_target_abort_reg} << CFG_STATUS_SIGNALED_TARGET_ABORT_BIT)
        | ({15'd0, signaled_system_error_reg} << CFG_STATUS_SIGNALED_SYSTEM_ERROR_BIT)
        | ({15'd0, detected_parity_error_reg} << CFG_STATUS_DETECTED_PARITY_ERROR_BIT);
    wire [15:0] dev_status_now = ({15'd0, ced_reg} << CFG_DEV_STATUS_CED_BIT)
                               | ({15'd0, nfed_reg} << CFG_DEV_STATUS_NFED_BIT)
                               | ({15'd0, fed_reg} << CFG_DEV_STATUS_FED_BIT)
                               | ({15'd0, urd_reg} << CFG_DEV_STATUS_URD_BIT);
    wire [32*READABLE-1:0] read_value = {
        prefix_log_reg,                         // TLP Prefix Log DW0 (DW1-3: 0)
        header_log_reg[127:96], header_log_reg[95:64], header_log_reg[63:32],
        header_log_reg[31:0],
        ({31'd0, prefix_present_reg} << PLP) | {27'd0, bit_number(first_error_reg)},
        {18'd0, anf_mask_reg, 13'd0},
        {18'd0, anf_status_reg, 13'd0},
        spread(uncor_severity_reg) | ({31'd0, blocked_severity_reg} << PB),
        spread(uncor_mask_reg) | ({31'd0, blocked_mask_reg} << PB),
        spread(uncor_status_reg),
        AER_HEADER,                             // Next: PASID, or the last
        {dev_status_now, 16'd0}, {status_now, 16'd0}
    };
    reg [READABLE-1:0] read_sel_reg;
    reg [31:0] rdata_reg;
    reg [31:0] read_dw;
    integer k;
    always @(posedge clk)
        for (k = 0; k < READABLE; k = k + 1)
            read_sel_reg[k] <= reg_num == READ_NUM[10*k +: 10];
    always @* begin
        read_dw = 32'd0;
        for (k = 0; k < READABLE; k = k + 1)
            read_dw = read_dw | (read_value[32*k +: 32] & {32{read_sel_reg[k]}});
    end
    always @(posedge clk)
        rdata_reg <= read_dw;
    assign rdata = rdata_reg;

endmodule

`resetall
