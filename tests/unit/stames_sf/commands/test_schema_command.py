"""`stames-sf schema plan|check` refuse, in one line and exit 1, what they cannot work from."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from mapping.document import mapping_path
from stames_sf.cli import app


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


@pytest.mark.parametrize("verb", ["plan", "check"])
def test_an_unconfirmed_mapping_is_refused(verb: str, mapped_work: Path) -> None:
    path = mapping_path(mapped_work)
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index("confirmation:")], encoding="utf-8")
    code, output = _run("schema", verb, "--work", str(mapped_work))
    assert code == 1
    assert output.strip().splitlines() == [
        f"The mapping at {path} is not confirmed: review it with `stames-sf map review`, "
        "then run `stames-sf map confirm`."
    ]


@pytest.mark.parametrize("verb", ["plan", "check"])
def test_a_mapping_changed_after_confirmation_is_refused(verb: str, mapped_work: Path) -> None:
    path = mapping_path(mapped_work)
    path.write_text(
        path.read_text(encoding="utf-8").replace("label: Modelo", "label: Model"), encoding="utf-8"
    )
    code, output = _run("schema", verb, "--work", str(mapped_work))
    assert code == 1
    assert len(output.strip().splitlines()) == 1
    assert "changed after qa@example.com confirmed it" in output


@pytest.mark.parametrize("verb", ["plan", "check"])
def test_no_connection_file_is_one_line(verb: str, mapped_work: Path) -> None:
    code, output = _run("schema", verb, "--work", str(mapped_work))
    expected = mapped_work.resolve() / "salesforce-org" / "connection.json"
    assert code == 1
    [line] = output.strip().splitlines()
    assert line.startswith(f"No Salesforce connection file at {expected}: start the local org")
    assert "[salesforce.credentials]" in line
    assert not (mapped_work / "salesforce-metadata").exists()
