"""Compiled templates are kept across runs, as Python keeps compiled modules.

Jinja's bytecode cache lives in specgen's cache folder; a template whose source
changed, or an environment made with other syntax options, never loads code
compiled for another.
"""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

from generator.rendering import templates
from generator.rendering.defaults import default_templates
from generator.rendering.templates import bytecode_cache, compile_templates


def _compiled(monkeypatch: pytest.MonkeyPatch) -> list[str | None]:
    """The name of each template Jinja compiles from source, from now on."""
    names: list[str | None] = []
    original = jinja2.Environment.compile

    def compile_(
        self: jinja2.Environment,
        source: str,
        name: str | None = None,
        *args: object,
        **kwargs: object,
    ) -> object:
        names.append(name)
        return original(self, source, name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(jinja2.Environment, "compile", compile_)
    return names


@pytest.fixture
def fresh_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SPECGEN_CACHE_DIR", str(tmp_path / "cache"))
    templates._shared_environment.cache_clear()
    yield tmp_path / "cache"
    templates._shared_environment.cache_clear()


def test_a_second_run_loads_the_compiled_templates(
    fresh_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    compiled = _compiled(monkeypatch)
    compile_templates([default_templates()])
    first = len(compiled)
    assert first > 10 and any((fresh_cache / "templates").rglob("*.cache"))
    templates._shared_environment.cache_clear()  # as a new process would start
    compile_templates([default_templates()])
    assert len(compiled) == first


def test_a_changed_template_is_compiled_again(
    fresh_cache: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    mine = tmp_path / "mine"
    (mine / "{package}").mkdir(parents=True)
    readme = mine / "{package}" / "NOTES.md.jinja"
    readme.write_text("one\n", encoding="utf-8")
    compiled = _compiled(monkeypatch)
    compile_templates([mine])
    templates._shared_environment.cache_clear()
    readme.write_text("two\n", encoding="utf-8")
    compile_templates([mine])
    assert compiled.count("{package}/NOTES.md.jinja") == 2
    env = templates._shared_environment((mine,))
    assert env.get_template("{package}/NOTES.md.jinja").render() == "two\n"


def test_other_syntax_options_use_another_folder(fresh_cache: Path) -> None:
    plain = jinja2.Environment()
    trimmed = jinja2.Environment(trim_blocks=True)
    first, second = bytecode_cache(plain), bytecode_cache(trimmed)
    assert isinstance(first, jinja2.FileSystemBytecodeCache)
    assert isinstance(second, jinja2.FileSystemBytecodeCache)
    assert first.directory != second.directory


def test_no_cache_folder_means_no_bytecode_cache(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SPECGEN_CACHE_DIR", "")
    assert bytecode_cache(jinja2.Environment()) is None


def test_an_unwritable_cache_folder_is_no_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("SPECGEN_CACHE_DIR", str(blocked))
    assert bytecode_cache(jinja2.Environment()) is None
