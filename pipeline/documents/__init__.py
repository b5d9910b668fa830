"""The documents: one module per type turns the model (KB + data snapshot) into a context.

:func:`pipeline.documents.build.build_document` renders one document;
:func:`pipeline.documents.build.build_for_clusters` renders one per cluster, in parallel.
"""

DOCUMENT_TYPES: dict[str, str] = {
    "strategy": "The 5-year strategy: vision, mission, aspirations with KPIs, principles.",
    "action-plan": "The 1-2 year action plan: activities, timeline, budget and funding.",
    "handbook": "The handbook: the seven-step roadmap, roles, principles, glossary, directory.",
    "progress-report": "The consolidated progress report of one cluster (needs --cluster).",
}
"""Document types and a one-line description of each."""

PER_CLUSTER = ("action-plan", "progress-report")
"""Types that can be built for one cluster (--cluster) or for every cluster."""
