"""The bounded Jinja sandbox templates are checked and rendered in.

:class:`BoundedSandbox` is jinja2's :class:`~jinja2.sandbox.ImmutableSandboxedEnvironment`
(no Python internals, no methods that change data, ``StrictUndefined``, autoescape) with limits
on what a template may cost, so that no template can exhaust the machine:

- **sizes**: ``**``, ``*`` (string and list repetition), ``+`` and ``~`` (joining), ``%`` and
  ``str.format`` (field widths), padding (``center``, ``ljust``, ``indent``...), ``replace``,
  ``translate``, ``join`` (the lengths of the items), ``sum`` (list concatenation),
  ``batch``, ``round``, ``tojson`` and ``lipsum`` stop with
  :class:`TemplateLimitError` *before* building a string, list or number over the limits
  below. The operators are intercepted (:attr:`intercepted_binops`), which also keeps Jinja
  from folding them as constants while compiling: ``{{ 99999999**99999999 }}`` is refused,
  never computed, by ``templates check`` as well as by a render.
- **text**: turning a value into text is measured *before* it is converted (a cheap count
  over lists, tuples, dicts and strings that stops once over the limit): what ``{{ … }}``
  prints (``finalize``), the parts of ``~``, and the filters that convert their value
  (``string``, ``tojson``, ``pprint``, ``upper``...); ``join`` and ``~`` count escaped
  characters as escaped when autoescaping applies.
- **work**: every loop iteration is counted (:data:`MAX_ITERATIONS` per render) and a
  render started with :meth:`BoundedSandbox.clock` has a deadline, checked cooperatively in
  every loop iteration, call, attribute lookup, operator and output chunk (a thread cannot be
  killed and ``SIGALRM`` only works in the main thread; the hooks work everywhere).

Each error message says what the template did and how to fix it.
"""

from __future__ import annotations

import functools
import os
import re
import string
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sized
from contextlib import contextmanager
from typing import Any, cast

import jinja2
from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.exceptions import SecurityError
from jinja2.filters import make_attrgetter
from jinja2.runtime import Context, LoopContext
from jinja2.sandbox import MAX_RANGE, ImmutableSandboxedEnvironment

from ..errors import ConfigError

MAX_LENGTH = 5_000_000
"""Longest string or list a template may build (characters or items)."""
MAX_INT_BITS = 10_000
"""Largest whole number a template may compute, in bits (about 3,000 digits)."""
MAX_ITERATIONS = 1_000_000
"""Loop iterations a render may run, all loops together."""
MAX_OUTPUT = 50_000_000
"""Characters a render may produce."""
RENDER_SECONDS = 20.0
"""Time the rendering of one template may take (see :meth:`BoundedSandbox.clock`), unless the
environment variable :data:`SECONDS_VARIABLE` says otherwise (a very large document on a slow
machine)."""
SECONDS_VARIABLE = "NETDOCS_RENDER_SECONDS"


def render_seconds() -> float:
    """The render deadline: :data:`SECONDS_VARIABLE` when set, else :data:`RENDER_SECONDS`."""
    raw = os.environ.get(SECONDS_VARIABLE, "").strip()
    if not raw:
        return RENDER_SECONDS
    try:
        value = float(raw)
    except ValueError:
        value = 0.0
    if not 0 < value <= 3600:
        raise ConfigError(
            f"{SECONDS_VARIABLE}={raw!r}: give the seconds a template may take to render, a "
            f"number from 1 to 3600 (default {RENDER_SECONDS:g}), or unset it"
        )
    return value


MAX_ROUND_DIGITS = 100
"""Largest precision of the ``round`` filter."""

_PADDING_METHODS = frozenset({"center", "ljust", "rjust", "zfill"})
_PERCENT_FIELD = re.compile(
    r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?[hlL]?[a-zA-Z%]", re.ASCII
)


class TemplateLimitError(SecurityError):
    """A template went over one of the limits of :mod:`.sandbox`; the message says how."""


