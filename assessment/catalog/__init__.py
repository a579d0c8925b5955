"""Reading and validating catalogue files. Pure: bytes in, data or problems out; no ORM."""
