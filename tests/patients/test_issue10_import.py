"""Issue 10: ``manage.py import_identities`` checks each row like a creation, rejects with reasons, resumes."""

import csv
import os
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from benchmarks.generator import DataSet, generate, write
from patients import reasons
from patients.bulk_import import runner, writer
from patients.events import PatientEvent
from patients.ipp import is_valid_ipp
from patients.links import ExternalIdentifier
from patients.models import Patient
from patients.services import patient_create

SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "identities_sample.csv"
GOOD_IN_SAMPLE = {f"L{n:04d}" for n in range(1, 11)}
# line -> rule of each deliberately bad row of the sample file (line 1 is the header).
EXPECTED_REJECTS = {
    7: "TR-03",  # a digit in the birth name
    8: "TR-01",  # sex X
    9: "TR-07",  # 31 February
    10: "TR-10",  # a wrong INS key
    11: "TR-12",  # an AME NIR as INS
    12: "AUD-05",  # no legacy number
    18: "AUD-05",  # the legacy number of line 3 again
    19: "ST-11",  # DUPOND for DUPONT, same first names and birth date: a duplicate of line 2
    20: "ST-11",  # the INS of line 2
    21: "TR-01",  # first names not opening with the first first name
    22: "TR-06",  # a 4-character COG
    23: "TR-07",  # born in 2090
}


