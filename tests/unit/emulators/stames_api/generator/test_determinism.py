from pathlib import Path

import pytest

from emulators.stames_api.generator import REPORT_NAME, generate_dataset


def _tree(root: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(root)): path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()
    }


def test_same_seed_and_size_give_identical_bytes(tmp_path: Path):
    generate_dataset(tmp_path / "a", 150, seed=7)
    generate_dataset(tmp_path / "b", 150, seed=7)
    first, second = _tree(tmp_path / "a"), _tree(tmp_path / "b")
    assert set(first) == set(second)
    assert len(first) > 15
    differing = [name for name in first if first[name] != second[name]]
    assert differing == []


def test_a_different_seed_gives_different_data(tmp_path: Path):
    generate_dataset(tmp_path / "a", 150, seed=7)
    generate_dataset(tmp_path / "b", 150, seed=8)
    for name in ("tickets.jsonl", "customers.jsonl", "messages.jsonl", "agents.jsonl"):
        assert (tmp_path / "a" / name).read_bytes() != (tmp_path / "b" / name).read_bytes(), name


def test_regenerating_into_a_dataset_folder_replaces_it_exactly(tmp_path: Path):
    generate_dataset(tmp_path / "fresh", 120, seed=3)
    generate_dataset(tmp_path / "reused", 400, seed=9)
    generate_dataset(tmp_path / "reused", 120, seed=3)
    assert _tree(tmp_path / "reused") == _tree(tmp_path / "fresh")


def test_refuses_a_non_empty_folder_that_is_not_a_dataset(tmp_path: Path):
    (tmp_path / "notes.txt").write_text("keep me")
    with pytest.raises(FileExistsError):
        generate_dataset(tmp_path, 10)
    assert (tmp_path / "notes.txt").read_text() == "keep me"
    assert not (tmp_path / REPORT_NAME).exists()
