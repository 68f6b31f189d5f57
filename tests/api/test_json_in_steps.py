"""A large answer read in steps: the same values as json.loads, the window painting meanwhile."""

from __future__ import annotations

import json
import threading
import time

import pytest

from omnidesk.api.json_in_steps import loads_in_steps

SAME_AS_JSON_LOADS = [
    '{"status": "SUCCESS", "errors": [{"line": 2, "column": "price", "message": "ç"}]}',
    ' \n\t{ "a" : [ 1 , 2.50 , -3e2 , true , false , null , "x" ] , "b" : { } , "c" : [ ] }\r\n',
    '[[1, [2, [3, [4]]]], {"deep": {"deeper": {"deepest": ["İğüşöç", "\\u00e7\\ud83d\\ude00"]}}}]',
    '{"twice": 1, "twice": 2}',  # the last one wins, as in json.loads
    '"only a string"',
    "12345678901234567890.123456789",
    "[NaN, Infinity, -Infinity]",
    "[]",
    "{}",
]


@pytest.mark.parametrize("text", SAME_AS_JSON_LOADS)
def test_every_value_is_read_as_json_loads_reads_it(text: str) -> None:
    # Compared by repr: the same types and values, key order included (and NaN, which
    # is not equal to itself).
    assert repr(loads_in_steps(text)) == repr(json.loads(text))
    for encoding in ("utf-8", "utf-8-sig", "utf-16", "utf-32-be"):  # bytes, as httpx gives
        answer = text.encode(encoding)
        assert repr(loads_in_steps(answer)) == repr(json.loads(answer))


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        '{"a": 1,}',
        "[1, 2,]",
        '{"a" 1}',
        "{a: 1}",
        "[1 2]",
        '{"a": [1, 2}',
        '{"a": 1} extra',
        "[1, 2",
        '{"a": "unterminated',
        "\ufeff[1]",
        "<html>Bad gateway</html>",
    ],
)
def test_what_is_not_json_is_refused_as_json_loads_refuses_it(text: str) -> None:
    with pytest.raises(json.JSONDecodeError):
        json.loads(text)
    with pytest.raises(json.JSONDecodeError):
        loads_in_steps(text)


def test_other_threads_run_while_a_large_answer_is_read() -> None:
    # An import's status with 100,000 refused rows: 10 MB, one call of 120 ms to json.loads.
    errors = [
        {"line": n, "column": "product__sku", "message": f'Product "SKU-{n:06d}" does not exist.'}
        for n in range(2, 100_002)
    ]
    answer = json.dumps({"status": "SUCCESS", "error_count": len(errors), "errors": errors})
    turns = 0
    done = threading.Event()
    read: list[object] = []

    def reader() -> None:
        read.append(loads_in_steps(answer))
        done.set()

    worker = threading.Thread(target=reader)
    worker.start()
    while not done.is_set():  # the window's thread, as it would paint and tick meanwhile
        turns += 1
        time.sleep(0.001)
    worker.join()
    assert read == [json.loads(answer)]
    # One call into C would have let this thread run once or twice, at its start and end.
    assert turns >= 10
