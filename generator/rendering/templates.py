"""Render the package's templates with the intermediate model.

Templates mirror the output tree: `templates/{package}/client.py.jinja`
becomes `<output>/<package>/client.py`, and a file without the `.jinja`
suffix (the static runtime, `templates/{package}/_base.py`) is copied as it is.
A user's template folder is searched first, so a file there replaces the default
of the same relative path and a new file adds an output file. `models/` holds
datamodel-code-generator's templates and is rendered by it, not here.
"""

from __future__ import annotations

import hashlib
import re
import textwrap
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import jinja2

from generator.caching import cache_dir
from generator.intermediate.model import Api
from generator.problems import Level, Problem
from generator.rendering.defaults import default_templates
from generator.rendering.literals import data_literal, string_literal, toml_string

TEMPLATE_SUFFIX = ".jinja"
MODEL_TEMPLATES = "models"
PARTIALS = "partials"
"""Macros and includes that other templates import; they produce no file of their own."""
_DCG = find_spec("datamodel_code_generator")
DCG_TEMPLATES = (
    Path(_DCG.origin if _DCG and _DCG.origin else ".").parent / "model" / "template"
)
"""datamodel-code-generator's own templates: what a user's `models/` templates may replace."""


class TemplateError(Exception):
    """A template could not be rendered; the message names the template and line."""


_UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029"
    "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)
"""A character that breaks or disguises a line of code, TOML or Markdown.

Controls (C0, DEL, C1: NUL ends a compile, a bare CR ends a comment), line and
paragraph separators (`str.splitlines` and editors break lines there), lone
surrogates (no UTF-8 file can hold one) and bidirectional controls ("Trojan
Source": they make text read differently from what it is). Unicode keeps the
categories Cc, Cs, Zl and Zp fixed, so one character class matches them all.
"""


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _replaced(match: re.Match[str]) -> str:
    return "\ufffd" if 0xD800 <= ord(match.group(0)) <= 0xDFFF else " "


def _one_line(value: Any) -> str:
    """Text on one line, single-spaced; an unsafe character is a space (U+FFFD for a surrogate)."""
    return " ".join(_UNSAFE.sub(_replaced, str(value)).split())


def python_string(value: Any) -> str:
    """A Python string literal holding `value` as text, whatever it contains (controls escaped)."""
    return string_literal(str(value))


def docstring_text(value: Any) -> str:
    """Text that is safe between triple double quotes: no early end, nothing a compiler refuses.

    Line breaks are `\\n` (a CR or CRLF is one); every other unsafe character is
    written as its escape, so the docstring still holds the spec's text. Lines
    lose their trailing blanks, as black would strip them anyway.
    """
    text = (
        str(value)
        .replace("\r\n", "\n")
        .replace("\r", "\n")
        .strip()
        .replace("\\", "\\\\")
    )
    lines = text.replace('"""', '\\"\\"\\"').split("\n")
    text = "\n".join(_UNSAFE.sub(_escape, line).rstrip() for line in lines)
    return text + " " if text.endswith('"') else text


LINE_LENGTH = 88
"""The generated code's line length (ruff's and black's default), which docstrings keep."""
_LIST_ITEM = re.compile(r"(?:[*+-]|\d{1,9}[.)]) ")
"""A Markdown list item's marker: its text's next lines hang under the text."""


def docstring_wrapped(value: Any, indent: int, first: int | None = None) -> str:
    """`docstring_text` wrapped at `LINE_LENGTH`, for a docstring indented by `indent`.

    The template places the first line (at column `first`, `indent` by default);
    the filter writes the others, indented. Each line of the text is wrapped on
    its own, so the spec's line breaks (paragraphs, Markdown lists) stay, and a
    wrapped line hangs under its own indentation (a list item's, under its text).
    A word longer than a line (a URL) is not broken. Memoised: the sync, async
    and raw methods of an operation wrap the same texts.
    """
    return _wrapped(str(value), indent, indent if first is None else first)


@lru_cache(maxsize=8192)
def _wrapped(value: str, indent: int, first: int) -> str:
    """`docstring_wrapped`'s work, the first line placed at column `first`."""
    out: list[str] = []
    column = first
    for line in docstring_text(value).split("\n"):
        stripped = line.lstrip()
        lead = line[: len(line) - len(stripped)]
        marker = _LIST_ITEM.match(stripped)
        hang = lead + " " * (len(marker.group(0)) if marker else 0)
        wrapper = textwrap.TextWrapper(
            width=LINE_LENGTH,
            initial_indent=" " * column + lead,
            subsequent_indent=" " * indent + hang,
            break_long_words=False,
            break_on_hyphens=False,
        )
        pieces = wrapper.wrap(stripped) or [""]
        pieces[0] = pieces[0][column:]
        if out:
            pieces[0] = " " * indent + pieces[0] if pieces[0] else ""
        out.extend(pieces)
        column = indent
    text = "\n".join(out)
    # A last `"` would run into the closing quotes: escaped, it adds no trailing blank.
    return text[:-1] + '\\"' if text.endswith('"') else text


