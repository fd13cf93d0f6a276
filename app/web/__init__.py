"""Web: Flask blueprints (map, list, analysis and workspace pages, JSON API, OGC API) over services.

Also sign-in, access (who may see what, from the signed-in user), parameter checking, the one
feature mapper and the one error handler; ``setup.init_app`` puts them on the app. May import
``app.outputs``, ``app.services`` and ``app.domain``; never ``app.storage`` or ``app.importers``.
"""
