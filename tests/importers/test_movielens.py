"""import_movielens: one play per rating, in time order, with real day numbers."""

from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from nextwatch.errors import InvalidInputError, InvalidOptionError
from nextwatch.importers import MovieLensConfig, import_movielens
from nextwatch.schema import LOG_COLUMNS

D = 999_993_600  # 2001-09-09T00:00:00Z

RATINGS = f"""userId,movieId,rating,timestamp
2,20,4.0,{D + 20 * 3600 + 15 * 60}
1,10,3.5,{D + 60}
1,20,5.0,{D + 86_400 + 59}
3,10,2.0,{D + 60}
2,30,1.0,{D + 10 * 86_400 + 23 * 3600 + 59 * 60 + 59}
3,30,4.5,{D - 1}
"""

MOVIES = """movieId,title,genres
10,"Heat, the film (1995)",Comedy|Drama
20,Nothing (2001),(no genres listed)
30,Drama (1999),Drama
"""


def _log(rows: list[tuple[int, int, int, str, int, str, str, int]]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=LOG_COLUMNS, orient="row")


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_exact_log_with_genres(tmp_path: Path) -> None:
    """Six ratings become six plays in time order, days counted from the first play's UTC date, genre types."""
    result = import_movielens(_write(tmp_path, "ratings.csv", RATINGS), _write(tmp_path, "movies.csv", MOVIES))
    expected = _log(
        [
            (3, 1, 30, "Drama", 30, "1", "23:59", 100),
            (1, 2, 10, "Comedy", 10, "2", "00:01", 100),
            (3, 3, 10, "Comedy", 10, "2", "00:01", 100),
            (2, 4, 20, "VOD", 20, "2", "20:15", 100),
            (1, 5, 20, "VOD", 20, "3", "00:00", 100),
            (2, 6, 30, "Drama", 30, "12", "23:59", 100),
        ]
    )
    assert_frame_equal(result.frame, expected)
    assert result.report.to_dict() == {
        "source": str(tmp_path / "ratings.csv"),
        "input_rows": 6,
        "output_rows": 6,
        "dropped": {},
        "viewers": 3,
        "shows": 3,
        "days": 12,
        "first_date": "2001-09-08",
    }


def test_without_movies_every_play_is_the_constant_type(tmp_path: Path) -> None:
    """Without movies.csv every play has the configured asset type and watch minutes."""
    config = MovieLensConfig(watch_minutes=90, asset_type="RECORDING")
    result = import_movielens(_write(tmp_path, "ratings.csv", RATINGS), config=config)
    assert result.frame.schema == pl.Schema(LOG_COLUMNS)
    assert set(result.frame["asset_type"]) == {"RECORDING"}
    assert set(result.frame["watch_minutes"]) == {90}


def test_film_missing_from_movies_gets_default_type(tmp_path: Path) -> None:
    """A film that movies.csv does not list gets the default asset type."""
    movies = _write(tmp_path, "movies.csv", "movieId,title,genres\n10,A,Horror\n")
    result = import_movielens(_write(tmp_path, "ratings.csv", RATINGS), movies)
    assert dict(zip(result.frame["show_id"], result.frame["asset_type"], strict=True)) == {
        10: "Horror",
        20: "VOD",
        30: "VOD",
    }


def test_missing_and_bad_values_are_counted(tmp_path: Path) -> None:
    """Rows with a missing or unparsable id or time are dropped, each counted once under its first reason."""
    ratings = _write(
        tmp_path,
        "ratings.csv",
        "userId,movieId,rating,timestamp\n"
        "1,10,4,100\n"
        ",10,4,100\n"  # missing user (and nothing else)
        "1.5,10,4,100\n"  # bad user
        "1,,4,\n"  # missing item and time: counted as missing item
        "1,10,4,soon\n"  # bad time
        "2,11,4,\n",  # missing time
    )
    report = import_movielens(ratings).report
    assert report.dropped == {"missing_user": 1, "bad_user": 1, "missing_item": 1, "missing_time": 1, "bad_time": 1}
    assert report.output_rows == 1
    assert report.output_rows + sum(report.dropped.values()) == report.input_rows == 6


def test_strict_names_file_row_column_and_value(tmp_path: Path) -> None:
    """With strict, the first bad row is an error naming the file, the row, the column and the value."""
    ratings = _write(tmp_path, "ratings.csv", "userId,movieId,rating,timestamp\n1,10,4,100\n1,10,4,soon\n")
    with pytest.raises(InvalidInputError) as caught:
        import_movielens(ratings, config=MovieLensConfig(strict=True))
    message = str(caught.value)
    assert str(ratings) in message
    assert "data row 2" in message
    assert "column 'timestamp'" in message
    assert "'soon' is not a time" in message


def test_multi_year_log_keeps_real_day_numbers(tmp_path: Path) -> None:
    """A log from 2000-01-01 to 2010-01-01 ends on day 3654 (3653 days later, three leap years)."""
    ratings = _write(tmp_path, "ratings.csv", "userId,movieId,rating,timestamp\n1,10,4,946684800\n1,11,4,1262304000\n")
    result = import_movielens(ratings)
    assert result.frame["day"].to_list() == ["1", "3654"]
    assert result.report.days == 3654


def test_missing_column_is_a_clear_error(tmp_path: Path) -> None:
    """A ratings file without a timestamp column is an error naming the column and the file's columns."""
    ratings = _write(tmp_path, "ratings.csv", "userId,movieId,rating\n1,10,4\n")
    with pytest.raises(InvalidInputError, match=r"has no column 'timestamp'.*'userId', 'movieId', 'rating'"):
        import_movielens(ratings)


def test_no_usable_rows_is_an_error(tmp_path: Path) -> None:
    """A file whose every row is dropped is an error, not an empty log."""
    ratings = _write(tmp_path, "ratings.csv", "userId,movieId,rating,timestamp\nx,10,4,100\n")
    with pytest.raises(InvalidInputError, match="no usable rows"):
        import_movielens(ratings)


def test_bad_movie_id_in_movies_is_an_error(tmp_path: Path) -> None:
    """A non-integer movieId in movies.csv is an error naming the row."""
    movies = _write(tmp_path, "movies.csv", "movieId,title,genres\n10,A,Drama\nten,B,Drama\n")
    with pytest.raises(InvalidInputError, match=r"data row 2.*'ten' is not an integer movie id"):
        import_movielens(_write(tmp_path, "ratings.csv", RATINGS), movies)


def test_watch_minutes_out_of_range_is_refused() -> None:
    """A watch_minutes of zero is an option error."""
    with pytest.raises(InvalidOptionError, match="watch_minutes"):
        MovieLensConfig(watch_minutes=0)
