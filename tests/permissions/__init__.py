"""The permission matrix as data: persona × endpoint (HTML and API) → expected status, one module per area, and
the guard (test_completeness.py) that fails when an endpoint of the project is missing from it."""
