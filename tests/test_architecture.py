"""The import contracts of pyproject.toml ([tool.importlinter], see ARCHITECTURE.md): no cycles, assessment never
imports metrics, tasks above services above selectors above models. The same check as `lint-imports` in CI."""

import subprocess
import sys
import textwrap
from pathlib import Path

from django.conf import settings

LINT = "import sys; from importlinter.cli import lint_imports; sys.exit(lint_imports(no_cache=True, no_logo=True))"


def lint_imports(directory: Path) -> subprocess.CompletedProcess:
    """Runs import-linter on the project in this directory (its pyproject.toml), in a fresh interpreter."""
    return subprocess.run(
        [sys.executable, "-c", LINT], cwd=directory, capture_output=True, text=True, timeout=300, check=False
    )


def test_the_code_keeps_every_import_contract():
    result = lint_imports(Path(settings.BASE_DIR))
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_new_cycle_breaks_the_contract(tmp_path):
    """The contract type we rely on does see a cycle made by an import inside a function."""
    package = tmp_path / "shop"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "orders.py").write_text("from shop import invoices\n")
    (package / "invoices.py").write_text("def total():\n    from shop import orders\n")
    (tmp_path / "pyproject.toml").write_text(
        textwrap.dedent("""
            [tool.importlinter]
            root_packages = ["shop"]

            [[tool.importlinter.contracts]]
            name = "No cycles"
            type = "acyclic_siblings"
            ancestors = ["shop"]
        """)
    )
    result = lint_imports(tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "No cycles BROKEN" in result.stdout
