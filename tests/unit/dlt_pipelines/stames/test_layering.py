"""The stage package stands alone: the CLI imports it, never the other way round."""

import subprocess
import sys

STAGE_MODULES = (
    "dlt_pipelines.stames",
    "dlt_pipelines.stames.transport",
    "dlt_pipelines.stames.pipeline",
    "dlt_pipelines.stames.messages",
    "dlt_pipelines.stames.helpers",
    "dlt_pipelines.stames.settings",
    "dlt_pipelines.stames.stames_pipeline",
)


def test_the_extraction_modules_import_neither_the_cli_nor_the_emulators() -> None:
    probe = (
        f"import importlib, sys\nfor name in {STAGE_MODULES!r}:\n    importlib.import_module(name)\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'stames_sf', 'emulators'}))"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
