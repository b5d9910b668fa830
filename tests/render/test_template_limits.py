"""Templates cannot exhaust the machine: bounded sandbox, render deadline, zip-size limits and
the constructs the pre-flight check refuses (issue 10, item 7). The same cases, run as the real
command, are in tests/hostile/cases/templates/."""

from __future__ import annotations

import io
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from jinja2 import meta

from pipeline.errors import TemplateError
from pipeline.render import check_templates, render_bytes, template_file
from pipeline.render import sandbox as sandbox_module
from pipeline.render.sandbox import TemplateLimitError, make_environment
from pipeline.render.template_file import read_template
from pipeline.render.template_scan import scan

from .helpers import base_context


def _render(source: str, **context: object) -> str:
    env = make_environment()
    with env.clock():
        return env.from_string(source).render(**context)


def _with_paragraphs(path: Path, *texts: str, header: bool = False) -> Path:
    document = docx.Document(str(path))
    for text in texts:
        if header:
            document.sections[0].header.add_paragraph(text)
        else:
            document.add_paragraph(text)
    document.save(str(path))
    return path


# -- the sandbox: ordinary templates still work -------------------------------------------------
@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("{{ 2 ** 10 }} {{ 2 ** -1 }} {{ 2.5 ** 2 }}", "1024 0.5 6.25"),
        ("{{ 'ab' * 3 }} {{ [1, 2] * 2 }} {{ 3 * 4 }}", "ababab [1, 2, 1, 2] 12"),
        ("{{ 'a' + 'b' }} {{ [1] + [2] }} {{ 'x' ~ 1 ~ 'y' }}", "ab [1, 2] x1y"),
        ("{{ '%05.1f' % 3.14159 }} {{ '{:>4}'.format(7) }} {{ 7 % 3 }}", "003.1    7 1"),
        ("{{ 'x'|center(5) }}|{{ 'a\nb'|indent(2) }}|{{ 3.14159|round(2) }}", "  x  |a\n  b|3.14"),
        ("{{ [1, 2, 3]|batch(2)|list }} {{ 'a b'|replace(' ', '-') }}", "[[1, 2], [3]] a-b"),
        ("{{ [1, 2]|join(', ') }} {{ {'a': 1}|tojson }} {{ 'ab'.ljust(4) }}|",
         '1, 2 {"a": 1} ab  |'),
        ("{% for x in range(3) %}{{ loop.index }}{% if loop.last %}!{% endif %}{% endfor %}",
         "123!"),
        ("{% for x in [1, [2, [3]]] recursive %}{% if x is iterable %}{{ loop(x) }}"
         "{% else %}{{ x }}{% endif %}{% endfor %}", "123"),
        ("{{ [1, 2, 3]|sum }} {{ [[1], [2]]|sum(start=[]) }} {{ [(1,), (2,)]|sum(start=()) }}",
         "6 [1, 2] (1, 2)"),
        ("{{ [{'p': 2}, {'p': 3}]|sum(attribute='p') }} {{ [{'a': 'x'}, {'a': 1}]|join(',', "
         "attribute='a') }} {{ 'abc'.translate({97: 'AA', 98: None}) }} {{ '-'.join('ab') }}",
         "5 x,1 AAc a-b"),
    ],
)  # fmt: skip
def test_ordinary_expressions_render_as_before(source: str, expected: str) -> None:
    assert _render(source) == expected


