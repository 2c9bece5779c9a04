"""Benchmarks of the dashboard (``python -m benchmarks.run``) and of the CORDIS import
(``python -m benchmarks.import_cordis``); run them from the repository's root. See README.md."""
