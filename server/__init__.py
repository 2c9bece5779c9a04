"""The server: the app factory, the datasets it serves and the uploads it takes.

``registry`` and ``uploads`` are services without dash (the callbacks use them); ``factory``
builds the Dash app from every layer; ``main`` starts and stops it.
"""
