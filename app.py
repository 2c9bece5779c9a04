"""Entry point: ``python app.py [--host H] [--port P] [--data DIR]`` (or ``ket-dashboard``).

The app is built by ``server.factory.create_app``; ``server.main`` starts and stops it.
"""

from __future__ import annotations

import sys

from server.factory import create_app
from server.main import main

__all__ = ["create_app", "main"]

if __name__ == "__main__":
    sys.exit(main())
