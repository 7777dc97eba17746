// SPDX-License-Identifier: MIT
//
// ims_params.vh: parameter checks, the rules that several modules share
// written once. Each macro is one statement for a module's `initial`
// block: an illegal value prints "ERROR: <instance>: <NAME> <value> is not
// <rule>" (%m names the instance) and stops the simulation with $finish.
// NAME is the parameter's name as a string, VALUE the parameter.
//
//   `IMS_CHECK(OK, NAME, VALUE, RULE)        OK must hold; RULE says what
//                                            VALUE should be, as a string
//                                            (no commas in it: a macro
//                                            argument)
//   `IMS_CHECK_RANGE(NAME, VALUE, LO, HI)    LO <= VALUE <= HI
//   `IMS_CHECK_DATA_WIDTH(NAME, VALUE)       a TLP stream width: 64, 128, 256
//   `IMS_CHECK_MSI_VECTORS(NAME, VALUE)      an MSI Multiple Message Capable
//                                            count: 0, 1, 2, 4, 8, 16, 32
//   `IMS_CHECK_MSIX_TABLE_SIZE(NAME, VALUE)  0 .. 2048 (PCIe's MSI-X limit)
//   `IMS_CHECK_IMS_SIZE(NAME, VALUE)         0 .. 32768 (the IMS table's
//                                            512 KiB window of BAR0)

`ifndef IMS_PARAMS_VH
`define IMS_PARAMS_VH

`define IMS_CHECK(OK, NAME, VALUE, RULE) \
    if (!(OK)) begin \
        $display("ERROR: %m: %0s %0d is not %0s", NAME, VALUE, RULE); \
        $finish; \
    end

`define IMS_CHECK_RANGE(NAME, VALUE, LO, HI) \
    if ((VALUE) < (LO) || (VALUE) > (HI)) begin \
        $display("ERROR: %m: %0s %0d is not in %0d..%0d", NAME, VALUE, LO, HI); \
        $finish; \
    end

`define IMS_CHECK_DATA_WIDTH(NAME, VALUE) \
    if ((VALUE) != 64 && (VALUE) != 128 && (VALUE) != 256) begin \
        $display("ERROR: %m: %0s %0d is not 64, 128 or 256", NAME, VALUE); \
        $finish; \
    end

`define IMS_CHECK_MSI_VECTORS(NAME, VALUE) \
    if ((VALUE) != 0 && (VALUE) != 1 && (VALUE) != 2 && (VALUE) != 4 \
            && (VALUE) != 8 && (VALUE) != 16 && (VALUE) != 32) begin \
        $display("ERROR: %m: %0s %0d is not 0, 1, 2, 4, 8, 16 or 32", NAME, VALUE); \
        $finish; \
    end

`define IMS_CHECK_MSIX_TABLE_SIZE(NAME, VALUE) `IMS_CHECK_RANGE(NAME, VALUE, 0, 2048)

`define IMS_CHECK_IMS_SIZE(NAME, VALUE) `IMS_CHECK_RANGE(NAME, VALUE, 0, 32768)

`endif
