"""The seed profile's headline volumes (§2.8) at 3,000 tickets."""


def test_profile_volumes_match_the_contract(profile_dataset):
    counts = profile_dataset.summary.counts
    assert counts["tickets"] == 3000
    assert counts["agents"] == 40
    assert counts["customers"] == 1500
    assert 16_000 <= counts["messages"] <= 24_000
    assert 2_400 <= counts["attachments"] <= 3_600