# -- the sandbox: sizes -----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("{{ (99999999 ** 99999999) % 7 }}", "99999999 ** 99999999 would make a number of about"),
        ("{{ 2 ** 20000 }}", "2 ** 20000 would make a number of about 20,000 bits"),
        ("{{ n * 99999999 }}", "repeating a str 99,999,999 times would make 199,999,998"),
        ("{{ [1, 2] * 9999999 }}", "repeating a list 9,999,999 times"),
        ("{{ 99999999 * n }}", "repeating a str 99,999,999 times"),
        ("{% set ns = namespace(x='ab') %}{% for i in range(40) %}{% set ns.x = ns.x ~ ns.x %}"
         "{% endfor %}", "joining with ~ would make 8,388,608"),
        ("{% set ns = namespace(x='ab') %}{% for i in range(40) %}{% set ns.x = ns.x + ns.x %}"
         "{% endfor %}", "joining two values with + would make"),
        ("{% set ns = namespace(x=3) %}{% for i in range(40) %}{% set ns.x = ns.x * ns.x %}"
         "{% endfor %}", "this multiplication would make a number"),
        ("{{ '%099999999d' % 1 }}", "the format field '%099999999d' would make 99,999,999"),
        ("{{ '%*d' % (99999999, 1) }}", "a '*' field width would make 99,999,999"),
        ("{{ '%099999999d'|format(1) }}", "the format field '%099999999d'"),
        ("{{ '{:>99999999}'.format(1) }}", "the format field {:>99999999}"),
        ("{{ '{:>{w}}'.format(1, w=99999999) }}", "a format field width taken from an argument"),
        ("{{ n.ljust(99999999) }}", "ljust(99999999) would make 99,999,999"),
        ("{{ n.zfill(99999999) }}", "zfill(99999999)"),
        ("{{ ('\t' * 100).expandtabs(999999) }}", "expandtabs would make 100,000,000"),
        ("{{ (n * 3000).replace('', n * 3000) }}", "replace would make 36,"),
        ("{{ (n * 100000).join(range(100)) }}", "join would make"),
        ("{{ (1).to_bytes(999999999, 'big') }}", "to_bytes would make 999,999,999"),
        ("{{ n|center(9999999999) }}", "center(9999999999) would make 9,999,999,999"),
        ("{{ n|indent(99999999) }}", "indent(99999999) would make"),
        ("{{ range(3)|batch(999999999, 0)|list }}", "batch(999999999)"),
        ("{{ range(3)|slice(999999999)|list }}", "slice(999,999,999) is over the limit"),
        ("{{ 1|round(-99999999) }}", "round to -99,999,999 digits is over the limit of 100"),
        ("{{ (n * 100000)|replace('', n * 100) }}", "replace would make"),
        ("{{ range(99999)|join(n * 1000) }}", "join would make"),
        ("{{ {'a': 1}|tojson(indent=999999999) }}", "tojson(indent=999999999)"),
        ("{{ lipsum(999999999) }}", "lipsum(999999999) is over the limit of 1,000"),
        ('{{ (["x" * 4000000] * 3)|join + "" }}', "join would make more than 5,000,000"),
        ("{{ [[['x' * 4000000]] * 3]|join }}", "join would make more than 5,000,000"),
        ("{{ (['x' * 4000000] * 3000)|map('upper')|join }}", "join would make more than"),
        ("{{ ''.join((['x' * 4000000] * 3000)|map('upper')) }}", "join would make more than"),
        ("{{ ([[0] * 5000000] * 5000)|sum(start=[]) }}", "sum would make 10,000,000 characters"),
        ("{{ ([(0,) * 3000000] * 5)|sum(start=()) }}", "sum would make 6,000,000"),
        ("{{ ('x' * 4000000).translate({120: 'yy'}) }}", "translate would make 8,000,000"),
    ],
)  # fmt: skip
def test_building_a_huge_value_is_refused_before_it_is_built(source: str, message: str) -> None:
    started = time.monotonic()
    with pytest.raises(TemplateLimitError, match="over the limit") as info:
        _render(source, n="ab")
    assert message in str(info.value)
    assert time.monotonic() - started < 5  # refused, not computed


def test_sum_of_many_small_lists_takes_linear_time() -> None:
    started = time.monotonic()  # the builtin sum copies the growing list for every item
    assert _render("{{ ([[0]] * 2000000)|sum(start=[])|length }}") == "2000000"
    assert time.monotonic() - started < 5


