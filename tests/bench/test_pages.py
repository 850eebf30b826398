"""The pages' benchmark reports each page's ratio and the target, and a page it could not
measure (no request completed in a run) as a miss, never as a ratio of 0."""

from bench import pages


def result(scale, curated, ratio):
    return {"p50_ms": {"scale": scale, "curated": curated}, "ratio": ratio}


def test_the_worst_page_decides_the_target():
    measured = {"board": result(6.0, 3.0, 2.0), "search": result(9.3, 3.0, 3.1)}

    ((name, (met, figure)),) = pages.targets(measured).items()

    assert name == "every page ≤ 3 × its p50 on the curated data"
    assert not met and figure == "worst 3.10, search"
    assert pages.targets({"board": result(6.0, 3.0, 2.0)})[name] == (True, "worst 2.00, board")


def test_a_page_without_a_measure_misses_the_target_and_prints_no_ratio():
    measured = {"front page": result(740.0, 0.0, None), "board": result(6.0, 3.0, 2.0)}

    ((met, figure),) = pages.targets(measured).values()

    assert not met and figure == "not measured: front page"
    assert pages.table(measured)[2].endswith("n/a")
    assert pages.median_p50([{"p50_ms": 3.0}, {"p50_ms": None}]) is None
    assert pages.median_p50([{"p50_ms": 3.0}, {"p50_ms": 1.0}, {"p50_ms": 2.0}]) == 2.0
