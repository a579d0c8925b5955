"""Reading delivery events as senders write them: pure, no ORM, no request (one event, or a CSV file of them)."""
