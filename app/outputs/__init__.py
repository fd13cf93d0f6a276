"""Outputs: files people and programs take away — CSV, GeoJSON, GeoPackage, HTML reports, PDF maps.

One writer per format (``tables``), the HTML report (``reports``), printed district maps
(``printing``) and the one symbology table every map, page and paper draws with
(``symbology``). May import ``app.services`` and ``app.domain``; never ``web`` or ``cli``.
"""
