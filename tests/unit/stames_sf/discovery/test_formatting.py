"""Numbers as a person reads them."""

from stames_sf.discovery.formatting import count, percent, size


def test_count_uses_thousands_separators():
    assert count(1234567) == "1,234,567"
    assert count(None) == "–"


def test_percent_handles_an_empty_whole():
    assert percent(1, 3) == "33.3%"
    assert percent(0, 0) == "–"


def test_size_switches_units_at_1024():
    assert size(512) == "512 bytes"
    assert size(1536) == "1.5 KB"
    assert size(30 * 1024 * 1024) == "30.0 MB"
    assert size(3 * 1024**3) == "3.0 GB"
