"""The import contracts of pyproject.toml ([tool.importlinter], see ARCHITECTURE.md): no cycles, assessment never
imports metrics, tasks above services above selectors above models (the same check as `lint-imports` in CI); and
the size rules: no module over 400 lines, no function over 60, migrations excepted."""

import ast
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


MAX_MODULE_LINES, MAX_FUNCTION_LINES = 400, 60
PROJECT_FOLDERS = ("assessment", "metrics", "config", "tests", "bench", "scripts")


def oversized(root: Path) -> list[str]:
    """Modules over MAX_MODULE_LINES and functions over MAX_FUNCTION_LINES under root (migrations excepted)."""
    found = []
    for path in sorted(root.rglob("*.py")):
        if "migrations" in path.parts or any(part.startswith(".") for part in path.relative_to(root).parts):
            continue
        text = path.read_text(encoding="utf-8")
        name = path.relative_to(root).as_posix()
        if len(text.splitlines()) > MAX_MODULE_LINES:
            found.append(f"{name}: {len(text.splitlines())} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = node.end_lineno - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    found.append(f"{name}:{node.lineno} {node.name}: {length} lines")
    return found


def test_modules_and_functions_keep_within_the_size_rules():
    base = Path(settings.BASE_DIR)
    assert [item for folder in PROJECT_FOLDERS for item in oversized(base / folder)] == []


def test_the_size_rule_sees_a_long_function(tmp_path):
    (tmp_path / "long.py").write_text("def long():\n" + "    pass\n" * MAX_FUNCTION_LINES)
    (tmp_path / "migrations").mkdir()
    (tmp_path / "migrations" / "0001_initial.py").write_text("x = 1\n" * (MAX_MODULE_LINES + 1))

    assert oversized(tmp_path) == ["long.py:1 long: 61 lines"]
