"""Element-by-element comparison of an answer with a spec example: the same
elements (or keys) in the same order at every level. A repeating element is
compared by its first occurrence; the tests pick answers whose first row is
as complete as the example's."""

import json

from defusedxml import ElementTree


def xml_shape(element) -> tuple:
    shapes = []
    for child in element:
        if shapes and shapes[-1][0] == child.tag:
            continue
        shapes.append(xml_shape(child))
    return element.tag, tuple(shapes)


def json_shape(value):
    if isinstance(value, dict):
        return tuple((key, json_shape(item)) for key, item in value.items())
    if isinstance(value, list):
        return ("list", json_shape(value[0]) if value else None)
    return "scalar"


def assert_same_xml(answer: bytes, example: bytes) -> None:
    assert xml_shape(ElementTree.fromstring(answer)) == xml_shape(ElementTree.fromstring(example))


def assert_same_json(answer, example: str) -> None:
    assert json_shape(answer) == json_shape(json.loads(example))
