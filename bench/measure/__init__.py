"""The measurements of `make bench`, one module per figure group."""


def percentile(values: list[float], share: float) -> float | None:
    """The nearest-rank percentile of sorted or unsorted values (None when empty)."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, int(round(share * len(ordered) + 0.5)) - 1))
    return ordered[rank]


def ms(seconds: float | None) -> str:
    return "—" if seconds is None else f"{seconds * 1000:.1f} ms"
