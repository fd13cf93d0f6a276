#!/usr/bin/env bash
# Install the Debian packages the project needs, only those missing (osmium-tool cuts OSM extracts).
#   scripts/system_deps.sh serve   # SpatiaLite, Japanese fonts for reports, curl for npm tarballs (and python3-venv)
#   scripts/system_deps.sh test    # + PostGIS, Chromium, GDAL tools, poppler, QGIS (Python), npm
set -euo pipefail
want=(libsqlite3-mod-spatialite fonts-noto-cjk osmium-tool curl ca-certificates openssl)
python3 -m venv --help >/dev/null 2>&1 || want+=(python3-venv)
if [ "${1:-serve}" = "test" ]; then
  # python3-qgis: headless QGIS adds our collections and tiles as layers in a test, as GIS staff would.
  want+=(postgresql postgresql-15-postgis-3 chromium gdal-bin poppler-utils python3-qgis)
  # npm fetches axe-core for the accessibility tests; a Node.js that brings its own npm is kept.
  command -v npm >/dev/null 2>&1 || want+=(npm)
fi
missing=()
for pkg in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "system packages present: ${want[*]}"
  exit 0
fi
echo "installing system packages: ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