@pytest.mark.parametrize(
    ("source", "error"),
    [
        ("{{ [[1]]|sum(start='') }}", "can't sum strings"),
        ("{{ [[1], (2,)]|sum(start=[]) }}", r'can only concatenate list \(not "tuple"\)'),
    ],
)
def test_sum_fails_like_the_builtin_sum(source: str, error: str) -> None:
    with pytest.raises(TypeError, match=error):
        _render(source)


def test_the_check_does_not_run_filters_or_calls() -> None:
    env = make_environment()
    ran: list[str] = []
    for name in ("sum", "join", "length", "list", "batch", "center"):
        env.filters[name] = lambda *args, _name=name, **kwargs: ran.append(_name) or 1
    ast = env.parse(
        "{{ ('x'|center(9)|batch(1)|sum(start=[]))|length + 1 }}{{ [1, 2]|join * 2 }}"
        "{{ ('x' ~ [1]|list) * 2 }}{% for i in [1]|list %}{% endfor %}"
    )
    assert scan(ast, env) == []
    assert ran == []  # as_const would have run them: the check must not do a render's work


def test_the_check_of_a_slow_filter_chain_is_quick(template_copy: Callable[..., Path]) -> None:
    template = _with_paragraphs(  # folded, the builtin sum would take hours (1M lists)
        template_copy("base.docx"), "{{ ('x'|center(1000000)|batch(1)|sum(start=[]))|length + 1 }}"
    )
    started = time.monotonic()
    assert [p for p in _problems(template) if "context does not provide" not in p] == []
    assert time.monotonic() - started < 10


def test_constant_expressions_are_not_folded_while_compiling() -> None:
    env = make_environment()
    started = time.monotonic()
    ast = env.parse("{{ (99999999 ** 99999999) % 7 }}{{ 'x' * 999999999 }}")
    assert meta.find_undeclared_variables(ast) == set()  # what templates check does
    env.from_string("{{ (99999999 ** 99999999) % 7 }}")  # what a render does first
    assert time.monotonic() - started < 5


# -- the sandbox: work --------------------------------------------------------------------------
def test_loop_iterations_are_counted_across_nested_loops() -> None:
    source = "{% for a in n %}{% for b in n %}{% for c in n %}.{% endfor %}{% endfor %}{% endfor %}"
    assert len(_render(source, n=range(99))) == 99**3
    with pytest.raises(TemplateLimitError, match="ran more than 1,000,000 times"):
        _render(source, n=range(101))


def test_recursive_loops_are_counted_too() -> None:
    source = "{% for x in n recursive %}{% if loop.depth < 3 %}{{ loop(n) }}{% endif %}{% endfor %}"
    assert _render(source, n=list(range(10))) == ""
    started = time.monotonic()
    with pytest.raises(TemplateLimitError, match="ran more than 1,000,000 times"):
        _render(source, n=list(range(1000)))  # 1000 ** 3 iterations, most of them in loop()
    assert time.monotonic() - started < 15


def test_a_render_past_its_deadline_is_stopped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sandbox_module, "RENDER_SECONDS", 0.5)
    source = (
        "{% macro f(n) %}{% if n %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}{% endmacro %}{{ f(60) }}"
    )
    started = time.monotonic()
    with pytest.raises(TemplateLimitError, match="rendering took longer than 0.5 s"):
        _render(source)
    assert time.monotonic() - started < 5


def test_no_deadline_outside_the_clock() -> None:
    env = make_environment()
    with env.clock(0.0):
        pass
    assert env.from_string("{{ x.y }}").render(x={"y": 1}) == "1"


def test_output_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sandbox_module, "MAX_OUTPUT", 1000)
    with pytest.raises(TemplateLimitError, match="printed more than 1,000 characters"):
        _render("{% for i in range(2000) %}x{% endfor %}")


# -- render_bytes: errors name the template, the part and the paragraph -----------------------
def test_runtime_limit_names_template_part_and_paragraph(
    template_copy: Callable[..., Path],
) -> None:
    template = _with_paragraphs(template_copy("base.docx"), "{{ network_name * 99999999 }}")
    with pytest.raises(TemplateError) as info:
        render_bytes(template, base_context())
    message = info.value.format_message()
    assert message.startswith("base.docx: the body (word/document.xml), paragraph ")
    assert '"{{ network_name * 99999999 }}": repeating a str 99,999,999 times' in message


