"""Open311 GeoReport v2 at /open311/v2/, for civic clients that already speak it."""
