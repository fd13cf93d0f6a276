"""``fureai batch`` on a 2-worker Dask LocalCluster, on both backends: equal to the serial run, resumable.

The world: 国分寺 and 小金井 (real boundaries) with made-up districts and people; the other
stored cities have neither, so their runs fail and are reported while the two finish.
"""

from __future__ import annotations

from app.services import batch
from app.services.analysis import Query
from app.services.coverage import coverage
from tests.services.worlds import add_koganei, add_places, build_tiny


def test_a_batch_equals_the_serial_run_reports_failures_and_resumes(app, tmp_path):
    repo = app.extensions["repository"]
    _, centre = build_tiny(repo, tmp_path)
    add_places(repo, tmp_path, centre, ("架空サロン", "高齢者", "サロン", ""))
    add_koganei(repo, tmp_path)
    runner = app.test_cli_runner()
    first = runner.invoke(args=["batch", "coverage", "--cities", "all", "--workers", "2"])
    assert "13214\tdone" in first.output and "13210\tdone" in first.output, first.output
    failed = sorted(set(repo.city_names()) - {"13214", "13210"})
    assert all(f"{c}\tfailed" in first.output for c in failed) and first.exit_code == 1, first.output
    runs = {r["city_code"]: r for r in app.extensions["runs"].runs("coverage")}
    analyzer = app.extensions["analyzer"]
    for city in ("13214", "13210"):
        serial = batch.figures(coverage(analyzer, Query(city=city, **batch.batch_params("coverage"))))
        assert runs[city]["figures"] == serial, city
        assert runs[city]["status"] == "done" and runs[city]["data_version"] == repo.data_version()
    assert all(runs[c]["status"] == "failed" and runs[c]["error"] for c in failed)
    # Resumed and forced on a scheduler already running (--scheduler): one cluster for both runs.
    from dask.distributed import LocalCluster

    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster:
        address = ["--scheduler", cluster.scheduler_address]
        again = runner.invoke(args=["batch", "coverage", "--cities", "13214,13210", *address])
        assert again.exit_code == 0 and "0 done, 0 failed, 2 skipped" in again.output, again.output
        forced = runner.invoke(args=["batch", "coverage", "--cities", "13214", "--force", *address])
        assert "1 done" in forced.output, forced.output
    assert len([r for r in app.extensions["runs"].runs("coverage") if r["city_code"] == "13214"]) == 1
    bad = runner.invoke(args=["batch", "coverage", "--cities", "99999"])
    assert bad.exit_code == 1 and "unknown city 99999" in bad.output


def test_the_split_is_made_once_before_the_cities(app, tmp_path):
    """``split_task`` keeps the whole split a batch's cities then read; none when nothing can be split."""
    from app.storage.splits import SplitStore

    repo = app.extensions["repository"]
    build_tiny(repo, tmp_path)
    add_koganei(repo, tmp_path)
    url = repo.engine.url.render_as_string(hide_password=False)
    assert batch.split_task(url, str(tmp_path), {"area_kind": "daily_living_area"}) == 0
    pieces = batch.split_task(url, str(tmp_path), batch.batch_params("coverage"))
    key = {"area_kind": "school_district", "units": "", "measure": "", "data_version": repo.data_version()}
    _, whole = SplitStore(repo.engine).load(key)
    assert pieces == len(whole) > 0 and set(whole["area_city"]) == {"13214", "13210"}