def comment_text(value: Any) -> str:
    """Text that is safe after `#` (in Python or TOML): one line, no control characters."""
    return _one_line(value)


def toml_text(value: Any) -> str:
    """A TOML basic string holding `value`; line separators, C1 and bidi controls escaped too.

    TOML allows them raw, but editors and diffs break lines at them or reorder the text.
    """
    return _UNSAFE.sub(
        lambda match: f"\\u{ord(match.group(0)):04X}", toml_string(value)
    )


_MARKDOWN_INLINE = re.compile(r"([\\`*_\[\]<>&|~$])")
"""What can start a code span, emphasis, a link, HTML, an entity, a table cell, math."""
_MARKDOWN_LINE_START = re.compile(
    r"^(?:([#+=-])(?=[\s#+=-]|$)|(\d{1,9})([.)])(?=\s|$))"
)
"""What makes a line a heading, list item, setext underline or thematic break (`>`: always)."""


def _markdown_line(line: str) -> str:
    escaped = _MARKDOWN_INLINE.sub(r"\\\1", line)
    return _MARKDOWN_LINE_START.sub(
        lambda m: f"\\{m[1]}" if m[1] else f"{m[2]}\\{m[3]}", escaped
    )


def markdown_text(value: Any) -> str:
    """Spec text as Markdown paragraphs that show it literally: it cannot open a code
    fence, HTML, a heading, a list, a quote or a table, whatever it contains.

    Every character with a Markdown meaning is backslash-escaped, lines lose their
    indentation (no indented code), and blank lines keep separating paragraphs.
    """
    lines = [_markdown_line(_one_line(line)) for line in str(value).splitlines()]
    paragraphs = "\n".join(lines).split("\n\n")
    return "\n\n".join(p.strip("\n") for p in paragraphs if p.strip("\n"))


def markdown_inline(value: Any) -> str:
    """Spec text on one line of Markdown (a table cell, a list item, bold text), shown literally."""
    return _markdown_line(_one_line(value))


def markdown_code(value: Any, table: bool = False) -> str:
    """Spec text as one Markdown code span: fenced by more backticks than it holds.

    With `table`, pipes are escaped, as a GFM table cell needs even in a code span.
    """
    text = _one_line(value)
    if table:
        text = text.replace("|", "\\|")
    if not text:
        return "` `"
    fence = "`" * (max((len(run) for run in re.findall("`+", text)), default=0) + 1)
    pad = " " if "`" in text else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def template_files(template_dirs: list[Path]) -> dict[str, Path]:
    """Relative path → the file it resolves to, of every file that makes an output file.

    Earlier folders win per output file, whatever the suffix: a user's
    `{package}/_base.py.jinja` replaces the default `{package}/_base.py`.
    """
    by_output: dict[str, tuple[str, Path]] = {}
    for folder in reversed(template_dirs):
        for path in sorted(folder.rglob("*")):
            relative = path.relative_to(folder).as_posix()
            if path.is_file() and is_output_template(relative):
                by_output[relative.removesuffix(TEMPLATE_SUFFIX)] = (relative, path)
    return dict(sorted(by_output.values()))


def is_template_file(relative: str) -> bool:
    """Whether the file at `relative` in a template folder is a template.

    Caches, dotfiles and the package marker are not.
    """
    parts = relative.split("/")
    return not (
        relative == "__init__.py"  # what makes the default folder a package
        or "__pycache__" in parts
        or any(part.startswith(".") for part in parts)
        or relative.endswith(".pyc")
    )


def is_output_template(relative: str) -> bool:
    """Whether the template at `relative` makes an output file of its own.

    Models and partials do not.
    """
    return is_template_file(relative) and relative.split("/")[0] not in (
        MODEL_TEMPLATES,
        PARTIALS,
    )


def make_environment(template_dirs: list[Path]) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in template_dirs]),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,  # noqa: S701 - templates write Python, not HTML
    )
    env.filters.update(
        toml=toml_text,
        pystr=python_string,
        pyliteral=data_literal,
        docstring=docstring_text,
        docstring_wrap=docstring_wrapped,
        comment=comment_text,
        markdown=markdown_text,
        markdown_inline=markdown_inline,
        markdown_code=markdown_code,
    )
    return env


