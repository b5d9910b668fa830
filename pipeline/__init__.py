"""netdocs: knowledge base, search and Word documents for networks of VET institutions."""

__version__ = "0.1.0"