def _rejects(path: Path) -> dict[int, dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return {int(row["ligne"]): row for row in csv.DictReader(handle)}


def _legacy_file(tmp_path: Path, data: DataSet) -> Path:
    """Generated identities written as a legacy system's file (their truth file beside it)."""
    source = tmp_path / "ancien.csv"
    write(data, source, tmp_path / "verite.csv")
    return source


def _legacy_counts() -> dict[str, int]:
    counts: dict[str, int] = {}
    for value in ExternalIdentifier.objects.filter(authority__code=runner.DEFAULT_AUTHORITY).values_list(
        "value", flat=True
    ):
        counts[value] = counts.get(value, 0) + 1
    return counts


@pytest.mark.django_db
@pytest.mark.parametrize(("workers", "batch_size"), [(1, 5000), (2, 5000), (1, 3)])
def test_issue10_sample_file_rejects_each_bad_row_with_its_rule_and_a_french_reason(tmp_path, workers, batch_size):
    # batch_size 3: line 19 duplicates line 2, written batches earlier (the run's in-memory index finds it).
    rejects = tmp_path / "rejets.csv"
    summary = runner.import_file(SAMPLE, actor=None, rejects=rejects, workers=workers, batch_size=batch_size)

    found = _rejects(rejects)
    assert {line: row["regle"] for line, row in found.items()} == EXPECTED_REJECTS
    assert "caractères interdits" in found[7]["motif"]
    assert "ligne 2 du fichier" in found[19]["motif"] and "Doublon probable" in found[19]["motif"]
    assert "ligne 3" in found[18]["motif"]
    assert found[7]["birth_name"] == "Durand2"  # the row as it was, to correct and import again
    assert (summary.imported, summary.rejected, summary.skipped) == (10, 12, 0)
    assert set(_legacy_counts()) == GOOD_IN_SAMPLE


@pytest.mark.django_db
def test_issue10_imported_rows_are_normalised_with_ipp_history_and_events(tmp_path, agent):
    runner.import_file(SAMPLE, actor=agent, rejects=tmp_path / "rejets.csv", workers=1)

    patients = Patient.objects.filter(external_identifiers__value__in=GOOD_IN_SAMPLE)
    assert patients.count() == 10
    assert all(is_valid_ipp(p.ipp) for p in patients)
    dartagnan = Patient.objects.get(external_identifiers__value="L0002")
    # TR-03: upper case, no diacritics, the apostrophe kept; TR-05 keys as a creation computes them.
    assert (dartagnan.birth_name, dartagnan.birth_name_key, dartagnan.status) == ("D'ARTAGNAN", "DARTAGNAN", "PROV")
    oeuvrard = Patient.objects.get(external_identifiers__value="L0009")
    assert oeuvrard.birth_name == "OEUVRARD"  # TR-03: Œ transliterated
    assert Patient.objects.get(external_identifiers__value="L0010").birth_date == date(1947, 8, 14)
    # TR-11: the legacy INS is kept after its key check, but not as verified: the identity stays PROV.
    dupont = Patient.objects.get(external_identifiers__value="L0001")
    assert dupont.ins_matricule and not dupont.ins_verified and dupont.status == "PROV"
    # AUD-01: one creation history row per identity, with the import's reason code.
    history = Patient.history.filter(id__in=patients.values("id"))
    assert history.count() == 10
    assert set(history.values_list("history_type", "history_reason_code", "history_user")) == {
        ("+", reasons.IMPORT, agent.pk)
    }
    legacy = ExternalIdentifier.history.filter(value__in=GOOD_IN_SAMPLE)
    assert set(legacy.values_list("history_reason_code", "history_user")) == {(reasons.IDENTIFIER_ADDED, agent.pk)}
    # The events feed tells other systems about each new identity and its legacy number.
    kinds = PatientEvent.objects.filter(patient__in=patients).values_list("kinds", flat=True)
    assert list(kinds) == [["created", "identifiers"]] * 10


@pytest.mark.django_db
def test_issue10_st11_a_row_close_to_an_identity_of_the_registry_is_rejected_naming_its_ipp(tmp_path, agent):
    existing = patient_create(
        actor=agent, birth_name="Benalli", first_name="Karim", sex="M", birth_date=date(1990, 12, 5)
    ).patient
    runner.import_file(SAMPLE, actor=None, rejects=tmp_path / "rejets.csv", workers=1)

    row = _rejects(tmp_path / "rejets.csv")[6]  # L0005 BENALI Karim
    assert row["regle"] == "ST-11"
    assert f"IPP {existing.ipp}" in row["motif"]


@pytest.mark.django_db
def test_issue10_interrupted_import_resumes_and_imports_each_good_row_exactly_once(tmp_path, monkeypatch):
    data = generate(60, seed=3)
    source = _legacy_file(tmp_path, data)
    real_batch = writer.identities_import_batch
    calls = {"n": 0}

    def crash_on_third_batch(**kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("processus tué")  # the third batch never commits
        return real_batch(**kwargs)

    monkeypatch.setattr(writer, "identities_import_batch", crash_on_third_batch)
    with pytest.raises(RuntimeError):
        runner.import_file(source, actor=None, rejects=tmp_path / "r1.csv", workers=1, batch_size=10)
    partial = _legacy_counts()
    assert 0 < len(partial) < 60

    monkeypatch.setattr(writer, "identities_import_batch", real_batch)
    summary = runner.import_file(source, actor=None, rejects=tmp_path / "r2.csv", workers=1, batch_size=10)

    counts = _legacy_counts()
    rejected = set(_rejects(tmp_path / "r2.csv"))
    good = {row["legacy_id"] for line, row in enumerate(data.rows, start=2) if line not in rejected}
    assert set(counts) == good and set(counts.values()) == {1}
    assert summary.skipped == len(partial)
    assert Patient.objects.count() == len(good)
    assert Patient.history.count() == len(good)


@pytest.mark.django_db(transaction=True)
def test_issue10_import_killed_with_sigkill_then_rerun_imports_each_good_row_exactly_once(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("the child process needs the same database: PostgreSQL")
    data = generate(3000, seed=5)
    source = _legacy_file(tmp_path, data)
    settings = connection.settings_dict
    url = f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT'] or 5432}/{settings['NAME']}"
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "1"}
    command = [sys.executable, "manage.py", "import_identities", str(source), "--batch-size", "100", "--no-progress"]
    cwd = Path(__file__).resolve().parents[2]
    child = subprocess.Popen([*command, "--rejects", str(tmp_path / "r1.csv")], env=env, cwd=cwd)
    deadline = time.monotonic() + 120
    while ExternalIdentifier.objects.count() < 300 and time.monotonic() < deadline and child.poll() is None:
        time.sleep(0.05)
    child.send_signal(signal.SIGKILL)
    child.wait()
    partial = ExternalIdentifier.objects.count()
    assert 0 < partial < 3000

    subprocess.run([*command, "--rejects", str(tmp_path / "r2.csv")], env=env, cwd=cwd, check=True)

    counts = _legacy_counts()
    rejected = set(_rejects(tmp_path / "r2.csv"))
    good = {row["legacy_id"] for line, row in enumerate(data.rows, start=2) if line not in rejected}
    assert set(counts) == good and set(counts.values()) == {1}
    assert Patient.objects.count() == len(good) == PatientEvent.objects.count()


@pytest.mark.django_db
def test_issue10_command_refuses_a_file_with_unknown_columns_in_french(tmp_path):
    source = tmp_path / "mauvais.csv"
    source.write_text("legacy_id;birth_name;first_name;sex;birth_date;nir\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Colonnes inconnues : nir"):
        call_command("import_identities", str(source), "--no-progress")


@pytest.mark.django_db
def test_issue10_command_prints_the_counts_and_writes_the_rejects_beside_the_file(tmp_path, capsys):
    source = tmp_path / "ancien.csv"
    source.write_bytes(SAMPLE.read_bytes())
    call_command("import_identities", str(source), "--no-progress", "--workers", "1")
    out = capsys.readouterr().out
    assert "22 lignes lues : 10 identités importées, 12 rejetées" in out
    assert (tmp_path / "ancien.rejets.csv").exists()
    call_command("import_identities", str(source), "--no-progress", "--workers", "1")
    again = capsys.readouterr().out
    assert "0 identités importées, 12 rejetées" in again and "10 déjà importées" in again


@pytest.mark.django_db(transaction=True)
def test_issue10_st11_an_ins_repeated_batches_later_is_rejected_while_earlier_batches_are_written(tmp_path):
    # Outside any transaction the batches are written on their own connection while the next ones are
    # checked: the INS of line 2 must still be found when line 30 comes, committed or not (ST-11).
    data = generate(40, seed=7)
    data.rows[28]["ins"], data.rows[28]["ins_oid"] = data.rows[0]["ins"], data.rows[0]["ins_oid"]
    source = _legacy_file(tmp_path, data)
    summary = runner.import_file(source, actor=None, rejects=tmp_path / "rejets.csv", workers=2, batch_size=5)

    rejects = _rejects(tmp_path / "rejets.csv")
    assert rejects[30]["regle"] == "ST-11"
    assert rejects[30]["motif"] == "Le matricule INS est déjà porté par la ligne 2 du fichier (règle ST-11)."
    good = {row["legacy_id"] for line, row in enumerate(data.rows, start=2) if line not in rejects}
    counts = _legacy_counts()
    assert set(counts) == good and set(counts.values()) == {1}
    assert summary.imported == len(good) == Patient.objects.count() == Patient.history.count()
    assert PatientEvent.objects.count() == len(good)


@pytest.mark.django_db(transaction=True)
def test_issue10_an_import_leaves_the_tables_vacuumed_so_name_searches_read_only_their_indexes(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("VACUUM and the visibility map are PostgreSQL's")
    source = _legacy_file(tmp_path, generate(30, seed=11))
    summary = runner.import_file(source, actor=None, rejects=tmp_path / "rejets.csv", workers=1, batch_size=10)
    assert summary.imported > 0 and summary.tidy_seconds > 0
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT last_vacuum IS NOT NULL, last_analyze IS NOT NULL FROM pg_stat_user_tables WHERE relname = %s",
            ["patients_patient"],
        )
        assert cursor.fetchone() == (True, True)
        # Every page of the table is all-visible: an index-only scan never reads the heap.
        cursor.execute("SELECT relallvisible = relpages FROM pg_class WHERE relname = 'patients_patient'")
        assert cursor.fetchone() == (True,)
