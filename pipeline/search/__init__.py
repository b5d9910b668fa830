"""Full-text search over the knowledge base (Whoosh, behind one small interface).

Outside this package, netdocs calls :mod:`pipeline.search.engine` only:
:meth:`~pipeline.search.engine.SearchIndex.open` refreshes and opens the index of a KB
(query, suggest, document, related, ids, close) and :func:`~pipeline.search.engine.refresh`
builds or updates it. No other module imports whoosh (a test walks their imports), so the
engine can be replaced here alone. Inside: :mod:`.index` (schema, incremental refresh),
:mod:`.generations` (complete indexes swapped in whole), :mod:`.analysis` (tokens, stop
words, stems), :mod:`.query` (parsing, ranking, snippets), :mod:`.related` (what ``show``
lists).

Importing this package loads nothing: Whoosh loads with :mod:`.engine`.
"""
