"""Serving: the HTTP service over a Recommender (FastAPI app; `nextwatch serve` runs it with uvicorn)."""

from nextwatch.serving.app import HistoryRequest, RecommendationResponse, SimilarShowsResponse, create_app

__all__ = ["HistoryRequest", "RecommendationResponse", "SimilarShowsResponse", "create_app"]
