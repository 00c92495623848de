"""Recommending: the Python API over a checkpoint, and the batch export of every known viewer."""

from nextwatch.recommend.export import export_recommendations
from nextwatch.recommend.recommender import (
    DEFAULT_BATCH_SIZE,
    Recommendation,
    RecommendationBatch,
    Recommender,
    SimilarShows,
)

__all__ = [
    "DEFAULT_BATCH_SIZE",
    "Recommendation",
    "RecommendationBatch",
    "Recommender",
    "SimilarShows",
    "export_recommendations",
]
