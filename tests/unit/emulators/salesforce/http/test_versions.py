from __future__ import annotations

from emulators.salesforce.http.versions import release_label, supported_versions, version_status


def test_release_labels_follow_the_three_releases_a_year() -> None:
    # Spring '23 = v57.0 is the label of the recorded versions.json fixture.
    assert release_label(57) == "Spring '23"
    assert release_label(58) == "Summer '23"
    assert release_label(59) == "Winter '24"
    assert release_label(62) == "Winter '25"


def test_listing_ends_at_the_served_version_and_urls_match_versions() -> None:
    listing = supported_versions("62.0")
    assert listing[-1]["version"] == "62.0"
    assert all(entry["url"] == f"/services/data/v{entry['version']}" for entry in listing)
    numbers = [float(entry["version"]) for entry in listing]
    assert numbers == sorted(numbers)


def test_version_status_separates_served_retired_and_unknown() -> None:
    assert version_status("62.0", "62.0") == 200
    assert version_status("51.0", "62.0") == 200
    assert version_status("20.0", "62.0") == 410
    assert version_status("63.0", "62.0") == 404
    assert version_status("abc", "62.0") == 404
