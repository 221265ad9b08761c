"""Candor's FastAPI service: collector, API, storage, auth and CLI."""