@pytest.mark.parametrize(
    ("tag", "message"),
    [
        ("{{ 1 / 0 }}", "the template failed while rendering: ZeroDivisionError: division by zero"),
        ("{{ title - 1 }}", "the template failed while rendering: TypeError"),
        ("{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}", "macros call each other too deeply"),
    ],
)
def test_a_failing_expression_is_a_template_error(
    template_copy: Callable[..., Path], tag: str, message: str
) -> None:
    template = _with_paragraphs(template_copy("base.docx"), tag)
    with pytest.raises(
        TemplateError, match=r"base.docx: the body \(word/document.xml\), paragraph"
    ) as info:
        render_bytes(template, base_context())
    assert message in info.value.format_message()


def test_a_slow_render_is_stopped_with_a_clear_error(
    template_copy: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sandbox_module, "RENDER_SECONDS", 0.5)
    template = _with_paragraphs(
        template_copy("base.docx"),
        "{% macro f(n) %}{% if n %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}{% endmacro %}"
        "{{ f(60) }}",
    )
    with pytest.raises(TemplateError, match=r"base.docx: .*rendering took longer than 0.5 s"):
        render_bytes(template, base_context())


# -- the pre-flight check ------------------------------------------------------------------------
def _problems(path: Path) -> list[str]:
    return [p.message for p in check_templates([path], {})[path]]


def test_include_import_and_extends_are_refused_with_their_paragraph(
    template_copy: Callable[..., Path],
) -> None:
    template = _with_paragraphs(
        template_copy("base.docx"),
        "{% include 'a.docx' %}",
        "{% import 'b.docx' as b %}",
        "{% from 'c.docx' import c %}",
        "{% extends 'd.docx' %}",
    )
    problems = _problems(template)
    for tag, text in [
        ("include", "{% include 'a.docx' %}"),
        ("import", "{% import 'b.docx' as b %}"),
        ("from … import", "{% from 'c.docx' import c %}"),
        ("extends", "{% extends 'd.docx' %}"),
    ]:
        assert any(
            p.startswith("the body (word/document.xml), paragraph ")
            and f'"{text}": {{% {tag} %}} is not allowed' in p
            for p in problems
        ), (tag, problems)
    with pytest.raises(TemplateError, match="include %} is not allowed"):
        render_bytes(template, base_context())


def test_the_header_is_checked_and_named(template_copy: Callable[..., Path]) -> None:
    template = _with_paragraphs(template_copy("base.docx"), "{% include 'x' %}", header=True)
    (problem,) = _problems(template)
    assert problem.startswith("a header (word/header") and "{% include %} is not allowed" in problem


def test_document_properties_are_checked(template_copy: Callable[..., Path]) -> None:
    template = template_copy("base.docx")
    document = docx.Document(str(template))
    document.core_properties.subject = "{{ 9 ** 99999999 }}"
    document.save(str(template))
    (problem,) = _problems(template)
    assert problem.startswith("document property 'subject': 9 ** 99999999 would make")