@lru_cache(maxsize=8)
def _shared_environment(template_dirs: tuple[Path, ...]) -> jinja2.Environment:
    """One environment per template folders.

    A template is then compiled once per run, not once per rendering. Jinja checks
    each cached template's file before reusing it, so an edited template is read
    again. Across runs, compiled templates are kept in the user's cache folder
    (`bytecode_cache`), as Python keeps compiled modules.
    """
    env = make_environment(list(template_dirs))
    env.bytecode_cache = bytecode_cache(env)
    return env


def bytecode_cache(env: jinja2.Environment) -> jinja2.BytecodeCache | None:
    """Jinja's cache of compiled templates, in specgen's cache folder (None when
    caching is off).

    Jinja keys an entry by the template's name and file and checks its source's
    hash and the Python and Jinja versions; what else decides the compiled code
    (the environment's syntax options) names the folder, so an environment made
    otherwise never loads another's code.
    """
    root = cache_dir()
    if root is None:
        return None
    options = (
        env.block_start_string,
        env.block_end_string,
        env.variable_start_string,
        env.variable_end_string,
        env.comment_start_string,
        env.comment_end_string,
        env.line_statement_prefix,
        env.line_comment_prefix,
        env.trim_blocks,
        env.lstrip_blocks,
        env.newline_sequence,
        env.keep_trailing_newline,
        env.optimized,
        env.autoescape,
        sorted(env.extensions),
        jinja2.__version__,
    )
    digest = hashlib.sha256(repr(options).encode()).hexdigest()[:16]
    folder = root / "templates" / digest
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None  # an unwritable cache is no cache, never an error
    return jinja2.FileSystemBytecodeCache(str(folder))


def compile_templates(template_dirs: list[Path]) -> None:
    """Compile every template ahead of rendering, into the shared environment.

    The pipeline calls it while the models are made in their own process, so
    rendering later finds the templates compiled: on a small spec, compiling is
    a large part of a run.
    """
    env = _shared_environment(tuple(template_dirs))
    for name in env.list_templates(filter_func=lambda n: n.endswith(TEMPLATE_SUFFIX)):
        try:
            env.get_template(name)
        except jinja2.TemplateError:
            return  # rendering reports it, with the template and line


def output_path(template: str, api: Api) -> str:
    return template.removesuffix(TEMPLATE_SUFFIX).replace("{package}", api.package)


def _failure_site(exc: BaseException, fallback: str) -> tuple[str, int | None, str]:
    """The template file and line that failed, and the spec element it was rendering.

    Jinja rewrites tracebacks so template frames carry the template's file, line
    and variables; the innermost variable that knows its JSON pointer names the
    spec element.
    """
    where, line, element = fallback, None, ""
    tb = exc.__traceback__
    while tb is not None:
        frame = tb.tb_frame
        if frame.f_code.co_filename.endswith(TEMPLATE_SUFFIX):
            where, line = frame.f_code.co_filename, tb.tb_lineno
            for value in frame.f_locals.values():
                pointer = getattr(value, "pointer", None)
                if isinstance(pointer, str) and not isinstance(value, type):
                    element = pointer
        tb = tb.tb_next
    return where, line, element


def render_templates(api: Api, template_dirs: list[Path]) -> dict[str, str]:
    """Every output file (relative path → text) the templates produce for `api`."""
    env = _shared_environment(tuple(template_dirs))
    rendered: dict[str, str] = {}
    for relative, path in template_files(template_dirs).items():
        if not relative.endswith(TEMPLATE_SUFFIX):
            rendered[output_path(relative, api)] = path.read_text(encoding="utf-8")
            continue
        try:
            rendered[output_path(relative, api)] = env.get_template(relative).render(
                api=api
            )
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateError(
                f"{exc.filename or relative}:{exc.lineno}: template syntax error: {exc.message}"
            ) from None
        except Exception as exc:  # noqa: BLE001 - any failure inside a template is the template's
            where, line, element = _failure_site(exc, relative)
            at = f"{where}:{line}" if line else where
            subject = f"{api.spec_label}#{element}" if element else api.spec_label
            raise TemplateError(
                f"{at}: {type(exc).__name__}: {exc} (while rendering {subject})"
            ) from None
    return rendered


def check_user_templates(folder: Path) -> list[Problem]:
    """Files in a user's template folder that would silently do nothing: each is a warning."""
    ours = default_templates() / MODEL_TEMPLATES
    known_models = {
        p.relative_to(root).as_posix()
        for root in (DCG_TEMPLATES, ours)
        for p in root.rglob("*.jinja2")
    }
    problems = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        relative = path.relative_to(folder).as_posix()
        if (
            relative.startswith(f"{MODEL_TEMPLATES}/")
            and relative.removeprefix(f"{MODEL_TEMPLATES}/") not in known_models
        ):
            problems.append(
                Problem(
                    Level.WARNING,
                    path,
                    "",
                    "matches no datamodel-code-generator template, so it is never used",
                )
            )
    return problems
