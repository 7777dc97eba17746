# SPDX-License-Identifier: MIT
"""Device parameters (CONTRACT.md "Top level") and the slot naming used
throughout the model and the scoreboard."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

MSI = "msi"
MSIX = "msix"
IMS = "ims"
STORES = (MSI, MSIX, IMS)
STORE_NAMES = {MSI: "MSI vector", MSIX: "MSI-X entry", IMS: "IMS entry"}


class Slot(NamedTuple):
    """One interrupt message slot: a store name and an index in it."""

    store: str
    index: int  # type: ignore[assignment]  # the field shadows tuple.index(), on purpose

    def __str__(self) -> str:
        return f"{STORE_NAMES[self.store]} {self.index}"


@dataclass(frozen=True)
class Params:
    msi_vectors: int = 0
    msix_table_size: int = 0
    ims_size: int = 0
    data_width: int = 64
    #: PASID_CAP: a PASID Extended Capability, End-End TLP Prefixes, PASID in
    #: the IMS entries (design.md 3)
    pasid_cap: bool = True

    def __post_init__(self):
        if self.msi_vectors not in (0, 1, 2, 4, 8, 16, 32):
            raise ValueError(f"MSI_VECTORS {self.msi_vectors} not in 0,1,2,4,...,32")
        if not 0 <= self.msix_table_size <= 2048:
            raise ValueError(f"MSIX_TABLE_SIZE {self.msix_table_size} out of 0..2048")
        if not 0 <= self.ims_size <= 32768:
            raise ValueError(f"IMS_SIZE {self.ims_size} out of 0..32768")
        if self.data_width not in (64, 128, 256):
            raise ValueError(f"DATA_WIDTH {self.data_width} not 64/128/256")
        # PCIe 6.1.4: a function that generates interrupts supports MSI or
        # MSI-X (or both); IMS is an addition to them, never instead
        if self.ims_size and not (self.msi_vectors or self.msix_table_size):
            raise ValueError(f"IMS_SIZE {self.ims_size} needs MSI_VECTORS > 0 or "
                             "MSIX_TABLE_SIZE > 0 (PCIe 6.1.4)")

    @property
    def mmc(self) -> int:
        """MSI Multiple Message Capable: log2(MSI_VECTORS)."""
        return max(self.msi_vectors, 1).bit_length() - 1

    def size(self, store: str) -> int:
        return {MSI: self.msi_vectors, MSIX: self.msix_table_size,
                IMS: self.ims_size}[store]
