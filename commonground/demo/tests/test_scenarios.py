"""The scenario files: every file passes its schema, and a mistake is named by file and place."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from commonground.demo import DEMO_SLUG, loader

FJORDVIK = loader.SCENARIOS / loader.DEFAULT_SCENARIO


def copy_of_fjordvik(tmp_path: Path) -> Path:
    folder = tmp_path / "fjordvik"
    shutil.copytree(FJORDVIK, folder)
    return folder


def edit(folder: Path, module: str, change) -> None:
    path = folder / f"{module}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_every_scenario_file_passes_its_schema():
    scenario = loader.read_scenario()
    assert set(scenario) == set(loader.SCHEMAS)
    assert sorted(p.stem for p in FJORDVIK.glob("*.yaml")) == sorted(loader.SCHEMAS)
    assert scenario["partnership"]["partnership"]["slug"] == DEMO_SLUG
    # Named keys, not positional rows: every person is a mapping with a name and an email.
    assert all(isinstance(p, dict) and p["name"] and "@" in p["email"]
               for p in scenario["people"]["people"].values())  # fmt: skip


def test_every_step_has_a_schema_and_a_file():
    from commonground.demo.steps import STEPS

    assert [module for module, _step in STEPS] == list(loader.SCHEMAS)


def test_a_missing_key_is_named_with_its_file(tmp_path):
    folder = copy_of_fjordvik(tmp_path)
    edit(folder, "meetings", lambda d: d["past"][1].pop("title"))
    with pytest.raises(loader.DemoDataError) as caught:
        loader.read_scenario(folder=folder)
    assert str(caught.value) == "fjordvik/meetings.yaml: past[1]: missing key 'title'"


def test_an_unknown_key_is_named_with_its_file(tmp_path):
    folder = copy_of_fjordvik(tmp_path)
    edit(folder, "contributions", lambda d: d["entries"][0].update({"amuont": "10"}))
    with pytest.raises(loader.DemoDataError) as caught:
        loader.read_scenario(folder=folder)
    assert str(caught.value) == "fjordvik/contributions.yaml: entries[0]: unknown key 'amuont'"


def test_a_typo_in_a_person_reference_is_named(tmp_path):
    folder = copy_of_fjordvik(tmp_path)
    edit(folder, "meetings", lambda d: d["past"][0]["present"].__setitem__(1, "tro"))
    with pytest.raises(loader.DemoDataError) as caught:
        loader.read_scenario(folder=folder)
    assert str(caught.value) == "fjordvik/meetings.yaml: past[0].present: unknown person 'tro'"


def test_a_typo_in_an_organisation_reference_is_named(tmp_path):
    folder = copy_of_fjordvik(tmp_path)
    edit(folder, "agreements", lambda d: d["compact"]["signed_by"].update({"ctiy": "amina"}))
    with pytest.raises(loader.DemoDataError) as caught:
        loader.read_scenario(folder=folder)
    assert str(caught.value) == "fjordvik/agreements.yaml: compact.signed_by: unknown org 'ctiy'"


def test_a_missing_or_stray_file_is_named(tmp_path):
    folder = copy_of_fjordvik(tmp_path)
    (folder / "atlas.yaml").rename(folder / "atlass.yaml")
    with pytest.raises(loader.DemoDataError, match=r"fjordvik/atlass\.yaml: no such module"):
        loader.read_scenario(folder=folder)


@pytest.mark.django_db
def test_load_demo_refuses_a_bad_reference_before_writing_anything(tmp_path, monkeypatch):
    from django.core.management import call_command

    from commonground.partnerships.models import Partnership

    copy_of_fjordvik(tmp_path)
    edit(tmp_path / "fjordvik", "decisions", lambda d: d["proposals"][0].update({"by": "tro"}))
    monkeypatch.setattr(loader, "SCENARIOS", tmp_path)
    with pytest.raises(
        loader.DemoDataError, match=r"decisions\.yaml: proposals\[0\]\.by: unknown person 'tro'"
    ):
        call_command("load_demo", verbosity=0)
    assert not Partnership.objects.exists()