def _too_long(what: str, size: int) -> TemplateLimitError:
    return TemplateLimitError(
        f"{what} would make {size:,} characters or items, over the limit of {MAX_LENGTH:,}; "
        "make the template build smaller values"
    )


def _check_length(what: str, size: int) -> None:
    if size > MAX_LENGTH:
        raise _too_long(what, size)


def _check_bits(what: str, bits: int) -> None:
    if bits > MAX_INT_BITS:
        raise TemplateLimitError(
            f"{what} would make a number of about {bits:,} bits, over the limit of "
            f"{MAX_INT_BITS:,} bits (about 3,000 digits); use smaller numbers"
        )


def _is_sequence(value: Any) -> bool:
    return isinstance(value, str | bytes | list | tuple)


def _as_int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def check_power(base: Any, exponent: Any) -> None:
    """Refuse ``base ** exponent`` when the result would be over :data:`MAX_INT_BITS`."""
    b, e = _as_int(base), _as_int(exponent)
    if b is None or e is None or e <= 1 or abs(b) < 2:
        return
    if e > MAX_INT_BITS:  # even 2 ** e is too big; don't multiply huge numbers to say so
        _check_bits(f"{base} ** {exponent}", e)
    _check_bits(f"{base} ** {exponent}", e * b.bit_length())


def check_multiply(left: Any, right: Any) -> None:
    """Refuse ``left * right`` that repeats a sequence or makes a number over the limits."""
    for seq, count in ((left, right), (right, left)):
        n = _as_int(count)
        if _is_sequence(seq) and n is not None:
            _check_length(f"repeating a {type(seq).__name__} {n:,} times", len(seq) * n)
            return
    a, b = _as_int(left), _as_int(right)
    if a is not None and b is not None:
        _check_bits("this multiplication", a.bit_length() + b.bit_length())


def check_add(left: Any, right: Any) -> None:
    """Refuse ``left + right`` joining two sequences into one over :data:`MAX_LENGTH`."""
    if _is_sequence(left) and _is_sequence(right):
        _check_length("joining two values with +", len(left) + len(right))


def check_percent_format(text: Any, args: Any) -> None:
    """Refuse ``text % args`` whose field widths or precisions are over :data:`MAX_LENGTH`."""
    if not isinstance(text, str):
        return
    values = args if isinstance(args, tuple) else (args,)
    for match in _PERCENT_FIELD.finditer(text):
        for number in match.groups():
            if number == "*":
                for value in values:
                    if (n := _as_int(value)) is not None:
                        _check_length("a '*' field width", abs(n))
            elif number is not None:
                _check_length(f"the format field {match.group(0)!r}", int(number))


def check_format_string(text: str, args: Iterable[Any] = ()) -> None:
    """Refuse ``text.format(...)`` whose field widths or precisions are over the limit."""
    try:
        fields = list(string.Formatter().parse(text))
    except ValueError:
        return  # a malformed format string fails when it is used, with Python's message
    for _literal, _name, spec, _conversion in fields:
        if not spec:
            continue
        for number in re.findall(r"\d+", spec):
            _check_length(f"the format field {{:{spec}}}", int(number))
        if "{" in spec:  # the width comes from an argument
            for value in args:
                if (n := _as_int(value)) is not None:
                    _check_length("a format field width taken from an argument", abs(n))


def check_width(what: str, width: Any) -> None:
    """Refuse padding or indenting to more than :data:`MAX_LENGTH` characters."""
    if (n := _as_int(width)) is not None:
        _check_length(what, n)


def check_round(precision: Any) -> None:
    """Refuse ``round`` with a precision over :data:`MAX_ROUND_DIGITS` digits either way."""
    if (n := _as_int(precision)) is not None and abs(n) > MAX_ROUND_DIGITS:
        raise TemplateLimitError(
            f"round to {n:,} digits is over the limit of {MAX_ROUND_DIGITS}; round to fewer digits"
        )


