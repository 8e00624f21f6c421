"""Place names in memory: every district, street and community of the tree by the
names people write in an address, read once per process."""

from collections import defaultdict

from complaints.models import Region, RegionLevel

# What people leave off when they write a committee's place: "多福巷社区居委会" is
# written "多福巷社区", "大庄村民委员会" "大庄村". Order matters: longest first.
COMMITTEE_SUFFIXES = (
    ("居民委员会", ""),
    ("村民委员会", "村"),
    ("居委会", ""),
    ("村委会", "村"),
    ("委员会", ""),
)
# A shorter name ("东村") would turn up inside unrelated words of an address.
SHORTEST_ALIAS = 3
NAMED_LEVELS = (RegionLevel.DISTRICT, RegionLevel.STREET, RegionLevel.COMMUNITY)


def aliases_of(name: str) -> set[str]:
    names = {name}
    for suffix, replacement in COMMITTEE_SUFFIXES:
        if name.endswith(suffix):
            alias = name[: -len(suffix)] + replacement
            if len(alias) >= SHORTEST_ALIAS:
                names.add(alias)
            break
    return names


class NameIndex:
    def __init__(self, regions: list[Region]):
        self.by_code: dict[str, Region] = {region.code: region for region in regions}
        by_id = {region.pk: region for region in regions}
        for region in regions:
            # Linked here so that reading a match's street or district costs no query.
            if region.parent_id in by_id:
                region.parent = by_id[region.parent_id]
        self.by_name: dict[str, list[Region]] = defaultdict(list)
        for region in regions:
            if region.level in NAMED_LEVELS:
                for alias in aliases_of(region.name):
                    self.by_name[alias].append(region)
        self.longest = max((len(name) for name in self.by_name), default=0)

    @classmethod
    def load(cls) -> "NameIndex":
        return cls(list(Region.objects.all()))

    def region(self, code: str | None) -> Region | None:
        return self.by_code.get(code) if code else None

    def named_in(self, text: str) -> list[tuple[str, list[Region]]]:
        """The known names in `text`, read left to right taking the longest name at
        each point, with the places each may mean; longest first. A name inside a
        longer one is not read: "双花园社区" says nothing of "花园社区"."""
        found: dict[str, list[Region]] = {}
        start = 0
        while start < len(text):
            for length in range(min(self.longest, len(text) - start), SHORTEST_ALIAS - 1, -1):
                piece = text[start : start + length]
                if piece in self.by_name:
                    found[piece] = self.by_name[piece]
                    start += length
                    break
            else:
                start += 1
        return sorted(found.items(), key=lambda item: len(item[0]), reverse=True)
