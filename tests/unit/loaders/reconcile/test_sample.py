import pytest

from loaders.reconcile.sample import SampleSizeError, draw_sample

CASES = [f"{10000 + number}" for number in range(100)]


def test_the_same_seed_draws_the_same_cases_whatever_the_input_order() -> None:
    first = draw_sample(CASES, 30, seed=42)
    again = draw_sample(list(reversed(CASES)), 30, seed=42)
    assert first == again
    assert len(first) == 30 and len(set(first)) == 30
    assert set(first) <= set(CASES)
    assert draw_sample(CASES, 30, seed=43) != first


@pytest.mark.parametrize("size", [25, 50])
def test_bounds_are_allowed(size: int) -> None:
    assert len(draw_sample(CASES, size, seed=1)) == size


@pytest.mark.parametrize("size", [24, 51, 0])
def test_outside_the_bounds_is_refused_in_one_line(size: int) -> None:
    with pytest.raises(SampleSizeError, match="between 25 and 50"):
        draw_sample(CASES, size, seed=1)


def test_fewer_cases_than_the_sample_takes_them_all() -> None:
    assert draw_sample(["3", "1", "2"], 30, seed=9) == ["1", "2", "3"]
