"""Issue 10: the synthetic identities of ``make bench`` are deterministic, valid, and their truth is right."""

from datetime import date

from rapidfuzz.distance import Levenshtein

from benchmarks.generator import BIRTHPLACES, generate, write
from patients.bulk_import.rows import check_row
from patients.ins import validate_ins


def test_issue10_same_seed_same_identities_and_truth():
    first, again, other = generate(400, seed=7), generate(400, seed=7), generate(400, seed=8)
    assert first == again
    assert first.rows != other.rows


def test_issue10_tr10_each_ins_has_a_valid_key_and_agrees_with_sex_birth_date_and_birthplace():
    rows = generate(2000, seed=1).rows
    with_ins = [r for r in rows if r["ins"]]
    assert len(with_ins) > 1000
    for row in with_ins:
        validate_ins(row["ins"], row["ins_oid"])  # raises on a wrong key (TR-10) or an AME NIR (TR-12)
        born = date.fromisoformat(row["birth_date"])
        assert row["ins"][0] == ("1" if row["sex"] == "M" else "2")
        assert row["ins"][1:5] == f"{born.year % 100:02d}{born.month:02d}"
        assert row["ins"][5:10] == row["birthplace_cog"]
    assert len({r["ins"] for r in with_ins}) == len(with_ins)  # ST-11: one INS, one person
    assert {r["birthplace_cog"] for r in rows if r["birthplace_cog"]} <= set(BIRTHPLACES)


def test_issue10_truth_lists_about_three_percent_duplicates_each_made_by_its_mutation():
    data = generate(3000, seed=2)
    by_id = {row["legacy_id"]: row for row in data.rows}
    assert len(data.rows) == 3000 and len(data.truth) == 90
    for pair in data.truth:
        original, dup = by_id[pair["original_legacy_id"]], by_id[pair["duplicate_legacy_id"]]
        kind = pair["mutation"]
        if kind == "day_month_swap":
            a, b = date.fromisoformat(original["birth_date"]), date.fromisoformat(dup["birth_date"])
            assert (a.day, a.month) == (b.month, b.day) and a != b
            assert dup["birth_name"] == original["birth_name"]
        elif kind == "missing_first_name":
            assert dup["first_names"] == original["first_names"].split()[0] != original["first_names"]
        elif kind == "used_as_birth_name":
            assert dup["birth_name"] == original["used_name"] != original["birth_name"]
        elif kind == "typo":
            assert 1 <= Levenshtein.distance(dup["birth_name"], original["birth_name"]) <= 2
        elif kind == "hyphen_space":
            strip = str.maketrans("", "", "- ")
            assert dup["birth_name"].translate(strip) == original["birth_name"].translate(strip)
            assert dup["birth_name"] != original["birth_name"]


def test_issue10_generated_rows_pass_the_checks_of_a_creation(tmp_path):
    data = generate(1500, seed=4)
    refused = [check_row(line, row) for line, row in enumerate(data.rows, start=2)]
    assert [(r.line, r.reason) for r in refused if not r.ok] == []
    write(data, tmp_path / "identities.csv", tmp_path / "truth.csv")
    assert (tmp_path / "truth.csv").read_text(encoding="utf-8").count("\n") == len(data.truth) + 1


def test_issue10_make_bench_defaults_to_the_local_postgresql_server(monkeypatch):
    from benchmarks.run import DEFAULT_URL, bench_database_url

    monkeypatch.delenv("BENCH_DATABASE_URL", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert bench_database_url() == DEFAULT_URL == "postgres://root@127.0.0.1:5432/registry"
    monkeypatch.setenv("DATABASE_URL", "sqlite:///db.sqlite3")
    assert bench_database_url() == DEFAULT_URL  # benchmarks measure PostgreSQL unless told otherwise
    monkeypatch.setenv("DATABASE_URL", "postgres://me@db:5432/reg")
    assert bench_database_url() == "postgres://me@db:5432/reg"
    monkeypatch.setenv("BENCH_DATABASE_URL", "postgres://bench@db:5432/b")
    assert bench_database_url() == "postgres://bench@db:5432/b"
