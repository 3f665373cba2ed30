from stames_sf.workdir import WorkDir


def test_work_folder_holds_everything_below_its_root(tmp_path):
    work = WorkDir.at(tmp_path / "engagement")
    for path in (work.warehouse, work.files, work.state, work.dlt_dir, work.logs, work.reports):
        assert path.is_relative_to(work.root)
    assert work.files.is_dir() and work.dlt_dir.is_dir()
    assert work.warehouse.suffix == ".duckdb"
