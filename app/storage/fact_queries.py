"""Reading published facts (a mixin of ``Repository``): city figures, site capacities, programmes."""

from __future__ import annotations

from sqlalchemy import and_, select

from app.storage.schema import city_statistics, datasets, programmes, resources, site_capacities


class FactQueries:
    """Fact reads; expects ``self.reads`` (an engine)."""

    def city_statistics(self, *, city: str | None = None, topic: str | None = None) -> list[dict]:
        """City-level figures with their dataset's attribution, by city and topic."""
        query = (select(city_statistics, datasets.c.attribution.label("source"))
                 .join(datasets, city_statistics.c.dataset_id == datasets.c.id)
                 .order_by(city_statistics.c.city_code, city_statistics.c.topic, city_statistics.c.id))
        if city:
            query = query.where(city_statistics.c.city_code == city)
        if topic:
            query = query.where(city_statistics.c.topic == topic)
        with self.reads.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(query)]

    def programmes(self, *, city: str | None = None) -> list[dict]:
        """Council programmes with their rules and source, by city."""
        query = (select(programmes, datasets.c.attribution.label("source"))
                 .join(datasets, programmes.c.dataset_id == datasets.c.id)
                 .order_by(programmes.c.city_code, programmes.c.id))
        if city:
            query = query.where(programmes.c.city_code == city)
        with self.reads.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(query)]

    def capacity_sites(self, kinds: tuple[str, ...]) -> list[dict]:
        """Public stored sites of ``kinds`` that a capacity can attach to (they have an address)."""
        query = (select(resources.c.site_key, resources.c.kind, resources.c.name, resources.c.city_code,
                        resources.c.address)
                 .where(resources.c.kind.in_(kinds), resources.c.site_key != "",
                        resources.c.restricted.is_(False), resources.c.deleted_at.is_(None))
                 .order_by(resources.c.city_code, resources.c.name))
        with self.reads.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(query)]

    def site_capacities(self, *, city: str | None = None) -> list[dict]:
        """Imported capacities, each with whether its site is still stored (``site_found``)."""
        stored = (select(resources.c.id).where(and_(
            resources.c.site_key == site_capacities.c.site_key, resources.c.kind == site_capacities.c.kind,
            resources.c.deleted_at.is_(None))).exists())
        query = (select(site_capacities, datasets.c.source_file, stored.label("site_found"))
                 .join(datasets, site_capacities.c.dataset_id == datasets.c.id)
                 .order_by(site_capacities.c.city_code, site_capacities.c.name))
        if city:
            query = query.where(site_capacities.c.city_code == city)
        with self.reads.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(query)]
