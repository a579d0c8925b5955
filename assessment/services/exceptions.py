class RuleViolation(Exception):
    """A business rule refused the change; `message` says why to the person.

    `errors` maps a field path (e.g. "criterion" or "3.criterion" in a bulk write) to its messages.
    """

    def __init__(self, message: str, *, field: str = "", errors: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.message = message
        self.errors = errors if errors is not None else ({field: [message]} if field else {})


class StoreUnavailable(OSError):
    """The file store (local disk or an S3-compatible service) could not be reached; try again later.

    An OSError, so tasks that retry transient I/O failures retry this one too.
    """