def _is_join(method: Any) -> bool:
    """Whether ``method`` is the ``join`` of a string."""
    owner = getattr(method, "__self__", None)
    return isinstance(owner, str | bytes) and getattr(method, "__name__", "") == "join"


def check_method_call(method: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """Refuse a call of a ``str``/``bytes``/``int`` method that would build a huge value."""
    target = getattr(method, "__wrapped__", method)  # the sandbox wraps str.format
    owner = getattr(target, "__self__", None)
    name = getattr(target, "__name__", "")
    if isinstance(owner, str | bytes):
        if name in _PADDING_METHODS and args:
            check_width(f"{name}({args[0]})", args[0])
        elif name == "expandtabs":
            size = kwargs.get("tabsize", args[0] if args else 8)
            if (n := _as_int(size)) is not None:
                tabs = owner.count("\t") if isinstance(owner, str) else owner.count(b"\t")
                _check_length("expandtabs", len(owner) + tabs * n)
        elif name == "replace" and len(args) >= 2:
            check_replace(owner, args[0], args[1], args[2] if len(args) > 2 else -1)
        elif name == "join" and args:
            check_join(owner, args[0])
        elif name == "translate" and args:
            check_translate(owner, args[0])
        elif name in ("format", "format_map") and isinstance(owner, str):
            check_format_string(owner, (*args, *kwargs.values()))
    elif _as_int(owner) is not None and name == "to_bytes":
        size = kwargs.get("length", args[0] if args else 1)
        check_width("to_bytes", size)


def check_replace(text: Any, old: Any, new: Any, count: Any = -1) -> None:
    """Refuse ``text.replace(old, new)`` whose result would be over :data:`MAX_LENGTH`."""
    if not (isinstance(text, str | bytes) and isinstance(old, type(text))):
        return
    if not isinstance(new, str | bytes):
        return
    counted: Any = text
    found = counted.count(old) if old else len(text) + 1
    limit = _as_int(count)
    if limit is not None and limit >= 0:
        found = min(found, limit)
    _check_length("replace", len(text) + found * (len(new) - len(old)))


_CHUNK = 65_536
_DICT_VIEWS: tuple[type, ...] = (type({}.keys()), type({}.values()), type({}.items()))
_HTML_ESCAPES = {"&": 4, "'": 4, '"': 4, "<": 3, ">": 3}
"""Characters each escaped character adds (``&`` -> ``&amp;``, ``'`` -> ``&#39;``...)."""


def _repr_length(text: str | bytes, budget: int) -> int:
    """How many characters ``repr(text)`` has (about), counted in pieces so that no copy of
    a long string is made; counting stops past ``budget``."""
    if len(text) > budget:
        return len(text)
    if isinstance(text, str) and text.isprintable():
        quotes = text.count("'") if "'" in text and '"' in text else 0
        return len(text) + 2 + text.count("\\") + quotes
    frame = 3 if isinstance(text, bytes) else 2  # b'' or ''
    size = frame
    for start in range(0, len(text), _CHUNK):
        size += len(repr(text[start : start + _CHUNK])) - frame
        if size > budget:
            break
    return size


def _text_length(value: Any, budget: int, nested: bool = False) -> int:
    """About how many characters ``str(value)`` has, at least; counting stops past ``budget``
    so that a list of long strings is never turned into text to measure it (strings inside
    a list, a tuple or a dict count as their ``repr``)."""
    if isinstance(value, str):
        return _repr_length(value, budget) if nested else len(value)
    if isinstance(value, bytes):
        return _repr_length(value, budget)
    if isinstance(value, int | float | complex | bool | type(None)):
        return len(str(value)) if not isinstance(value, int) or value.bit_length() < 4096 else 4096
    if isinstance(value, jinja2.utils.Namespace):
        attrs = object.__getattribute__(value, "_Namespace__attrs")
        return 12 + _text_length(attrs, budget - 12, nested=True)
    if isinstance(value, (list, tuple, set, frozenset, dict, *_DICT_VIEWS)):
        size = 2 if isinstance(value, list | tuple | set | frozenset | dict) else 14
        for item in value.items() if isinstance(value, dict) else cast(Iterable[Any], value):
            size += 2 + _text_length(item, budget - size, nested=True)
            if size > budget:
                break
        return size
    return len(str(value))


def _escaped_length(text: str) -> int:
    """The length of ``text`` once HTML-escaped, counted without escaping it."""
    return len(text) + sum(text.count(char) * extra for char, extra in _HTML_ESCAPES.items())


def _too_much_text(what: str, limit: int | None = None) -> TemplateLimitError:
    limit = MAX_LENGTH if limit is None else limit
    return TemplateLimitError(
        f"{what} would make more than {limit:,} characters, over the limit; "
        "make the template build smaller values"
    )


def check_text(what: str, value: Any, limit: int | None = None) -> None:
    """Refuse turning ``value`` into text of more than ``limit`` characters, measured
    *before* converting it (``str`` of a list holding one long string many times would
    take hours and all memory). A string is already text and passes."""
    limit = MAX_LENGTH if limit is None else limit
    if not isinstance(value, str) and _text_length(value, limit) > limit:
        raise _too_much_text(f"{what} {_kind(value)}", limit)


def _kind(value: Any) -> str:
    name = type(value).__name__
    return f"an {name}" if name[:1] in "aeiou" else f"a {name}"


def check_parts(what: str, parts: Iterable[Any]) -> None:
    """Refuse joining ``parts`` into text of more than :data:`MAX_LENGTH` characters,
    measured before any is converted; when one of them is markup all the others are
    escaped, and are counted as escaped."""
    parts = list(parts)
    escaping = any(hasattr(part, "__html__") for part in parts)
    size = 0
    for part in parts:
        if isinstance(part, str) and escaping and not hasattr(part, "__html__"):
            size += _escaped_length(part)
        else:
            size += _text_length(part, MAX_LENGTH - size)
        if size > MAX_LENGTH and not isinstance(part, str):
            raise _too_much_text(what)
    if size > MAX_LENGTH:  # all strings: the size is exact
        raise _too_long(what, size)


def check_join(separator: Any, items: Any) -> None:
    """Refuse joining ``items`` with ``separator`` into more than :data:`MAX_LENGTH`: the
    separators and the items' own lengths are added up, stopping once over the limit."""
    if isinstance(separator, str | bytes) and isinstance(items, Sized):
        _check_length("join", len(separator) * max(len(items) - 1, 0))
        if isinstance(items, Iterable):
            joinable(separator, items, keep=False)
        if hasattr(separator, "__html__") and isinstance(items, Iterable):  # Markup escapes
            texts = [i if isinstance(i, str) or hasattr(i, "__html__") else str(i) for i in items]
            check_parts("join (escaped)", [*texts, *[separator] * max(len(texts) - 1, 0)])


def joinable(separator: Any, items: Iterable[Any], keep: bool = True) -> list[Any]:
    """The ``items`` (a generator too), refused as soon as they and the separators between
    them add up to more than :data:`MAX_LENGTH` characters; with ``keep``, as a list."""
    gathered: list[Any] = []
    step = len(separator) if isinstance(separator, str | bytes) else 0
    size = -step
    for item in items:
        size += step + _text_length(item, MAX_LENGTH - size)
        if size > MAX_LENGTH:
            raise TemplateLimitError(
                f"join would make more than {MAX_LENGTH:,} characters, over the limit; "
                "make the template build smaller values"
            )
        if keep:
            gathered.append(item)
    return gathered


def check_translate(text: Any, table: Any) -> None:
    """Refuse ``text.translate(table)`` whose result would be over :data:`MAX_LENGTH`."""
    if not isinstance(text, str):
        return  # bytes.translate never makes its value longer
    size = 0
    for char, times in Counter(text).items():
        try:
            new = table[ord(char)]
        except LookupError:
            new = char
        size += times * (len(new) if isinstance(new, str) else 0 if new is None else 1)
    _check_length("translate", size)


def bounded_sum(check_time: Callable[[], None], items: Iterable[Any], start: Any = 0) -> Any:
    """``sum(items, start)`` that refuses a list, tuple or string result over
    :data:`MAX_LENGTH` before building it, gathers lists and tuples in linear time (adding
    them one by one takes time in the square of their number) and calls ``check_time`` for
    every item."""
    if isinstance(start, str | bytes):
        raise TypeError("sum() can't sum strings [use ''.join(seq) instead]")
    total, kind = start, type(start) if type(start) in (list, tuple) else None
    gathered: list[Any] | None = list(start) if kind is not None else None
    for item in items:
        check_time()
        if gathered is not None and kind is not None:
            if type(item) is kind:
                _check_length("sum", len(gathered) + len(item))
                gathered.extend(item)
                continue
            total, gathered = kind(gathered), None
        if _is_sequence(total) and _is_sequence(item):
            _check_length("sum", len(total) + len(item))
        total = total + item
    return kind(gathered) if gathered is not None and kind is not None else total


def _bounded_filters(filters: dict[str, Callable[..., Any]]) -> dict[str, Callable[..., Any]]:
    """The filters that can build large values, each checking its arguments first."""
    center, indent, fmt = filters["center"], filters["indent"], filters["format"]
    batch, slice_, round_ = filters["batch"], filters["slice"], filters["round"]
    replace, join, tojson = filters["replace"], filters["join"], filters["tojson"]

    def do_center(value: Any, width: int = 80) -> Any:
        check_width(f"center({width})", width)
        return center(value, width)

    def do_indent(value: Any, width: Any = 4, *args: Any, **kwargs: Any) -> Any:
        check_width(f"indent({width})", width)
        pad = len(width) if isinstance(width, str) else (_as_int(width) or 0)
        text = str(value)
        _check_length(f"indent({width})", len(text) + (text.count("\n") + 1) * pad)
        return indent(value, width, *args, **kwargs)

    def do_format(value: Any, *args: Any, **kwargs: Any) -> Any:
        check_percent_format(str(value), tuple(args) or tuple(kwargs.values()))
        return fmt(value, *args, **kwargs)

    def do_batch(value: Any, linecount: int, fill_with: Any = None) -> Any:
        check_width(f"batch({linecount})", linecount)
        return batch(value, linecount, fill_with)

    def do_slice(value: Any, slices: int, fill_with: Any = None) -> Any:
        if (n := _as_int(slices)) is not None and n > MAX_RANGE:
            raise TemplateLimitError(
                f"slice({n:,}) is over the limit of {MAX_RANGE:,} slices; use fewer slices"
            )
        return slice_(value, slices, fill_with)

    def do_round(value: Any, precision: int = 0, method: str = "common") -> Any:
        check_round(precision)
        return round_(value, precision, method)

    @jinja2.pass_eval_context
    def do_replace(eval_ctx: Any, s: Any, old: Any, new: Any, count: Any = None) -> Any:
        check_replace(str(s), str(old), str(new), -1 if count is None else count)
        return replace(eval_ctx, s, old, new, count)

    @jinja2.pass_eval_context
    def do_join(eval_ctx: Any, value: Any, d: str = "", attribute: Any = None) -> Any:
        if attribute is not None:
            value = map(make_attrgetter(eval_ctx.environment, attribute), value)
        items = joinable(d, value)
        if eval_ctx.autoescape and (
            hasattr(d, "__html__") or any(hasattr(item, "__html__") for item in items)
        ):  # the items and separators are escaped: up to 5 times longer
            items = [i if isinstance(i, str) or hasattr(i, "__html__") else str(i) for i in items]
            check_parts("join (escaped)", [*items, *[d] * max(len(items) - 1, 0)])
        return join(eval_ctx, items, d)

    @jinja2.pass_environment
    def do_sum(environment: Any, value: Any, attribute: Any = None, start: Any = 0) -> Any:
        if attribute is not None:
            value = map(make_attrgetter(environment, attribute), value)
        return bounded_sum(environment.check_time, value, start)

    @jinja2.pass_eval_context
    def do_tojson(eval_ctx: Any, value: Any, indent: Any = None) -> Any:
        check_width(f"tojson(indent={indent})", indent)
        return tojson(eval_ctx, value, indent)

    bounded: dict[str, Callable[..., Any]] = {
        "center": do_center,
        "indent": do_indent,
        "format": do_format,
        "batch": do_batch,
        "slice": do_slice,
        "round": do_round,
        "replace": do_replace,
        "join": do_join,
        "sum": do_sum,
        "tojson": do_tojson,
    }
    for name in _TEXT_FILTERS:
        if name in filters:
            bounded[name] = _measuring(name, bounded.get(name, filters[name]))
    return bounded


_TEXT_FILTERS = (
    "string", "pprint", "tojson", "safe", "e", "escape", "forceescape", "upper", "lower",
    "capitalize", "title", "trim", "striptags", "truncate", "wordwrap", "wordcount", "center",
    "indent", "format", "replace", "urlize", "urlencode",
)  # fmt: skip
"""Filters that turn their value into text first."""


def _measuring(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """``function``, a filter, refusing a value whose text is over the limit before
    converting it (``tojson`` escapes each character to up to 6: a sixth of the limit)."""
    passes = getattr(function, "jinja_pass_arg", None) is not None

    @functools.wraps(function)
    def measured(*args: Any, **kwargs: Any) -> Any:
        value = args[1 if passes else 0] if len(args) > passes else kwargs.get("value")
        check_text(f"the {name} filter on", value, MAX_LENGTH // 6 if name == "tojson" else None)
        return function(*args, **kwargs)

    return measured


def check_binop(operator: str, left: Any, right: Any) -> None:
    """Refuse the binary ``operator`` on ``left`` and ``right`` if it goes over a limit."""
    if operator == "**":
        check_power(left, right)
    elif operator == "*":
        check_multiply(left, right)
    elif operator == "+":
        check_add(left, right)
    elif operator == "%":
        check_percent_format(left, right)


class _BoundedCodeGenerator(CodeGenerator):
    """Compiles loops to count their iterations and ``~`` to check the joined length."""

    def visit_For(self, node: nodes.For, frame: Frame) -> None:
        if not _is_bounded(node.iter):
            node.iter = nodes.Call(
                nodes.EnvironmentAttribute("bounded_loop"), [node.iter], [], None, None
            ).set_lineno(node.lineno)
        super().visit_For(node, frame)

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        """``checked_length(markup_join(checked_parts((a, b, ...))))``: the parts are
        measured before they are turned into text and joined, the result after."""
        if frame.eval_ctx.volatile:
            func_name = "(markup_join if context.eval_ctx.volatile else str_join)"
        elif frame.eval_ctx.autoescape:
            func_name = "markup_join"
        else:
            func_name = "str_join"
        self.write(f"environment.checked_length({func_name}(environment.checked_parts((")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))))")


