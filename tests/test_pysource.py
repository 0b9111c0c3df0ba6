"""Fragments laid out by `generator.pysource` are exactly what black makes of them written on one line.

They only exist to spare black work; a layout black would change costs it a
second pass, and one it would keep but not choose would make the output depend
on us instead of black. Both are checked here, on random data.
"""

from __future__ import annotations

import string
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.formatting import format_black
from generator.pysource import assignment, call, data_literal, string_literal, tuple_display

texts = st.text(alphabet=string.ascii_letters + " -_'\"\\é/", max_size=30)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**12), 10**12) | texts,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(texts, children, max_size=4),
    max_leaves=24,
)


def black(source: str) -> str:
    return format_black(source, name="fragment.py")


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(value=json_values, name=st.sampled_from(["X: Any", "RESULT_LIST_ORGANIZATION_POLICY_API_TOKENS: Any"]))
def test_assignments_are_laid_out_as_black_lays_them_out(value: Any, name: str) -> None:
    laid_out = assignment(name, value) + "\n"
    assert laid_out == black(f"{name} = {data_literal(value)}\n")
    assert eval(data_literal(value)) == value  # noqa: S307 - our own literal of plain data


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(arguments=st.lists(st.sampled_from(["environment_id", "body", "None", "retries", "timeout", '"a long string argument"', "(a, b)"]), max_size=8), indent=st.sampled_from([4, 8]))
def test_calls_are_laid_out_as_black_lays_them_out(arguments: list[str], indent: int) -> None:
    head = "class _:\n    def f(self):\n" if indent == 8 else "def f():\n"
    laid_out = head + " " * indent + call("return self._client._send_something", arguments, indent) + "\n"
    assert laid_out == black(head + " " * indent + f"return self._client._send_something({', '.join(arguments)})\n")


@given(items=st.lists(st.sampled_from(['("projectId", "path")', '("a-much-longer-parameter-name", "query")', "Outcome(\"200\", True)"]), min_size=1, max_size=5))
@settings(max_examples=100, deadline=None, derandomize=True, database=None)
def test_tuples_are_laid_out_as_black_lays_them_out(items: list[str]) -> None:
    one_line = f"({items[0]},)" if len(items) == 1 else f"({', '.join(items)})"
    laid_out = f"X = f(\n    1,\n    {tuple_display(items, 4)},\n)\n"
    assert laid_out == black(f"X = f(\n    1,\n    {one_line},\n)\n")


def test_strings_take_black_quotes() -> None:
    assert string_literal("plain") == '"plain"'
    assert string_literal('say "hi"') == "'say \"hi\"'"
    assert string_literal("it's") == '"it\'s"'
    assert string_literal("back\\slash\n") == '"back\\\\slash\\n"'
