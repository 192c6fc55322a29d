"""The JSON Schema and the reader come from the same tables; check they agree."""

from __future__ import annotations

import datetime as dt

import jsonschema
import pytest
import yaml
from conftest import ROOT

from briefgen import spec
from briefgen.read import load_brief

BRIEFS = sorted((ROOT / "content").glob("*.yaml")) + sorted((ROOT / "tests" / "fixtures").glob("*.yaml"))


def _as_json(value):
    if isinstance(value, dict):
        return {k: _as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_json(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def test_schema_is_valid_json_schema():
    jsonschema.Draft202012Validator.check_schema(spec.json_schema())


@pytest.mark.parametrize("path", BRIEFS, ids=lambda p: p.name)
def test_every_valid_brief_satisfies_the_schema(path):
    load_brief(path)  # valid for the reader ...
    data = _as_json(yaml.safe_load(path.read_text("utf-8")))
    errors = list(jsonschema.Draft202012Validator(spec.json_schema()).iter_errors(data))
    assert errors == []  # ... and for editors' tooling


def test_schema_rejects_what_the_reader_rejects():
    validator = jsonschema.Draft202012Validator(spec.json_schema())
    bad = {"title": "T", "summary": "S", "sections": [{"title": "A", "body": [{"tabel": {}}]}], "sumary": 1}
    assert len(list(validator.iter_errors(bad))) >= 2


def test_every_block_kind_has_a_reader():
    from briefgen.read.blocks import READERS

    assert set(READERS) == set(spec.BLOCK_KINDS)