def _is_bounded(node: nodes.Node) -> bool:
    return (
        isinstance(node, nodes.Call)
        and isinstance(node.node, nodes.EnvironmentAttribute)
        and node.node.name == "bounded_loop"
    )


class BoundedSandbox(ImmutableSandboxedEnvironment):
    """The immutable sandbox with the size, iteration and time limits of :mod:`.sandbox`."""

    intercepted_binops = frozenset({"**", "*", "+", "%"})
    code_generator_class = _BoundedCodeGenerator

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.filters.update(_bounded_filters(self.filters))
        lipsum = cast(Callable[..., Any], self.globals["lipsum"])

        def bounded_lipsum(n: int = 5, html: bool = True, min: int = 20, max: int = 100) -> Any:
            for value in (n, min, max):
                if (count := _as_int(value)) is not None and count > 1000:
                    raise TemplateLimitError(f"lipsum({value}) is over the limit of 1,000")
            return lipsum(n, html, min, max)

        self.globals["lipsum"] = bounded_lipsum
        if self.finalize is None:
            self.finalize = self.print_value
        self.deadline: float | None = None
        """``time.monotonic()`` after which the render stops (``None``: no deadline)."""
        self.seconds = RENDER_SECONDS
        self.iterations = 0
        """Loop iterations run since :meth:`clock` started."""

    @contextmanager
    def clock(self, seconds: float | None = None) -> Iterator[None]:
        """Within the block, renders stop after ``seconds`` (default :func:`render_seconds`)
        and after :data:`MAX_ITERATIONS` loop iterations."""
        self.seconds = render_seconds() if seconds is None else seconds
        self.deadline = time.monotonic() + self.seconds
        self.iterations = 0
        try:
            yield
        finally:
            self.deadline = None

    def check_time(self) -> None:
        """Raise :class:`TemplateLimitError` once the deadline of :meth:`clock` has passed."""
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise TemplateLimitError(
                f"rendering took longer than {self.seconds:g} s and was stopped; "
                "look for loops that run too often (nested {% for %} over range() or large "
                f"lists) or macros that call themselves; a very large document may need more: "
                f"set {SECONDS_VARIABLE}"
            )

    def bounded_loop(self, iterable: Iterable[Any]) -> Iterator[Any]:
        """``iterable``, counting each item against :data:`MAX_ITERATIONS` and the deadline."""
        for item in iterable:
            self.iterations += 1
            if self.iterations > MAX_ITERATIONS:
                raise TemplateLimitError(
                    f"the loops of this template ran more than {MAX_ITERATIONS:,} times; "
                    "loop over fewer items (nested {% for %} loops multiply)"
                )
            self.check_time()
            yield item

    def checked_parts(self, parts: tuple[Any, ...]) -> tuple[Any, ...]:
        """The ``parts`` of a ``~``, refused if their text is over :data:`MAX_LENGTH`."""
        check_parts("joining with ~", parts)
        return parts

    def print_value(self, value: Any) -> Any:
        """``finalize`` of ``{{ value }}``: ``value``, refused if its text would be over
        :data:`MAX_LENGTH` characters, measured before it is turned into text."""
        check_text("printing", value)
        return value

    def checked_length(self, value: Any) -> Any:
        """``value`` (a string joined with ``~``), refused if over :data:`MAX_LENGTH`."""
        if isinstance(value, str):
            _check_length("joining with ~", len(value))
        return value

    def concat(self, chunks: Iterable[str]) -> str:  # type: ignore[override]
        """Join the output of a render, within :data:`MAX_OUTPUT` and the deadline."""
        parts: list[str] = []
        size = 0
        for chunk in chunks:
            size += len(chunk)
            if size > MAX_OUTPUT:
                raise TemplateLimitError(
                    f"the template printed more than {MAX_OUTPUT:,} characters; "
                    "print less (look for loops that run too often)"
                )
            if len(parts) % 1024 == 0:
                self.check_time()
            parts.append(chunk)
        return "".join(parts)

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        self.check_time()
        check_binop(operator, left, right)
        return super().call_binop(context, operator, left, right)

    def getattr(self, obj: Any, attribute: str) -> Any:
        self.check_time()
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        self.check_time()
        return super().getitem(obj, argument)

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        __self.check_time()
        if _is_join(__obj) and args and not isinstance(args[0], Sized):
            args = (joinable(__obj.__self__, args[0]), *args[1:])  # measured as it is read
        check_method_call(__obj, args, kwargs)
        if isinstance(__obj, LoopContext) and args:  # {{ loop(children) }} of a recursive loop
            args = (__self.bounded_loop(args[0]), *args[1:])
        return super().call(__context, __obj, *args, **kwargs)


def make_environment() -> BoundedSandbox:
    """A bounded, sandboxed, strict, autoescaping environment for docxtpl."""
    return BoundedSandbox(
        autoescape=True, undefined=jinja2.StrictUndefined, keep_trailing_newline=True
    )
