"""The Salesforce-side estimate follows the published limits."""

from stames_sf.discovery.estimate import (
    BASE64_LIMIT_BYTES,
    BULK_UPLOAD_BYTES,
    CALLS_PER_BULK_JOB,
    RECORD_STORAGE_BYTES,
    FileVolume,
    TargetVolume,
    base64_size,
    estimate,
    file_api_calls,
    needs_multipart,
    plan_bulk,
)

MB = 1024 * 1024


def test_base64_is_four_thirds_of_the_raw_size():
    assert base64_size(3) == 4
    assert base64_size(4) == 8
    assert base64_size(30 * MB) == 40 * MB


def test_a_30_mb_file_needs_multipart_and_a_25_mb_file_does_not():
    assert needs_multipart(30 * MB)
    assert not needs_multipart(25 * MB)
    # The boundary is on the base64 size, not the raw size.
    largest_json_file = BASE64_LIMIT_BYTES // 4 * 3
    assert not needs_multipart(largest_json_file)
    assert needs_multipart(largest_json_file + 1)


def test_bulk_plan_splits_by_upload_size_and_counts_internal_batches():
    small = plan_bulk(TargetVolume("Case", records=25_000, source="tickets", csv_bytes=500))
    assert small.jobs == 1
    assert small.batches == 3
    assert small.api_calls == CALLS_PER_BULK_JOB

    bodies = plan_bulk(
        TargetVolume("EmailMessage", records=1_000, source="messages", csv_bytes=BULK_UPLOAD_BYTES // 400)
    )
    assert bodies.jobs == 3
    assert bodies.batches == 3


def test_empty_objects_cost_nothing():
    assert plan_bulk(TargetVolume("Topic", records=0, source="tags")).api_calls == 0
    assert file_api_calls(FileVolume(files=0, total_bytes=0, multipart_files=0)) == 0


def test_data_storage_is_two_kb_per_record_unless_content_is_bigger():
    flat = TargetVolume("Case", records=10, source="tickets")
    bodies = TargetVolume(
        "EmailMessage", records=10, source="messages", stored_bytes=10 * RECORD_STORAGE_BYTES * 5
    )
    assert flat.data_storage_bytes == 10 * RECORD_STORAGE_BYTES
    assert bodies.data_storage_bytes == 50 * RECORD_STORAGE_BYTES


def test_estimate_totals_add_up():
    volumes = [
        TargetVolume("Case", records=30_000, source="tickets", csv_bytes=400),
        TargetVolume("Contact", records=12_000, source="customers", csv_bytes=200),
    ]
    files = FileVolume(files=4_500, total_bytes=7 * 1024 * MB, multipart_files=12)
    result = estimate(volumes, files)
    assert result.records == 42_000
    assert result.data_storage_bytes == 42_000 * RECORD_STORAGE_BYTES
    assert result.file_storage_bytes == 7 * 1024 * MB
    assert result.bulk_batches == 3 + 2
    assert result.api_calls == 2 * CALLS_PER_BULK_JOB + 4_500 + 3
    assert result.days_for_bulk_batches == 1
