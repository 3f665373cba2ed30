import json

from emulators.stames_api.generator.writer import dumps


def test_lone_surrogates_are_written_as_json_escapes():
    line = dumps({"body": "broken \ud83d emoji", "ok": "Ñandú 📱"})
    line.encode("utf-8")  # would raise if the surrogate were written raw
    assert "\\ud83d" in line
    assert "Ñandú 📱" in line
    assert json.loads(line)["body"] == "broken \ud83d emoji"


def test_key_order_is_kept_as_built():
    assert dumps({"id": 1, "b": 2, "a": 3}) == '{"id":1,"b":2,"a":3}'
