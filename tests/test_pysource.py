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
from generator.pysource import Call, TupleDisplay, assignment, call, data_literal, exploded_assignment, string_literal

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
@given(arguments=st.lists(st.sampled_from(["environment_id", "body", "None", "retries", "timeout", "options", '"a long string argument"', "(a, b)"]), max_size=8), indent=st.sampled_from([4, 8]))
def test_calls_are_laid_out_as_black_lays_them_out(arguments: list[str], indent: int) -> None:
    head = "class _:\n    def f(self):\n" if indent == 8 else "def f():\n"
    laid_out = head + " " * indent + call("return self._client._send_something", arguments, indent) + "\n"
    assert laid_out == black(head + " " * indent + f"return self._client._send_something({', '.join(arguments)})\n")


outcomes = st.sampled_from(["Outcome(\"200\", True)", Call("Outcome", ('"201"', "True", "lambda models: models.ReferenceObjectStatusResponseList", "unwrap=True"))])
parameter_lists = st.lists(st.sampled_from(['("projectId", "path")', '("a-much-longer-parameter-name", "query")']), max_size=6)
members = st.sampled_from(["models.Job", "models.AwsStaticClusterCredentials", "models.GcpWorkloadIdentityFederationClusterCredentials", "list[models.A | None]"])


@given(items=st.lists(outcomes, min_size=1, max_size=5))
@settings(max_examples=100, deadline=None, derandomize=True, database=None)
def test_tuples_are_laid_out_as_black_lays_them_out(items: list[str | Call]) -> None:
    display = TupleDisplay(tuple(items))
    laid_out = f"X = f(\n    1,\n    {display.laid_out(4, after=1)},\n)\n"
    assert laid_out == black(f"X = f(\n    1,\n    {display.one_line()},\n)\n")


@given(name=st.sampled_from(["GET_JOB", "LIST_SECRET_MANAGER_ACCESS_EXTERNAL_SECRETS_FOR_AN_ORGANIZATION"]), union=st.lists(members, min_size=1, max_size=8), parameters=parameter_lists, results=st.lists(outcomes, max_size=3))
@settings(max_examples=300, deadline=None, derandomize=True, database=None)
def test_endpoint_definitions_are_laid_out_as_black_lays_them_out(name: str, union: list[str], parameters: list[str], results: list[str | Call]) -> None:
    endpoint = Call("Endpoint", ('"GET"', '"/organization/{organizationId}/job"', TupleDisplay(tuple(parameters)), TupleDisplay(tuple(results))))
    annotation = f"Endpoint[{' | '.join(union)}]"
    flat = ", ".join(argument if isinstance(argument, str) else argument.one_line() for argument in endpoint.arguments)
    assert exploded_assignment(name, annotation, endpoint) + "\n" == black(f"{name}: {annotation} = Endpoint({flat},)\n")


def test_strings_take_black_quotes() -> None:
    assert string_literal("plain") == '"plain"'
    assert string_literal('say "hi"') == "'say \"hi\"'"
    assert string_literal("it's") == '"it\'s"'
    assert string_literal("back\\slash\n") == '"back\\\\slash\\n"'
