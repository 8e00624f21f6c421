"""What the transparency page shows: counts, with the rates read from them through
dispatch.reports.formulas (so a change of weights applies to cached counts too)."""

from dataclasses import asdict, dataclass, fields
from datetime import datetime

from complaints.selectors.labels import in_reader_language
from dispatch.reports.formulas import RatePercents, composite_score, ratio, satisfaction_rate
from dispatch.reports.periods import Month


@dataclass(frozen=True)
class Figures(RatePercents):
    """The counts the three rates are computed from; the rates are read from them."""

    received: int = 0
    due: int = 0  # contact deadlines that fell in the month (up to now)
    met: int = 0
    rated: int = 0
    solved: int = 0
    satisfied: int = 0
    basically: int = 0

    def __add__(self, other: "Figures") -> "Figures":
        return Figures(**{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)})

    @property
    def response_rate(self) -> float | None:
        return ratio(self.met, self.due)

    @property
    def resolution_rate(self) -> float | None:
        return ratio(self.solved, self.rated)

    @property
    def satisfaction_rate(self) -> float | None:
        return satisfaction_rate(satisfied=self.satisfied, basically=self.basically, rated=self.rated)

    @property
    def composite(self) -> float | None:
        return composite_score(
            response=self.response_rate, resolution=self.resolution_rate, satisfaction=self.satisfaction_rate
        )

    def as_data(self) -> dict:
        return {
            **asdict(self),
            "response_rate": self.response_pct,
            "resolution_rate": self.resolution_pct,
            "satisfaction_rate": self.satisfaction_pct,
            "composite": self.composite_pct,
        }


FIGURES = tuple(f.name for f in fields(Figures))


@dataclass(frozen=True)
class StreetRow:
    code: str  # the street's division code (NBS), a public fact
    name: str
    district_code: str | None
    rank: int | None  # among all the city's street offices, by composite
    figures: Figures


@dataclass(frozen=True)
class DistrictRow:
    code: str
    name: str
    streets: int
    figures: Figures


@dataclass(frozen=True)
class CategoryRow:
    key: int
    name: str
    name_en: str
    received: int

    @property
    def label(self) -> str:
        return in_reader_language(self.name, self.name_en)


@dataclass(frozen=True)
class TransparencyReport:
    month: Month
    computed_at: datetime
    district: DistrictRow | None  # set when narrowed to one district
    districts: list[DistrictRow]  # always every district, for the map and the picker
    streets: list[StreetRow]
    categories: list[CategoryRow]
    total: Figures  # the city's, or the district's

    def as_data(self) -> dict:
        """The same numbers for machines (/open/data.json): names as stored, rates in %."""
        return {
            "month": str(self.month),
            "computed_at": self.computed_at.isoformat(),
            "district": self.district.code if self.district else None,
            "total": self.total.as_data(),
            "districts": [
                {"code": d.code, "name": d.name, "streets": d.streets, **d.figures.as_data()} for d in self.districts
            ],
            "streets": [
                {"code": s.code, "name": s.name, "district": s.district_code, "rank": s.rank, **s.figures.as_data()}
                for s in self.streets
            ],
            "top_categories": [
                {"id": c.key, "name": c.name, "name_en": c.name_en, "received": c.received} for c in self.categories
            ],
        }
