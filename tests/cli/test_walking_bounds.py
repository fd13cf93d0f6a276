"""One set of walking bounds: the command line refuses what the web refuses, naming the option."""

from __future__ import annotations

import pytest

from app.domain.walking import BOUNDS

OUTSIDE = [(name, value) for name, (lo, hi) in BOUNDS.items() for value in (lo / 2 if lo > 1 else 0.5, hi * 2)]


@pytest.mark.parametrize(("name", "value"), OUTSIDE, ids=[f"{n}={v:g}" for n, v in OUTSIDE])
def test_a_walking_value_out_of_bounds_is_refused_alike_by_the_web_and_the_cli(runner, client, name, value):
    done = runner.invoke(args=["analyze", "coverage", f"--{name}", f"{value:g}"])
    assert done.exit_code == 2 and f"--{name}" in done.output, done.output
    answer = client.get(f"/api/v1/analysis/coverage?{name}={value:g}")
    assert answer.status_code == 400 and answer.get_json()["parameter"] == name, answer.get_json()


def test_a_walking_value_within_bounds_is_taken_by_both(runner, client):
    lo, hi = BOUNDS["metres"]
    for value in (lo, hi):
        done = runner.invoke(args=["analyze", "coverage", "--metres", f"{value:g}"])
        assert "--metres" not in done.output, done.output  # refused later, for want of data: not the bound
        answer = client.get(f"/api/v1/analysis/coverage?metres={value:g}")
        assert answer.get_json().get("parameter") != "metres", answer.get_json()
