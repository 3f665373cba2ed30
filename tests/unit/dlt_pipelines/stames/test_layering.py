"""The stage packages stand alone: the CLI imports them, never the other way round."""

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[4]
STAGE_PACKAGES = ("dlt_pipelines", "mapping", "loaders", "expectations")


def _stage_modules() -> list[str]:
    modules = []
    for package in STAGE_PACKAGES:
        for path in sorted((REPO / package).rglob("*.py")):
            parts = path.relative_to(REPO).with_suffix("").parts
            modules.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return modules


def test_the_module_list_covers_the_extraction_and_attachment_modules() -> None:
    modules = _stage_modules()
    assert "dlt_pipelines.stames.pipeline" in modules
    assert "dlt_pipelines.stames.attachments" in modules
    assert "dlt_pipelines.stames.attachment_store" in modules


def test_the_stage_packages_import_neither_the_cli_nor_the_emulators() -> None:
    probe = (
        f"import importlib, sys\nfor name in {_stage_modules()!r}:\n    importlib.import_module(name)\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'stames_sf', 'emulators'}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=REPO
    )
    assert result.stdout.strip() == "[]"


def test_the_mapping_package_imports_no_other_package_of_the_project() -> None:
    """Every stage reads the mapping, so it must stand below all of them."""
    modules = [name for name in _stage_modules() if name.split(".")[0] == "mapping"]
    assert "mapping.model" in modules
    probe = (
        f"import importlib, sys\nfor name in {modules!r}:\n    importlib.import_module(name)\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & "
        "{'stames_sf', 'emulators', 'dlt_pipelines', 'loaders', 'expectations'}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=REPO
    )
    assert result.stdout.strip() == "[]"
