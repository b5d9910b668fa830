"""The review's model: what a reviewed .docx holds (:class:`Reviewed`), and each item mapped
back to where it came from (:class:`ReviewItem`)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Kind = Literal["comment", "insertion", "deletion"]
Origin = Literal["article", "data", "generated", "template", "unmapped"]


@dataclass(frozen=True)
class Heading:
    """A heading paragraph of the reviewed document."""

    text: str
    """Its text (deleted text included: the text as published)."""
    level: int
    """1-9, from its style (Heading N) or outline level."""
    bookmarks: int
    """How many bookmarks the document had passed where the heading starts."""


@dataclass
class Marked:
    """One comment or tracked change, as found in the document, in document order."""

    kind: Kind
    author: str
    date: str
    """ISO date and time as the document has it ('' when it has none)."""
    text: str
    """The comment's text, or the text inserted or deleted."""
    initials: str = ""
    anchor: str = ""
    """A comment's anchored text as the reviewer saw it ('' for a point comment)."""
    original: str = ""
    """A comment's anchored text as published (without text inserted in review)."""
    before: str = ""
    """The paragraph's published text before the item."""
    after: str = ""
    """The paragraph's published text after the item."""
    paragraph: str = ""
    """The whole paragraph's published text."""
    previous: str = ""
    """The published text of the paragraph before (for an item at a paragraph's start)."""
    row: str | None = None
    """The table row's published text, cells joined by `` | `` (None outside tables)."""
    bookmarks: int = 0
    """How many bookmarks the document had passed at the item's start."""
    headings: int = 0
    """How many headings had started at the item's start (its own heading counted)."""
    in_heading: bool = False
    """The item is in a heading paragraph."""
    moved: bool = False
    """Moved text (``w:moveFrom``/``w:moveTo``): a deletion or insertion of a move."""
    pair: int | None = None
    """The index of the deletion an insertion replaces (adjacent, same author): a
    substitution; set on the insertion."""
    within_insertion: bool = False
    """A deletion of text inserted in review (not in the published document)."""
    space_before: bool = False
    """The published text just before the item ends with white space (an insertion typed
    before a word goes after that space)."""
    whole_paragraph: bool = False
    """A paragraph inserted or deleted whole, its paragraph mark with it (a new paragraph; a
    heading or list item deleted, its marker with it)."""
    end_bookmarks: int = -1
    """A comment's range: how many bookmarks the document had passed where it ends (-1: no
    range)."""
    part: str = ""
    """The part of the .docx it is in when not the body (``word/footnotes.xml``,
    ``word/header1.xml``; ``?`` for a comment placed nowhere)."""


@dataclass
class Reviewed:
    """What a reviewed .docx holds, read in document order."""

    properties: dict[str, str]
    """Its custom document properties (``netdocs-edition``...)."""
    bookmarks: list[str]
    """The names of its bookmarks, in document order."""
    headings: list[Heading]
    items: list[Marked]
    properties_damaged: str = ""
    """Why its custom properties (``docProps/custom.xml``) cannot be read ('' when they can,
    or when it has none)."""


@dataclass
class ReviewItem:
    """One comment or tracked change mapped back to where its text came from."""

    number: int
    """1-based, in document order."""
    kind: Kind
    author: str
    date: str
    text: str
    """The comment, or the text inserted or deleted."""
    anchor: str
    """The text it is anchored to: a comment's range, a deletion's own text, the text just
    before an insertion (a point comment: the text around it)."""
    origin: Origin
    """``article`` (KB text), ``data`` (from the network data), ``generated`` (text netdocs
    writes itself), ``template`` (the template's own text), ``unmapped``."""
    article: str | None = None
    """The article id."""
    path: str | None = None
    """The article's KB path."""
    line: int | None = None
    """1-based line of the article file."""
    section: str | None = None
    """The title of the section it falls in."""
    block: str | None = None
    """The key of the block it falls in (``roles/convener.md``, ``block:membership``)."""
    record: str | None = None
    """The id of the data record the text came from."""
    record_kind: str | None = None
    """What kind of record (``organisations``, ``activities``...)."""
    record_source: str | None = None
    """Where to change the record in the data's source (``kb/network/strategy.yaml:2
    vision``, ``kb/network/organisations.csv:4``); None when the source cannot be read here."""
    note: str = ""
    """What to do with it, or why it could not be mapped."""
    mapped_by: str = ""
    """``bookmark``, ``heading``, ``text`` or '' (unmapped)."""
    exact: bool = False
    """True when the line is where the anchored text is; False when it is the section's."""
    pair: int | None = None
    """The number of the deletion this insertion replaces (a substitution)."""
    within_insertion: bool = False
    """A deletion of text inserted in review."""
    position: dict[str, Any] = field(default_factory=dict, repr=False)
    """Where the text is in the article file, for ``--apply``: ``start``/``end`` as
    ``[line, column]`` (1-based line, 0-based column; end exclusive); empty when not found."""

    @property
    def where(self) -> str:
        """``path:line``, the path alone, or ''."""
        if self.path and self.line:
            return f"{self.path}:{self.line}"
        return self.path or ""

    def as_dict(self) -> dict[str, Any]:
        """Its JSON form (stable keys)."""
        out = asdict(self)
        out.pop("position")
        out["where"] = self.where
        return out
