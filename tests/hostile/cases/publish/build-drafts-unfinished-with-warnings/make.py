"""A TODO left in a lesson and a placeholder convener in the data."""

from tests.hostile.edits import unfinished_kb_and_data as make

__all__ = ["make"]
