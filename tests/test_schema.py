"""pipeline.schema: the one adapter from pydantic errors to located Problems."""

from __future__ import annotations

from typing import Annotated, Any

import pydantic
import pytest
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from pipeline import schema
from pipeline.errors import Problem


def _positive(value: Any) -> int:
    if not isinstance(value, int) or value <= 0:
        raise schema.invalid(f"{value!r} is not a positive number: write 1, 2, 3…", keep=1)
    return value


class Box(BaseModel):
    model_config = ConfigDict(extra="forbid")

    size: Annotated[int, BeforeValidator(_positive)] = Field(description="how big")
    items: list[Annotated[int, BeforeValidator(_positive)]] = Field([], description="what in")
    name: str = Field("box", description="what it is called")

    @model_validator(mode="after")
    def _fits(self) -> Box:
        if len(self.items) > self.size:
            raise schema.invalid("more items than room: make it bigger", key="size")
        return self


def _errors(data: dict[str, Any]) -> pydantic.ValidationError:
    with pytest.raises(pydantic.ValidationError) as info:
        Box.model_validate(data)
    return info.value


def test_every_error_becomes_a_located_problem_with_its_message() -> None:
    exc = _errors({"size": 0, "items": [2, "x", -1], "colour": "red"})
    found = schema.problems(exc, lambda loc: "box.toml:" + ".".join(map(str, loc)))
    assert found == [
        Problem("box.toml:size", "error", "0 is not a positive number: write 1, 2, 3…"),
        Problem("box.toml:items.1", "error", "'x' is not a positive number: write 1, 2, 3…"),
        Problem("box.toml:items.2", "error", "-1 is not a positive number: write 1, 2, 3…"),
        Problem("box.toml:colour", "error", "Extra inputs are not permitted"),
    ]


def test_a_rule_over_the_whole_model_is_placed_at_the_key_it_names() -> None:
    exc = _errors({"size": 1, "items": [1, 2]})
    (error,) = exc.errors()
    assert error["loc"] == () and schema.location(error) == ("size",)
    (problem,) = schema.problems(exc, lambda loc: f"at {loc}", level="warning")
    assert problem == Problem("at ('size',)", "warning", "more items than room: make it bigger")


def test_skip_describe_kept_and_descriptions() -> None:
    exc = _errors({"size": "big", "items": [0]})
    found = schema.problems(
        exc, str, lambda e: e["type"], skip=lambda loc: bool(loc) and loc[0] == "items"
    )
    assert found == [Problem("('size',)", "error", schema.ERROR_TYPE)]
    size, item = exc.errors()
    assert schema.kept(size) == (True, 1)
    missing = _errors({})
    assert schema.kept(missing.errors()[0]) == (False, None)
    assert schema.message(missing.errors()[0]) == "Field required"
    assert schema.descriptions(Box.model_fields) == {
        "size": "how big", "items": "what in", "name": "what it is called",
    }  # fmt: skip
    assert schema.descriptions(Box.model_fields, ["name"]) == {"name": "what it is called"}
