"""Browser policy headers on every answer the portal makes itself.

- Permissions-Policy: the portal uses the location (the intake form's "use my
  location") and nothing else a browser can grant; every other feature is off.
- Cache-Control: pages here show residents' personal data (tracking pages, the
  desk, the API), and a shared computer's back button or a proxy must not keep
  them. Any answer that has not chosen its own caching is `no-store`; public
  answers that may be cached (the transparency data, static files) say so.

Static files are served by WhiteNoise further in: this middleware sits outside it,
so they carry the same Permissions-Policy (and keep their own long cache).
"""

PERMISSIONS_POLICY = ", ".join(
    [
        "geolocation=(self)",
        "camera=()",
        "microphone=()",
        "payment=()",
        "usb=()",
        "serial=()",
        "bluetooth=()",
        "magnetometer=()",
        "gyroscope=()",
        "accelerometer=()",
        "display-capture=()",
    ]
)


class BrowserPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if "Cache-Control" not in response.headers:
            response.headers["Cache-Control"] = "no-store"
        return response