@pytest.mark.parametrize(
    ("tag", "message"),
    [
        ("{{ (99999999**99999999) % 7 }}", "99999999 ** 99999999 would make a number"),
        ("{{ 'x' * 10 ** 9 }}", "repeating a str 1,000,000,000 times"),
        ("{{ title|center(9999999999) }}", "center(9999999999) would make"),
        ("{{ title|indent(width=9999999999) }}", "indent(9999999999) would make"),
        ("{{ 1.5|round(precision=999) }}", "round to 999 digits"),
        ("{{ '%0999999999d' % 1 }}", "the format field '%0999999999d'"),
        ("{{ 'ab'.center(9999999999) }}", "center(9999999999) would make"),
        ("{{ range(10 ** 9)|list }}", "range() of 1,000,000,000 numbers is over the limit"),
        ("{% for i in range(99999) %}{% for j in range(99999) %}x{% endfor %}{% endfor %}",
         "nested {% for %} loops would run 9,999,800,001 times, over the limit of 1,000,000"),
        ("{% for i in range(1000) %}{% for j in 'abcdefghij' %}{% for k in [1, 2, 3, 4, 5, 6, 7, "
         "8, 9, 10, 11] %}x{% endfor %}{% endfor %}{% endfor %}", "would run 110,000 times"),
    ],
)  # fmt: skip
def test_constants_over_the_limits_are_reported_by_the_check(
    template_copy: Callable[..., Path], tag: str, message: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if "110,000" in message:
        monkeypatch.setattr("pipeline.render.template_scan.MAX_ITERATIONS", 100_000)
    template = _with_paragraphs(template_copy("base.docx"), tag)
    started = time.monotonic()
    (problem,) = _problems(template)
    assert time.monotonic() - started < 10
    assert f'"{tag[:67]}' in problem and message in problem, problem


@pytest.mark.parametrize(
    "tag",
    [
        "{{ 2 ** 100 }}",
        "{{ '-' * 80 }}",
        "{% for i in range(1000) %}{% for j in range(1000) %}{% endfor %}{% endfor %}",
        "{% for m in members %}{% for n in members %}{% endfor %}{% endfor %}",
    ],
)
def test_reasonable_constants_pass_the_check(template_copy: Callable[..., Path], tag: str) -> None:
    template = _with_paragraphs(template_copy("base.docx"), tag)
    assert [p for p in _problems(template) if "context does not provide" not in p] == []


def test_syntax_error_in_a_header_names_the_part(template_copy: Callable[..., Path]) -> None:
    template = _with_paragraphs(template_copy("base.docx"), "{{ oops", header=True)
    (problem,) = _problems(template)
    assert problem.startswith("Jinja syntax error") and "(in word/header" in problem


# -- zip limits -------------------------------------------------------------------------------
def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def test_a_part_declared_too_large_is_refused_before_inflating(tmp_path: Path) -> None:
    bomb = _zip(tmp_path / "base.docx", {"word/document.xml": b" " * (60 * 1024**2)})
    assert bomb.stat().st_size < 1024**2
    with pytest.raises(TemplateError, match=r"its part word/document.xml unpacks to 60.0 MB, over"):
        read_template(bomb)
    (problem,) = _problems(bomb)
    assert "unpacks to 60.0 MB, over the limit of 50.0 MB" in problem
    assert "save a smaller template" in problem


def test_the_total_of_the_parts_is_limited(tmp_path: Path) -> None:
    parts = {f"word/media/image{i}.png": b"\0" * (30 * 1024**2) for i in range(4)}
    with pytest.raises(TemplateError, match=r"the file unpacks to 120.0 MB, over .* 100.0 MB"):
        read_template(_zip(tmp_path / "base.docx", parts))


def test_inflating_is_capped_even_if_the_headers_are_believed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pipeline.docx_file

    monkeypatch.setattr(pipeline.docx_file, "_check_declared", lambda path, members, how: None)
    bomb = _zip(tmp_path / "base.docx", {"word/document.xml": b" " * (60 * 1024**2)})
    with pytest.raises(TemplateError, match=r"its part word/document.xml unpacks to 51.0 MB"):
        read_template(bomb)


def test_headers_that_understate_a_part_are_a_damaged_file(tmp_path: Path) -> None:
    bomb = _zip(tmp_path / "base.docx", {"word/document.xml": b" " * (10 * 1024**2)})
    data = bytearray(bomb.read_bytes())
    central = data.rfind(b"PK\x01\x02")
    data[central + 24 : central + 28] = (4096).to_bytes(4, "little")
    local = data.find(b"PK\x03\x04")
    data[local + 22 : local + 26] = (4096).to_bytes(4, "little")
    bomb.write_bytes(bytes(data))
    with pytest.raises(TemplateError, match=r"base.docx: not a readable .docx template \(Bad CRC"):
        read_template(bomb)


def test_too_many_parts_and_too_large_a_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    many = _zip(tmp_path / "many.docx", {f"p{i}": b"" for i in range(2001)})
    with pytest.raises(TemplateError, match="2,001 parts, over the limit of 2,000"):
        read_template(many)
    monkeypatch.setattr(template_file, "MAX_FILE", 10)
    with pytest.raises(TemplateError, match="many.docx: the file is .* over the limit"):
        read_template(many)


def test_not_a_zip_is_not_a_readable_template(tmp_path: Path) -> None:
    path = tmp_path / "base.docx"
    path.write_text("not a zip", encoding="utf-8")
    (problem,) = _problems(path)
    assert problem.startswith("not a readable .docx template")


def test_the_checked_copy_renders_like_the_file(handbook: Path) -> None:
    data = read_template(handbook)
    with zipfile.ZipFile(handbook) as original, zipfile.ZipFile(io.BytesIO(data)) as copy:
        assert original.namelist() == copy.namelist()
        for name in original.namelist():
            assert original.read(name) == copy.read(name)
    assert render_bytes(handbook, base_context()).data[:2] == b"PK"


# -- the sandbox: turning values into text is measured before converting them ----------------
@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("{{ ['x' * 400] * 400 }}", "printing a list would make more than 1,000 characters"),
        ("{{ (['x' * 400] * 400) ~ '' }}", "joining with ~ would make more than 1,000"),
        ("{{ (['x' * 400] * 400)|string }}", "the string filter on a list would make more than"),
        ("{{ (['x' * 100] * 3)|tojson }}", "the tojson filter on a list would make more than 166"),
        ("{{ (['x' * 400] * 400)|pprint }}", "the pprint filter on a list would make more than"),
        ("{{ (['x' * 400] * 400)|upper }}", "the upper filter on a list would make more than"),
        ("{{ {'a': ['x' * 400] * 400}.items() }}", "printing a dict_items would make more"),
        ("{% set ns = namespace(x=['x' * 400] * 400) %}{{ ns }}", "printing a Namespace"),
        ("{{ ['\\x00' * 300] * 2 }}", "printing a list would make more than 1,000"),  # repr: 4x
        ("{{ (['<' * 400] * 2)|join('-'|safe) }}", "join (escaped) would make 3,201 characters"),
        ("{{ ('-'|safe).join(['<' * 400] * 2) }}", "join (escaped) would make 3,201"),
    ],
)  # fmt: skip
def test_text_of_a_value_is_measured_before_it_is_built(
    monkeypatch: pytest.MonkeyPatch, source: str, message: str
) -> None:
    monkeypatch.setattr(sandbox_module, "MAX_LENGTH", 1000)
    assert len(_render("{{ ['x' * 300] * 3 }}{{ ['<' * 300]|join('-'|safe) }}")) < 3000
    with pytest.raises(TemplateLimitError, match="over the limit") as info:
        _render(source)
    assert message in str(info.value)


def test_printing_many_copies_of_a_long_string_is_refused_at_once() -> None:
    started = time.monotonic()  # str() would build 16,000,000,000,000 characters
    with pytest.raises(TemplateLimitError, match="printing a list would make more than"):
        _render("{{ ['x' * 4000000] * 4000000 }}")
    assert time.monotonic() - started < 5


def test_the_render_deadline_can_be_set_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from pipeline.errors import ConfigError
    from pipeline.render.sandbox import RENDER_SECONDS, SECONDS_VARIABLE, render_seconds

    monkeypatch.delenv(SECONDS_VARIABLE, raising=False)
    assert render_seconds() == RENDER_SECONDS == 20
    monkeypatch.setenv(SECONDS_VARIABLE, "90")
    assert render_seconds() == 90
    for bad in ("soon", "0", "-5", "100000"):
        monkeypatch.setenv(SECONDS_VARIABLE, bad)
        with pytest.raises(ConfigError, match=f"NETDOCS_RENDER_SECONDS='{bad}': give the seconds"):
            render_seconds()
