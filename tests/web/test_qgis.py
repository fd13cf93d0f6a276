"""Headless QGIS (Debian's python3-qgis) adds our shelters as layers: OGC API – Features, and tiles.

QGIS runs in the system Python, where its bindings live, as a child of the test; the layer is
filtered as a GIS officer would (a subset string), and the tiles are added as a vector tile layer.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import textwrap

import pytest

from tests import source_counts

pytestmark = pytest.mark.browser  # a live server and a heavy client, like the browser tests
SYSTEM_PYTHON = "/usr/bin/python3"
SCRIPT = textwrap.dedent("""
    import json, os, sys
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from qgis.core import QgsApplication, QgsVectorLayer, QgsVectorTileLayer, QgsFeatureRequest
    app = QgsApplication([], False)
    app.initQgis()
    base = sys.argv[1]
    out = {}
    layer = QgsVectorLayer(f"url='{base}/ogcapi' typename='shelter'", "shelters", "OAPIF")
    out["valid"] = layer.isValid()
    out["all"] = layer.featureCount()
    layer.setSubsetString("city_code = '13214'")
    out["kokubunji"] = sorted(f["name"] for f in layer.getFeatures())
    tiles = QgsVectorTileLayer(
        f"type=xyz&url={base}/ogcapi/collections/shelter/tiles/WebMercatorQuad/{{z}}/{{y}}/{{x}}"
        "&zmin=8&zmax=18", "shelter tiles")
    out["tiles_valid"] = tiles.isValid()
    out["tiles_zooms"] = [tiles.sourceMinZoom(), tiles.sourceMaxZoom()]
    print(json.dumps(out, ensure_ascii=False), flush=True)
    # QGIS 3.22 can crash tearing down layers at exit; the answer is out, so leave at once.
    os._exit(0)
""")


@pytest.fixture(scope="module")
def qgis_python():
    found = shutil.which(SYSTEM_PYTHON) and subprocess.run([SYSTEM_PYTHON, "-c", "import qgis.core"],
                                                          capture_output=True)
    if not found or found.returncode:
        pytest.fail("QGIS's Python bindings are missing; make test installs python3-qgis")
    return SYSTEM_PYTHON


def test_qgis_adds_the_shelters_as_a_layer_filters_them_and_reads_the_tiles(qgis_python, live_server,
                                                                             demo_repo, tmp_path):
    env = {**os.environ, "XDG_RUNTIME_DIR": str(tmp_path)}
    run = subprocess.run([qgis_python, "-c", SCRIPT, live_server], capture_output=True, text=True,
                         timeout=300, env=env)
    assert run.returncode == 0, run.stderr[-2000:]
    seen = json.loads(run.stdout.strip().splitlines()[-1])
    assert seen["valid"] and seen["all"] == source_counts.gsi_sites("shelter")
    stored = demo_repo.find_resources(kinds=["shelter"], city="13214", placed_only=True, limit=10_000)
    assert seen["kokubunji"] == sorted(r["name"] for r in stored)
    assert seen["tiles_valid"] and seen["tiles_zooms"] == [8, 18]
