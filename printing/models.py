"""Plain input records shared by the document renderers.

Renderers take these frozen dataclasses, never database rows, so they can be fed from the
register, from a test or from a preview with sample data alike.
"""

from __future__ import annotations

from dataclasses import dataclass

from storage.station import Station


@dataclass(frozen=True)
class StationInfo:
    """The station as it appears on paper.

    ``name`` is the registering office on receipts (花园镇信访工作站); ``office_name`` is the
    organ that signs and seals notices (花园镇人民政府: docs/domain.md §3.3 wants the organ's name, not an
    internal office); ``short_name`` (花园) goes into document numbers; ``phone`` is printed as
    the number to call for progress.
    """

    name: str
    short_name: str
    office_name: str
    phone: str
    address: str = ""

    @classmethod
    def from_station(cls, station: Station) -> StationInfo:
        return cls(name=station.name, short_name=station.short_name,
                   office_name=station.office_name, phone=station.phone, address=station.address)


@dataclass(frozen=True)
class PetitionerInfo:
    """A petitioner (or party) as printed. ID number and phone are masked on print according
    to the document's :class:`storage.masking.MaskPolicy`."""

    name: str
    id_number: str = ""
    phone: str = ""
    address: str = ""
