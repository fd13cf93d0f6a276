"""What the database holds, read for pages and commands: cities, datasets, areas, places.

Reads that need no rule beyond the store's own; the web and the CLI ask here (through
``uses_stores``) rather than holding a store. Reads with a rule (which layers, which Feature,
who may see) live in ``catalogue``, ``privacy`` and the use cases.
"""

from __future__ import annotations

from app.services._stores import uses_stores


@uses_stores
def city_names(repo) -> dict[str, str]:
    """Every stored city's code → its name, 「国分寺市」."""
    return repo.city_names()


@uses_stores
def cities_frame(repo):
    """The stored cities with their boundaries (a GeoDataFrame)."""
    return repo.cities_frame()


@uses_stores
def attribution_lines(repo) -> list[str]:
    """Each credit the stored datasets require, once, in the order first given."""
    return list(dict.fromkeys(line for lines in repo.attributions().values() for line in lines))


@uses_stores
def city_statistics(repo, city: str | None = None, topic: str | None = None):
    """The stored statistics of ``city`` (or every city), of one ``topic`` or all."""
    return repo.city_statistics(city=city, topic=topic)


@uses_stores
def data_version(repo):
    """A value that changes whenever stored data does (keys caches of printed sheets)."""
    return repo.data_version()


@uses_stores
def datasets(repo) -> list[dict]:
    """The imported datasets: name, kind, source, licence, when."""
    return repo.datasets()


@uses_stores
def layer_counts(repo):
    """How many rows each stored layer holds."""
    return repo.layer_counts()


@uses_stores
def health(repo) -> dict:
    """The database's kind and how many datasets it holds (for ``/api/v1/health``)."""
    return {"database": repo.dialect.name, "datasets": repo.dataset_count()}


@uses_stores
def areas_at(repo, lon: float, lat: float):
    """The stored areas containing (``lon``, ``lat``)."""
    return repo.areas_at(lon, lat)


@uses_stores
def areas_frame(repo, **which):
    """Stored areas (a GeoDataFrame) by ``kind``, ``city``, ``codes``, ``provenance``."""
    return repo.areas_frame(**which)


@uses_stores
def find_resources(repo, **which) -> list[dict]:
    """Stored places by ``kinds``, ``city``, ``placed_only``, ``limit`` … (callers pass the privacy rule)."""
    return repo.find_resources(**which)


@uses_stores
def database_url(repo, hide_password: bool = True) -> str:
    """The database's URL, its password hidden unless asked (a worker needs it whole)."""
    return repo.engine.url.render_as_string(hide_password=hide_password)


@uses_stores
def release_connections(repo) -> None:
    """Close the pool's connections: each forked worker process opens its own."""
    repo.engine.dispose()


@uses_stores
def own_connections(repo) -> None:
    """In a forked worker: this worker's own first connection (and SpatiaLite) before any request.

    The master's pooled connections are forgotten, not closed: the master still uses them.
    """
    repo.engine.dispose(close=False)
    with repo.engine.connect():
        pass
