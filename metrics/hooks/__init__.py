"""Webhooks from GitHub, GitLab and Jenkins: verify, read into events, store through the ingest service.

Each provider module is pure: headers and the parsed payload in, a Reading out (no ORM, no request).
"""
