"""Webhooks from GitHub, GitLab and Jenkins: verify, read into events (metrics/parsers/), store through the ingest
service (metrics/services/hooks.py)."""
