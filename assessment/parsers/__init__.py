"""Evidence parsers: pure functions, bytes in, facts out, no ORM. The entry point is `reading.read_evidence`."""
