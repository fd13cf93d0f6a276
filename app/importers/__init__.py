"""Importers: one module per source format → validated records and a report, or every row's error.

CSV/Excel council lists, GSI shelter files, boundaries (GeoJSON, Shapefile, GeoPackage),
population tables, context layers, 町丁目 tables, OpenStreetMap extracts and the offline
address data. Nothing here writes to the database. May import ``app.domain`` only.
"""
