from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a catalogue file, located by line and by path inside the document."""

    line: int | None
    path: str
    message: str

    def format(self, file_name: str) -> str:
        where = f"{file_name}:{self.line}" if self.line else file_name
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class CatalogFileError(Exception):
    """The file cannot be loaded; `problems` says every reason found."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s) in the catalogue file")
        self.problems = problems
