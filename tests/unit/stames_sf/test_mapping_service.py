"""The map stage's service: the gate later stages call, and bad connection files."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from mapping.document import (
    MappingError,
    MappingInvalidError,
    MappingUnconfirmedError,
    confirm,
    mapping_path,
    read_mapping,
    write_mapping,
)
from mapping.warehouse import MappingNotPublishedError, publish_mapping
from stames_sf.mapping_service import MapStepError, read_org, require_mapping
from stames_sf.workdir import WorkDir

GENERATED = Path(__file__).parents[2] / "fixtures" / "mappings" / "generated.yml"
AT = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)


@pytest.fixture
def work(tmp_path: Path) -> WorkDir:
    return WorkDir.at(tmp_path / "work")


def test_require_mapping_refuses_an_unconfirmed_file(work: WorkDir):
    mapping_path(work.root).parent.mkdir(parents=True)
    shutil.copy(GENERATED, mapping_path(work.root))
    with pytest.raises(MappingUnconfirmedError):
        require_mapping(work)


def test_require_mapping_refuses_a_confirmed_file_the_warehouse_lacks(work: WorkDir):
    confirmed = confirm(read_mapping(GENERATED), by="ana", at=AT, accepted_above=0.9)
    write_mapping(confirmed, mapping_path(work.root))
    with pytest.raises(MappingNotPublishedError, match="run `stames-sf map confirm`"):
        require_mapping(work)
    publish_mapping(confirmed, work.warehouse)
    assert require_mapping(work) == confirmed


def test_require_mapping_refuses_an_invalid_file_with_one_mapping_error(work: WorkDir):
    mapping_path(work.root).parent.mkdir(parents=True)
    mapping_path(work.root).write_text("version: 1\nobjects: 3\n", encoding="utf-8")
    with pytest.raises(MappingInvalidError) as raised:
        require_mapping(work)
    assert isinstance(raised.value, MappingError) and "\n" not in str(raised.value)


def test_a_connection_file_without_a_token_is_one_line(tmp_path: Path):
    connection = tmp_path / "connection.json"
    connection.write_text(json.dumps({"instance_url": "https://127.0.0.1:1"}), encoding="utf-8")
    with pytest.raises(MapStepError, match=r"is not a connection file .*access_token"):
        read_org(connection)


def test_a_missing_connection_file_says_how_to_get_one(tmp_path: Path):
    with pytest.raises(MapStepError, match="pass --connection FILE"):
        read_org(tmp_path / "absent.json")
