"""Full-text search over the knowledge base (Whoosh).

:func:`pipeline.search.index.refresh` keeps an index in the cache folder in step with the KB;
:func:`pipeline.search.query.search` answers queries with the best section of each article.
"""
