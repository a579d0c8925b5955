"""Reading delivery events as senders write them: pure, no ORM, no request. One event (event_input), a CSV file
of them (csv_import), a provider's webhook payload (github, gitlab, jenkins over hook_payload)."""
