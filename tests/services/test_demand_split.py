"""The kept population split (``demand_splits``) equals a fresh split, and goes stale with the data."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import func, select

from app.domain.demand import split_demand
from app.services import imports
from app.services.analysis import Analyzer
from app.storage.networks import NetworkStore
from app.storage.schema import demand_splits
from tests.services.worlds import CELLS, write_mesh


def _sorted(demand) -> pd.DataFrame:
    frame = demand.pieces.assign(x=demand.pieces.geometry.x.round(6), y=demand.pieces.geometry.y.round(6))
    return frame.drop(columns="geometry").sort_values(["area_code", "x", "y"]).reset_index(drop=True)


def _splits(repo) -> int:
    with repo.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(demand_splits)).scalar_one()


def test_a_kept_split_equals_a_fresh_one_in_another_process_and_is_renewed_on_import(tiny, tmp_path):
    repo, _ = tiny
    fresh = split_demand(repo.population_frame(), repo.areas_frame(kind="school_district")
                         [["code", "name", "city_code", "geometry"]])
    first = Analyzer(repo, NetworkStore(repo.engine, tmp_path)).demand("school_district", None, None)
    assert _splits(repo) == 1
    # A new analyzer stands for a fresh worker: it reads the kept split instead of splitting.
    kept = Analyzer(repo, NetworkStore(repo.engine, tmp_path)).demand("school_district", "13214", None)
    for demand in (first, kept):
        pd.testing.assert_frame_equal(_sorted(demand), _sorted(fresh), check_exact=False, rtol=1e-9)
        assert (demand.measure, demand.unit_type) == (fresh.measure, fresh.unit_type)
    doubled = {"total": 800, "children": 60, "age65": 200, "age75": 50, "foreign": 8, "older_living_alone": 30}
    # The same cells, twice the older people.
    imports.import_population(repo, write_mesh(tmp_path / "mesh_2020.csv", CELLS, doubled))
    renewed = Analyzer(repo, NetworkStore(repo.engine, tmp_path)).demand("school_district", None, None)
    assert renewed.weights.sum() == 2 * first.weights.sum() and _splits(repo) == 1


def test_a_city_reads_its_own_pieces_of_the_kept_split(tiny, tmp_path):
    """Two cities in one split: each city's analysis reads just its pieces, equal to the whole's."""
    from app.storage.splits import SplitStore
    from tests.services.worlds import add_koganei

    repo, _ = tiny
    add_koganei(repo, tmp_path)
    whole = Analyzer(repo, NetworkStore(repo.engine, tmp_path)).demand("school_district", None, None)
    assert set(whole.pieces["area_city"]) == {"13214", "13210"}
    key = {"area_kind": "school_district", "units": "", "measure": "", "data_version": repo.data_version()}
    for city in ("13214", "13210"):
        _, read = SplitStore(repo.engine).load(key, city)
        assert set(read["area_city"]) == {city}
        kept = Analyzer(repo, NetworkStore(repo.engine, tmp_path)).demand("school_district", city, None)
        mine = whole.pieces[whole.pieces["area_city"] == city]
        pd.testing.assert_frame_equal(_sorted(kept), _sorted(type(whole)(mine, whole.measure, whole.unit_type)),
                                      check_exact=False, rtol=1e-9)
