"""The entries of the catalogues: gaps, best practices, instruments, the references they name, filter facets.

Labels and texts are ``{"en": …, "ru": …}`` dicts; every entry is frozen, so a cached one can be shared.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Ref:
    """A coded resource named by a catalogue entry: short code (or ISO code), IRI, labels and display order."""

    code: str
    iri: str
    label: Mapping[str, str] = field(default_factory=dict)
    order: int = 0

    def __hash__(self) -> int:
        return hash(self.iri)


@dataclass(frozen=True)
class GapSummary:
    """A gap as a country overview lists it: reference and severity (1–5)."""

    ref: Ref
    severity: int | None


@dataclass(frozen=True)
class Gap:
    """A catalogue gap, with the practices that address it and the countries where it is documented."""

    code: str
    iri: str
    label: Mapping[str, str]
    definition: Mapping[str, str]
    category: Ref | None
    severity: int | None
    frameworks: tuple[Ref, ...] = ()
    practices: tuple[Ref, ...] = ()
    pillars: tuple[Ref, ...] = ()
    stakeholders: tuple[Ref, ...] = ()
    countries: tuple[Ref, ...] = ()
    sources: tuple[str, ...] = ()
    as_of: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Example:
    """A country's experience with a practice: positive (in place) or a documented absence."""

    country: Ref
    positive: bool
    text: Mapping[str, str]
    sources: tuple[str, ...] = ()
    as_of: str | None = None


@dataclass(frozen=True)
class Practice:
    """A best practice: what it is, which gaps it closes, for whom, how fast and how costly, and where it is found."""

    code: str
    iri: str
    label: Mapping[str, str]
    definition: Mapping[str, str]
    gaps: tuple[Ref, ...] = ()
    categories: tuple[Ref, ...] = ()
    pillars: tuple[Ref, ...] = ()
    stakeholders: tuple[Ref, ...] = ()
    horizon: Ref | None = None
    effort: Ref | None = None
    evidence: Ref | None = None
    frameworks: tuple[Ref, ...] = ()
    examples: tuple[Example, ...] = ()
    sources: tuple[str, ...] = ()
    as_of: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Ratification:
    """One country's status towards an instrument."""

    country: Ref
    status: Ref | None
    date: str | None = None
    year: int | None = None


@dataclass(frozen=True)
class Instrument:
    """An international instrument and the focus countries' ratification records."""

    code: str
    iri: str
    label: Mapping[str, str]
    title: Mapping[str, str]
    year: int | None
    note: Mapping[str, str]
    ratifications: tuple[Ratification, ...] = ()
    sources: tuple[str, ...] = ()
    as_of: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Facets:
    """The values the catalogue filters offer, each list in display order."""

    pillars: tuple[Ref, ...]
    categories: tuple[Ref, ...]
    stakeholders: tuple[Ref, ...]
    horizons: tuple[Ref, ...]


@dataclass(frozen=True)
class CountryOverview:
    """A focus country at a glance: latest TIP tier and its most severe documented gaps."""

    code: str
    label: Mapping[str, str]
    tier: str | None
    tier_year: int | None
    key_gaps: tuple[GapSummary, ...] = ()
