"""``fureai batch``: coverage or reach for many cities at once, on Dask distributed."""

from __future__ import annotations

import click

from app.cli.common import data_command, fail
from app.services import batch


def _client(scheduler: str | None, workers: int):
    """A client of the scheduler at ``scheduler``, or of a ``LocalCluster`` of ``workers`` processes."""
    from dask.distributed import Client, LocalCluster  # deferred: only a batch starts a cluster

    if scheduler:
        return Client(scheduler), None
    # One thread per worker process: the analyses are numpy-bound and hold the GIL between calls.
    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0")
    return Client(cluster), cluster


@click.command("batch")
@click.argument("analysis", type=click.Choice(list(batch.ANALYSES)))
@click.option("--cities", default="all", show_default=True, help="all, a prefecture code (13) or CODE,CODE.")
@click.option("--scheduler", default=None, help="A running Dask scheduler, e.g. tcp://HOST:8786.")
@click.option("--workers", type=int, default=2, show_default=True, help="Local worker processes.")
@click.option("--kind", default=None, help="coverage: the kind of place (default salon).")
@click.option("--area-kind", default=None, help="Areas to report on (default school_district).")
@click.option("--minutes", type=float, default=None)
@click.option("--units", default=None, help="Population units (default: the finest loaded).")
@click.option("--hazard", default=None, help="reach: emergency sites for this hazard.")
@click.option("--force", is_flag=True, help="Run again the cities already done with these inputs.")
@data_command
def batch_command(analysis, cities, scheduler, workers, force, **options):
    """Run an analysis for every chosen city as Dask tasks; results go to analysis_runs."""
    from flask import current_app  # deferred: the workers need the database's address

    try:
        chosen = batch.pick_cities(cities)
        params = batch.batch_params(analysis, **options)
    except ValueError as exc:
        fail(str(exc))
    client, cluster = _client(scheduler, workers)
    click.echo(f"Dask: {client.scheduler.address if scheduler else f'{workers} local workers'}; "
               f"dashboard {client.dashboard_link}")
    try:
        with click.progressbar(length=len(chosen), label=f"{analysis}, {len(chosen)} cities") as bar:
            answer = batch.run_batch(client, current_app.config["NETWORK_DIR"], analysis, chosen,
                                     params, force=force, on_done=lambda _: bar.update(1))
            bar.update(len(answer["skipped"]))
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    _report(answer)


def _report(answer: dict) -> None:
    for city in answer["skipped"]:
        click.echo(f"{city}\tdone already (same parameters and data)")
    for outcome in answer["outcomes"]:
        detail = f"{outcome['seconds']:.1f} s" if outcome["status"] == "done" else outcome["error"]
        click.echo(f"{outcome['city']}\t{outcome['status']}\t{detail}")
    failed = [o for o in answer["outcomes"] if o["status"] == "failed"]
    click.echo(f"{len(answer['outcomes']) - len(failed)} done, {len(failed)} failed, "
               f"{len(answer['skipped'])} skipped; results in analysis_runs")
    if failed:
        raise SystemExit(1)  # the others finished and are stored; a script still learns some did not
