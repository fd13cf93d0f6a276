"""Domain: the product's pure logic in its own words — kinds, placement, walking, demand, coverage.

Salons, shelters, school districts and 町丁目; distances, coverage, reach, siting, networks;
who may see what (``access``). Imports no Flask, no database and reads no files: numbers,
shapely geometries and GeoDataFrames in, answers out. May import nothing else of ``app``.
"""
