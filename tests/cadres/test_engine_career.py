"""Promotion figures from a recorded career (pure)."""

import datetime as dt

from countybridge.cadres.planning.career import (
    CareerFigures,
    RecordedPost,
    figures_from_career,
    merge_figures,
)

D = dt.date


def test_figures_count_levels_posts_and_grassroots_up_to_the_day():
    posts = [
        RecordedPost("科级副职", D(2010, 1, 1), D(2014, 1, 1), grassroots=True),
        RecordedPost("科级正职", D(2014, 1, 1), D(2018, 1, 1), grassroots=True),
        RecordedPost("科级正职", D(2018, 1, 1), D(2020, 1, 1)),
        RecordedPost("处级副职", D(2020, 1, 1), None),
        RecordedPost("处级副职", D(2030, 1, 1), None),  # after the day: ignored
    ]
    f = figures_from_career(posts, "处级副职", D(2024, 1, 1))
    assert f.years_at_level == 4.0 and f.posts_at_level == 1
    assert f.years_one_level_down == 6.0 and f.posts_one_level_down == 2
    assert f.grassroots_years == 8.0


def test_concurrent_grassroots_posts_are_not_double_counted():
    posts = [
        RecordedPost("科级正职", D(2015, 1, 1), D(2019, 1, 1), grassroots=True),
        RecordedPost("科级副职", D(2017, 1, 1), D(2021, 1, 1), grassroots=True),  # overlaps two years
    ]
    assert figures_from_career(posts, "科级正职", D(2022, 1, 1)).grassroots_years == 6.0


def test_lowest_level_has_nothing_below_and_merge_takes_the_larger():
    f = figures_from_career([RecordedPost("科级副职", D(2020, 1, 1), None)], "科级副职", D(2023, 1, 1))
    assert f.years_one_level_down == 0 and f.posts_one_level_down == 0
    entered = CareerFigures(1.0, 5.0, 1, 3, 9.0)
    merged = merge_figures(entered, f)
    assert merged == CareerFigures(3.0, 5.0, 1, 3, 9.0)
