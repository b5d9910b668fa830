"""The documents: one module per type turns the model (KB + data snapshot) into a context.

Each type's module declares its record, ``DOCUMENT`` (:class:`~.types.DocumentType`: name,
title, description, scopes, template design, and its parts with the function making each);
:data:`~.registry.REGISTRY` lists them, and everything that needs to know the types (the CLI,
``templates build/check``, the publish plan, the landing page, the catalogue of template
variables) reads it. :func:`pipeline.documents.build.build_document` renders one document;
:func:`pipeline.documents.build.build_for_clusters` renders one per cluster, in parallel.
"""
