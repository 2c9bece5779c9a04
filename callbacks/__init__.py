"""Callbacks and server routes, registered explicitly by ``app.create_app``."""
