"""XML and JSON for Open311 clients, both from a `documents.Document`.

The XML is what old, strict clients parse: the declaration with double quotes
and `encoding="utf-8"`, no namespace, no attributes, elements in the spec's
order, built with ElementTree so text is always escaped. Characters XML 1.0
cannot carry (control characters a resident may paste) are dropped rather than
written into a document no parser would accept.
"""

import json
import re
from datetime import UTC, datetime
from decimal import Decimal
from xml.etree import ElementTree

from django.utils import timezone
from rest_framework.renderers import BaseRenderer

from complaints.open311.documents import Items

XML_DECLARATION = b'<?xml version="1.0" encoding="utf-8"?>\n'
NOT_XML_CHAR = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def w3c_datetime(value: datetime) -> str:
    """`2026-12-01T10:30:00+08:00`: W3C date and time to the second, with the
    portal's offset, as the spec requires of every date. Before 1901 Beijing kept
    local mean time (+08:05:43), an offset W3C cannot write: such a moment is given in UTC."""
    local = timezone.localtime(value).replace(microsecond=0)
    if local.utcoffset().seconds % 60:
        return local.astimezone(UTC).isoformat().replace("+00:00", "Z")
    return local.isoformat()


class Open311XMLRenderer(BaseRenderer):
    media_type = "text/xml"
    format = "xml"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        root = ElementTree.Element(data.root)
        _fill(root, data.body)
        return XML_DECLARATION + ElementTree.tostring(root, encoding="utf-8")


class Open311JSONRenderer(BaseRenderer):
    media_type = "application/json"
    format = "json"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        return json.dumps(_plain(data.body), ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _fill(element: ElementTree.Element, body) -> None:
    if isinstance(body, Items):
        for row in body.rows:
            _fill(ElementTree.SubElement(element, body.item), row)
    elif isinstance(body, dict):
        for name, value in body.items():
            _fill(ElementTree.SubElement(element, name), value)
    else:
        element.text = _text(body)


def _text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return w3c_datetime(value)
    return NOT_XML_CHAR.sub("", str(value))


def _plain(body):
    if isinstance(body, Items):
        return [_plain(row) for row in body.rows]
    if isinstance(body, dict):
        return {name: _plain(value) for name, value in body.items()}
    if isinstance(body, datetime):
        return w3c_datetime(body)
    if isinstance(body, Decimal):
        return float(body)
    return body
