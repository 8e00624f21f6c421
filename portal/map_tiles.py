"""The origins a map tile URL template loads from, for the Content-Security-Policy.

`https://{s}.tile.example.org/{z}/{x}/{y}.png` loads from every subdomain the
`{s}` placeholder stands for, so it becomes `https://*.tile.example.org`.
"""

from urllib.parse import urlsplit


def map_tile_origins(template: str) -> list[str]:
    parts = urlsplit(template.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return []
    host = parts.netloc.replace("{s}", "*")
    if "{" in host:  # another placeholder in the host: allow its parent domain's subdomains
        host = "*." + host.split("}", 1)[-1].lstrip(".-")
    return [f"{parts.scheme}://{host}"]
