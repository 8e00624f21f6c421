from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle


class Open311Throttle(SimpleRateThrottle):
    """The `open311` rate (REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]), counted per
    client key, by its public prefix once the key is checked; a caller without a
    key (most GETs) is counted by its address."""

    scope = "open311"

    def get_rate(self):
        # Read when asked, not at import: settings can change (tests, reloads).
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]

    def get_cache_key(self, request, view):
        client = request.auth
        ident = f"key-{client.prefix}" if client is not None else f"ip-{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
