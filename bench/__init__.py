"""The benchmark and its seeded data; beside the application, not installed with it.

``python -m bench`` runs the benchmark (``bench/run.py``), ``python -m bench.seed``
seeds a database (``bench/seed/``).
"""
