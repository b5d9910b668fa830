"""The document registry: one record per type, and an extra type added with one module-like
object and one registry line is built, gets its template and is published."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from docx import Document

from pipeline.config import load_settings
from pipeline.documents import registry
from pipeline.documents.build import build_document, load_inputs
from pipeline.documents.common import block, md, pick, table
from pipeline.documents.parts import State, section, sources_section
from pipeline.documents.registry import NETWORK, REGISTRY, DocumentType, document_type
from pipeline.documents.templates import build_templates, check_templates, designs, specs
from pipeline.errors import UsageError
from pipeline.render.catalog import COMMON
from tests.conftest import REPO
from tests.documents.conftest import headings
from tests.publish.conftest import make_project

# -- the extra type: what a newcomer writes (one module) -------------------------------------


def members_articles(kb: Any) -> list[Any]:
    return pick(kb, "introduction")


def members_cover(s: State) -> tuple[str, str]:
    return "Members list", f"Every member institution of {s.data.network.short_name}"


def members_table(s: State) -> Any:
    rows = [(md(o.name), md(o.country), md(o.status)) for o in s.data.organisations]
    return block(table(["Institution", "Country", "Status"], rows), "members")


def members_chart(s: State) -> Any:
    from decimal import Decimal

    from pipeline.documents import charts

    counts: dict[str, int] = {}
    for o in s.data.organisations:
        counts[o.status] = counts.get(o.status, 0) + 1
    return charts.bar_chart(
        list(counts), [Decimal(n) for n in counts.values()], what="members per status",
        unit="member institutions",
    )  # fmt: skip


EXTRA = DocumentType(
    name="members-list",
    title="Members list",
    description="every member institution, with its country and status",
    summary="Every member institution of the network, with its country and status.",
    scopes=(NETWORK,),
    accent="555555",
    cover=members_cover,
    articles=members_articles,
    sections=(
        section("Member institutions", "members", "block", "One row per member.", members_table),
        section(None, "status_chart", "chart", "Members per status.", members_chart,
                "Figure 1. Members per status"),
        sources_section(members_articles),
    ),
)  # fmt: skip


@pytest.fixture
def extra() -> Iterator[DocumentType]:
    """The one registry line (undone after the test)."""
    registry.register(EXTRA)
    try:
        yield EXTRA
    finally:
        REGISTRY.pop(EXTRA.name, None)


@pytest.fixture
def copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")
    root = make_project(tmp_path / "project")
    monkeypatch.chdir(root)
    return load_settings(cwd=root)


# -- the bundled types --------------------------------------------------------------------------


def test_registry_lists_the_bundled_types_in_edition_order() -> None:
    assert list(REGISTRY) == ["strategy", "action-plan", "handbook", "progress-report"]
    assert [t.name for t in registry.network_types()] == ["strategy", "action-plan", "handbook"]
    assert [t.name for t in registry.per_cluster_types()] == ["action-plan", "progress-report"]
    for t in REGISTRY.values():
        assert t.template == f"{t.name}.docx" and t.design.file == t.template
        assert t.design.parts == t.parts and t.problems() == []
        assert set(t.spec.variables) == set(COMMON) | {p.name for p in t.parts}


def test_each_type_prints_its_declared_parts(built: Any) -> None:
    """Every declared part with a heading is printed, and no tag is left unfilled (on the
    documents the session built)."""
    for key, result in built.items():
        kind = key.split(":")[0]
        text = "\n".join(p.text for p in Document(str(result.path)).paragraphs)
        for part in document_type(kind).parts:
            if part.heading:
                assert part.heading in headings(result.path), (key, part.heading)
        assert "{{" not in text and "{%" not in text, key


def test_unknown_type_is_a_usage_error_listing_the_choices() -> None:
    with pytest.raises(UsageError, match=r"unknown document 'brochure' \(choose from strategy, "):
        document_type("brochure")


def test_an_unsound_record_is_refused_with_what_is_wrong() -> None:
    bad = DocumentType(
        name="bad",
        title="Bad",
        description="",
        summary="",
        scopes=("galaxy",),
        cover=members_cover,
        sections=(
            section("A", "title", "block", "", members_table),
            section("B", "x", "box", "", members_table),
            section("C", "x", "block", "", members_table),
        ),
    )
    with pytest.raises(ValueError) as info:
        registry.registry_of(bad, EXTRA, EXTRA)
    message = str(info.value)
    for expected in (
        "bad: scopes ('galaxy',) must be among network, cluster",
        "bad: part 'title' is declared twice or is a cover variable",
        "bad: part 'x' has kind 'box'",
        "bad: part 'x' is declared twice",
        "document type 'members-list' is declared twice",
    ):
        assert expected in message
    with pytest.raises(ValueError, match="'strategy' is declared twice"):
        registry.register(REGISTRY["strategy"])
    with pytest.raises(ValueError, match="template 'base.docx' is taken"):
        registry.register(replace(EXTRA, name="base", template=""))
    assert list(REGISTRY) == ["strategy", "action-plan", "handbook", "progress-report"]


def test_render_names_no_document_type() -> None:
    for name in ("catalog.py", "template_factory.py", "__init__.py"):
        source = (REPO / "pipeline" / "render" / name).read_text(encoding="utf-8")
        for kind in REGISTRY:
            assert not re.search(rf"\b{kind}\b", source), (name, kind)


# -- the extra type -----------------------------------------------------------------------------


def test_extra_type_is_in_every_list_that_reads_the_registry(extra: DocumentType) -> None:
    assert document_type("members-list") is extra
    assert registry.network_types()[-1] is extra and extra not in registry.per_cluster_types()
    assert "members-list.docx" in specs() and designs()[-1] == extra.design
    from pipeline.docs import template_variables

    assert "`members-list.docx`, in order:" in template_variables()
    assert "| Member institutions | `{{p members }}` | One row per member. |" in (
        template_variables()
    )


def test_extra_type_gets_its_template_and_is_built(extra: DocumentType, copy: Any) -> None:
    settings = copy
    status = build_templates(settings.templates)
    assert status["members-list.docx"] == "written"
    assert {s for name, s in status.items() if name != "members-list.docx"} == {"unchanged"}
    template = settings.templates / "members-list.docx"
    assert check_templates([template]) == {template: []}
    tags = "\n".join(p.text for p in Document(str(template)).paragraphs)
    assert "{{p members }}" in tags and "{{ status_chart }}" in tags and "{{p sources }}" in tags

    kb, snapshot = load_inputs(settings)
    out = settings.outputs / "drafts" / "members-list.docx"
    result = build_document("members-list", settings, kb, snapshot, output=out)
    assert result.path == out and result.files == {"docx": out}
    assert list(result.articles) == ["introduction"]
    assert headings(out) == ["Member institutions", "Sources"]
    document = Document(str(out))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = {c.text for t in document.tables for row in t.rows for c in row.cells}
    assert "Members list" in text and "Figure 1. Members per status" in text
    first = snapshot.network.organisations[0]
    assert first.name in cells and "introduction" in cells
    assert any(r.reltype.endswith("/image") for r in document.part.rels.values())

    with pytest.raises(UsageError, match="--cluster applies to action-plan and progress-report"):
        build_document("members-list", settings, kb, snapshot, cluster="africa", output=out)


def test_extra_type_is_published(extra: DocumentType, copy: Any) -> None:
    from pipeline.publish.run import publish

    settings = copy
    build_templates(settings.templates)
    report = publish(settings, processes=1, formats=("docx",))
    folder = report.folder
    assert (folder / "members-list.docx").is_file()
    assert headings(folder / "members-list.docx") == ["Member institutions", "Sources"]
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    listed = json.dumps(manifest)
    assert "members-list.docx" in listed
    landing = (folder / "index.html").read_text(encoding="utf-8")
    assert "Members list" in landing and extra.summary in landing
    for name in ("strategy.docx", "handbook.docx", "clusters/progress-report-africa.docx"):
        assert (folder / name).is_file(), name


def test_each_type_makes_the_cover_then_one_value_per_part_in_order(project: Any) -> None:
    from pipeline.documents import charts
    from pipeline.documents.common import Inputs

    settings, kb, snapshot, _out = project
    for t in REGISTRY.values():
        cluster = None if t.network else snapshot.network.clusters[0]
        plan = t.make(Inputs(kb, snapshot, settings, settings.templates / t.template, cluster))
        assert list(plan.context) == [*COMMON, *(p.name for p in t.parts)], t.name
        for part in t.parts:
            value = plan.context[part.name]
            assert isinstance(value, list) == (part.kind == "loop"), (t.name, part.name)
        assert [a.id for a in plan.articles] == [a.id for a in t.articles(kb)]
        for value in plan.context.values():
            charts.close(value)


def test_a_per_cluster_type_without_a_cluster_is_a_usage_error(project: Any) -> None:
    from pipeline.documents.common import Inputs

    settings, kb, snapshot, _out = project
    t = REGISTRY["progress-report"]
    with pytest.raises(UsageError, match="a progress report is about one cluster"):
        t.make(Inputs(kb, snapshot, settings, settings.templates / t.template))


def test_build_document_writes_every_format_asked(project: Any, tmp_path: Path) -> None:
    """``formats`` beyond docx come from the same document model, beside the .docx by
    default; :attr:`Built.files` names each, and the dependencies are recorded."""
    settings, kb, snapshot, _out = project
    out = tmp_path / "clusters" / "progress-report-africa.docx"
    result = build_document(
        "progress-report", settings, kb, snapshot, cluster="africa", output=out,
        formats=("docx", "html", "epub"), outputs={"epub": tmp_path / "report.epub"},
    )  # fmt: skip
    assert result.files == {
        "docx": out,
        "html": tmp_path / "clusters" / "progress-report-africa-html" / "index.html",
        "epub": tmp_path / "report.epub",
    }
    for path in result.files.values():
        assert path.is_file() and path.stat().st_size > 0, path
    assert "Contribution to the KPIs" in result.files["html"].read_text(encoding="utf-8")
    assert result.dependencies is not None


# -- the pre-flight is handed the specs, whatever was imported before -----------------------------


def test_spec_for_is_handed_the_specs() -> None:
    from pipeline.render.catalog import BASE_SPEC, spec_for

    with pytest.raises(TypeError):
        spec_for("handbook.docx")  # type: ignore[call-arg]  # no silent default any more
    handbook = spec_for("handbook.docx", specs())
    assert handbook == REGISTRY["handbook"].spec
    assert set(handbook.variables) - set(BASE_SPEC.variables)
    assert spec_for("base.docx", {}) is BASE_SPEC
    assert spec_for("custom.docx", specs()).variables == BASE_SPEC.variables


def test_check_template_with_a_spec_knows_its_blocks(tmp_path: Path) -> None:
    from pipeline.render.catalog import BASE_SPEC
    from pipeline.render.preflight import check_template

    template = tmp_path / "base.docx"
    document = Document(str(REPO / "templates" / "base.docx"))
    document.add_paragraph("Inline: {{ body }}")
    document.save(str(template))
    messages = [p.message for p in check_template(template, BASE_SPEC)]
    assert messages == [
        "Markdown block 'body' must stand alone in its paragraph as {{p body }}, not {{ body }}"
    ]
    assert check_template(template, list(BASE_SPEC.variables)) == []  # names only: no blocks


def test_preflight_cannot_be_asked_without_the_specs_it_checks_against() -> None:
    """The pre-flight is handed each type's specs: called without them it refuses, instead of
    checking every template against the base variables (which an import order once did)."""
    from pipeline.render.preflight import check_templates as preflight

    paths = sorted((REPO / "templates").glob("*.docx"))
    with pytest.raises(TypeError):
        preflight(paths)  # type: ignore[call-arg]
    given = preflight(paths, specs())
    assert {p.name for p in given} >= {"handbook.docx", "action-plan.docx"}
    assert all(messages == [] for messages in given.values()), given


def test_template_readme_names_where_its_variables_come_from() -> None:
    from pipeline.docs import TEMPLATES_BEGIN

    readme = (REPO / "templates" / "README.md").read_text(encoding="utf-8")
    assert TEMPLATES_BEGIN in readme
    named = re.findall(r"pipeline/[\w/]+\.py", TEMPLATES_BEGIN)
    assert named == ["pipeline/documents/registry.py"] and (REPO / named[0]).is_file()
    assert "REGISTRY" in (REPO / named[0]).read_text(encoding="utf-8")
