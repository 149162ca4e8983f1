"""Parameters reach the server as the values they are, by either road of the header text."""

from __future__ import annotations

import math
from typing import Any

import pytest

from graph import GraphStore, StatementError
from graph._cypher_text import _fast, cypher_header
from graph.queries import meta

TRICKY_TEXT = [
    "滕州市",
    'say "hi"',
    "back\\slash",
    "ends with a backslash\\",
    "line\nbreak\r\ttab",
    "bell\b form\f",
    '{"name":"张三","n":1}',  # JSON inside a string: escaped quotes before ":"
    '\\":',
    'a",":b',
    ",",
    "{",
    "`tick`",
    "\\u4e2d",  # a backslash-u written out, not an escape
]

VALUES: list[Any] = [
    *TRICKY_TEXT,
    0,
    -(2**62),
    1.5,
    1e300,
    -2.5e-7,
    True,
    None,
    [],
    {},
    TRICKY_TEXT,
    {"name": "张三", "tags": ["a", 'b"'], "n": None, "x": {"y": [1, {"z": "w"}]}},
    {"true_ish": 1, "null_": 2, "_u": 3, "名字": "key that is not ASCII"},
    {"a-b": 1, "c d": 2},  # keys only backticks can hold
    {'a"b': 1, "x": {'y"': 2, "z\\": 3, ",": 4, "{": 5}},
    {"true": 1, "null": None, "1": "string keys with JSON's other names"},
    [["id-1", "k", "h", '{"a":"b\\"c"}', "file.csv:3", {"name": "x"}, None, None, None]],
    {"control": "\x01\x1f"},  # JSON writes these as \u escapes, which FalkorDB keeps
]


@pytest.mark.parametrize("value", VALUES, ids=lambda v: repr(v)[:40])
async def test_a_parameter_reads_back_as_it_was_sent(store: GraphStore, value: Any) -> None:
    rows = await store.read(meta.ECHO, {"value": value})
    assert rows == [{"value": value}]


def test_json_text_is_taken_only_where_it_means_the_same() -> None:
    assert _fast({"name": "x", "n": [1, 2.5, None, True]}) == '{`name`:"x",`n`:[1,2.5,null,true]}'
    assert _fast([{"a": {"b": "c,"}}, "{"]) == '[{`a`:{`b`:"c,"}},"{"]'
    assert _fast(['{"a":1}']) == '["{\\"a\\":1}"]'
    assert _fast({"a-b": 1}) is None  # not a plain name: the walk puts it in backticks
    assert _fast({"k": 'x\\"'}) is not None
    assert _fast("\x01") is None  # JSON's \u0001 is not an escape to FalkorDB
    assert _fast(math.nan) is None
    assert _fast({'a"b': 1}) is None
    assert _fast({"true": 1}) is None  # which JSON also writes for the key True
    assert _fast({1: "x"}) is None  # JSON would make the key "1"
    assert _fast({True: "x"}) is None
    assert _fast({None: "x"}) is None


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"rows": [{"at": math.inf}]}, "parameter rows[0].at is not a finite number"),
        ({"m": {1: "x"}}, "parameter m has a non-string key"),
        ({"m": {None: "x"}}, "parameter m has a non-string key"),
        ({"m": {"`": 1}}, "parameter m map key '`' cannot be used"),
        ({"d": {"when": object()}}, "parameter d.when has type object"),
    ],
)
def test_a_value_no_backend_takes_is_named(params: dict[str, Any], message: str) -> None:
    with pytest.raises(StatementError, match=message.replace("[", r"\[").replace("]", r"\]")):
        cypher_header("test", params)
