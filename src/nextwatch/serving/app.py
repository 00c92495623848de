"""The HTTP service: a FastAPI app over one Recommender, loaded once before the app is built.

Every request that nextwatch can judge wrong gets a 4xx with a reason: FastAPI's 422 for a malformed request, and the
``NextwatchError`` subclasses mapped below. Policies are in docs/serving.md.
"""

# No `from __future__ import annotations`: FastAPI reads the route annotations at runtime, and the `k` bounds
# depend on the recommender inside create_app, which a string annotation could not see.
from typing import Annotated, Final, Self

from fastapi import FastAPI, HTTPException, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, model_validator

from nextwatch import __version__
from nextwatch.errors import (
    CheckpointError,
    InvalidInputError,
    InvalidOptionError,
    NextwatchError,
    UnknownShowError,
    UnknownUserError,
)
from nextwatch.recommend import Recommendation, Recommender

__all__ = [
    "DEFAULT_K",
    "MAX_HISTORY_LENGTH",
    "HistoryRequest",
    "RecommendationResponse",
    "SimilarShowsResponse",
    "create_app",
]

# A longer body is refused (422) before it costs memory; the model reads only the newest `window` plays anyway.
MAX_HISTORY_LENGTH: Final = 10_000
# Without k a request gets 10 shows, or the whole catalogue when it is smaller.
DEFAULT_K: Final = 10

_STATUS_OF_ERROR: Final[dict[type[NextwatchError], int]] = {
    UnknownShowError: 422,
    UnknownUserError: 404,
    InvalidOptionError: 422,
    InvalidInputError: 422,
    CheckpointError: 422,
}

Minutes = Annotated[float, Field(ge=0, allow_inf_nan=False)]
AssetType = Annotated[str, Field(max_length=64)]


class HistoryRequest(BaseModel):
    """A history, oldest play first; ``asset_types`` and ``watch_minutes``, when given, as long as ``show_ids``."""

    model_config = ConfigDict(extra="forbid")

    show_ids: list[int] = Field(max_length=MAX_HISTORY_LENGTH, description="show ids, oldest play first")
    asset_types: list[AssetType] | None = Field(
        default=None, max_length=MAX_HISTORY_LENGTH, description="one per play; omitted: unknown for every play"
    )
    watch_minutes: list[Minutes] | None = Field(
        default=None,
        max_length=MAX_HISTORY_LENGTH,
        description="one per play, >= 0, capped at 1440; omitted: the checkpoint's median minutes",
    )
    k: int | None = Field(default=None, ge=1, description="how many shows, 1..number of shows; default 10 (or all)")
    exclude_seen: bool = Field(default=False, description="leave out every show of this history")

    @model_validator(mode="after")
    def _lengths_match(self) -> Self:
        for name in ("asset_types", "watch_minutes"):
            values = getattr(self, name)
            if values is not None and len(values) != len(self.show_ids):
                raise ValueError(f"{name} has {len(values)} entries but show_ids has {len(self.show_ids)}")
        return self


class RecommendationResponse(BaseModel):
    user_id: int | None = Field(description="the viewer asked about; null for a posted history")
    show_ids: list[int] = Field(description="best first")
    scores: list[float] = Field(
        description="model: probability of being the next play; cold start: popularity points (P - position)"
    )
    cold_start: bool = Field(description="true when the answer is the popular shows, not the model")

    @classmethod
    def of(cls, answer: Recommendation) -> "RecommendationResponse":
        return cls(
            user_id=answer.user_id,
            show_ids=list(answer.show_ids),
            scores=list(answer.scores),
            cold_start=answer.cold_start,
        )


class SimilarShowsResponse(BaseModel):
    show_id: int
    show_ids: list[int] = Field(description="nearest first, never show_id itself")
    scores: list[float] = Field(description="cosine similarity of learned show embeddings, -1..1")


class Health(BaseModel):
    status: str
    version: str
    checkpoint: str
    shows: int
    viewers: int
    window: int


def create_app(recommender: Recommender) -> FastAPI:
    """The service answering from ``recommender`` (loaded once, shared by every request)."""
    default_k = min(DEFAULT_K, recommender.num_shows)
    app = FastAPI(
        title="nextwatch",
        version=__version__,
        description="What should this viewer watch next? Policies: docs/serving.md.",
    )

    @app.exception_handler(NextwatchError)
    async def _known_error(request: Request, error: NextwatchError) -> JSONResponse:
        status = next((code for kind, code in _STATUS_OF_ERROR.items() if isinstance(error, kind)), 400)
        return JSONResponse(status_code=status, content={"detail": str(error), "error": type(error).__name__})

    @app.exception_handler(RequestValidationError)
    async def _invalid_request(request: Request, error: RequestValidationError) -> JSONResponse:
        # FastAPI's own handler echoes each bad input, which fails to encode for NaN (a 500) and repeats a whole
        # 10,000-play body; the location, message and type say enough.
        detail = [
            {"loc": list(item.get("loc", ())), "msg": str(item.get("msg", "")), "type": str(item.get("type", ""))}
            for item in error.errors()
        ]
        return JSONResponse(status_code=422, content={"detail": detail})

    @app.get("/health")
    def health() -> Health:
        return Health(
            status="ok",
            version=__version__,
            checkpoint=recommender.checkpoint.name,
            shows=recommender.num_shows,
            viewers=recommender.num_viewers,
            window=recommender.window,
        )

    @app.get("/v1/users/{user_id}/recommendations")
    def user_recommendations(
        user_id: Annotated[int, Path(description="viewer id; an unknown viewer gets the cold-start answer")],
        k: Annotated[int, Query(ge=1, le=recommender.num_shows)] = default_k,
        exclude_seen: bool = False,
    ) -> RecommendationResponse:
        return RecommendationResponse.of(recommender.recommend(user_id, k=k, exclude_seen=exclude_seen))

    @app.post("/v1/recommendations")
    def history_recommendations(history: HistoryRequest) -> RecommendationResponse:
        answer = recommender.recommend_history(
            history.show_ids,
            asset_types=history.asset_types,
            watch_minutes=history.watch_minutes,
            k=default_k if history.k is None else history.k,
            exclude_seen=history.exclude_seen,
        )
        return RecommendationResponse.of(answer)

    @app.get("/v1/shows/{show_id}/similar", responses={404: {"description": "show not in the model's vocabulary"}})
    def similar_shows(
        show_id: int, k: Annotated[int, Query(ge=1, le=recommender.num_shows)] = default_k
    ) -> SimilarShowsResponse:
        try:
            answer = recommender.similar_shows(show_id, k=k)
        except UnknownShowError as error:
            # Here the show is the resource asked for, so its absence is a 404 (in a history body it is a 422).
            raise HTTPException(status_code=404, detail=str(error)) from error
        return SimilarShowsResponse(show_id=answer.show_id, show_ids=list(answer.show_ids), scores=list(answer.scores))

    return app
