"""Reviewers' comments and tracked changes in a published .docx, brought back to the KB.

Readers → one model → writers, as elsewhere: :mod:`.docx_reader` reads the reviewed document
(comments, tracked changes, bookmarks, headings, in document order) into :class:`.model.Reviewed`;
:mod:`.run` finds its edition and :mod:`.mapping` maps each item to the article, section and
line its text came from (:class:`.model.ReviewItem`), or to the data record
(:mod:`.records`); :mod:`.report` prints them, :mod:`.apply` writes them into the articles as
CriticMarkup suggestions.
"""
