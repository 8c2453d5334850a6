"""A deterministic generator of synthetic French identities, with near-duplicates of known truth.

Names come from Faker's fr_FR lists, birthplaces are real INSEE codes (communes, overseas, Corsica, and
countries for people born abroad), and each person with an INS carries a matricule whose digits agree with
the sex, the birth month and year and the birthplace, with a valid key (RNIV TR-10). About 3 % of the rows
are near-duplicates of another row, made by one mutation of ``benchmarks.duplicates.mutate`` (typo, hyphen
and space swap, missing second first name, used name recorded as the birth name, day and month swapped);
the truth file lists each (original, duplicate, mutation). The same seed gives the same files.

    python -m benchmarks.generator 100000 identities.csv truth.csv [--seed 42]
"""

import argparse
import csv
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from faker.providers.person.fr_FR import Provider as FrenchNames

from benchmarks.duplicates import KINDS, mutate
from patients.ins import OID_NIR, ins_key

COLUMNS = [
    "legacy_id",
    "birth_name",
    "first_name",
    "first_names",
    "sex",
    "birth_date",
    "birthplace_cog",
    "used_name",
    "ins",
    "ins_oid",
    "address",
    "phone",
    "email",
]
TRUTH_COLUMNS = ["original_legacy_id", "duplicate_legacy_id", "mutation"]
DUPLICATE_SHARE = 0.03
INS_SHARE = 0.8
# Real INSEE codes (COG): large communes, Corsica (2A/2B), overseas (97x), and countries (99xxx, born abroad).
BIRTHPLACES = (
    "75056 13055 69123 31555 06088 44109 67482 34172 33063 59350 35238 51454 76351 42218 83137 38185 21231 "
    "49007 30189 69266 63113 72181 13001 29019 37261 80021 87085 74010 66136 57463 25056 45234 76540 14118 "
    "54395 64445 86194 17300 56260 22278 62041 68224 68066 2A004 2B033 97411 97209 97101 97302 "
    "99350 99352 99351 99134 99127 99139 99109 99131"
).split()
STREETS = ("rue", "avenue", "boulevard", "chemin", "place", "allée", "impasse")


@dataclass(frozen=True)
class DataSet:
    rows: list[dict[str, str]]
    truth: list[dict[str, str]]


def nir_for(*, sex: str, birth_date: date, cog: str, order: int) -> str:
    """The 15-character matricule of a person: sex, year, month, birthplace, order, key (RNIV TR-10)."""
    body = f"{'1' if sex == 'M' else '2'}{birth_date.year % 100:02d}{birth_date.month:02d}{cog}{order:03d}"
    return body + ins_key(body)


class _People:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.taken: set[str] = set()

    def _name(self) -> str:
        name = self.rng.choice(FrenchNames.last_names)
        if self.rng.random() < 0.15:
            name += "-" + self.rng.choice(FrenchNames.last_names)
        return name

    def person(self) -> dict:
        rng = self.rng
        sex = rng.choice("MF")
        pool = FrenchNames.first_names_male if sex == "M" else FrenchNames.first_names_female
        firsts = [rng.choice(pool) for _ in range(rng.choice([1, 1, 2, 2, 3]))]
        birth_date = date(1930, 1, 1) + timedelta(days=rng.randint(0, 34000))
        cog = rng.choice(BIRTHPLACES)
        person = {
            "birth_name": self._name(),
            "first_name": firsts[0],
            "first_names": " ".join(firsts),
            "sex": sex,
            "birth_date": birth_date,
            "birthplace_cog": cog,
            "used_name": self._name() if sex == "F" and rng.random() < 0.4 else "",
            "ins": "",
            "address": f"{rng.randint(1, 150)} {rng.choice(STREETS)} {rng.choice(FrenchNames.last_names)}"
            if rng.random() < 0.6
            else "",
            "phone": f"0{rng.randint(1, 7)}{rng.randint(0, 99_999_999):08d}" if rng.random() < 0.5 else "",
        }
        if rng.random() < INS_SHARE:
            while True:  # one INS is one person (RNIV ST-11)
                ins = nir_for(sex=sex, birth_date=birth_date, cog=cog, order=rng.randint(1, 999))
                if ins not in self.taken:
                    self.taken.add(ins)
                    person["ins"] = ins
                    break
        return person


def _applicable(kind: str, p: dict) -> bool:
    d = p["birth_date"]
    if kind in ("day_month_swap", "swap_and_typo"):
        return d.day <= 12 and d.day != d.month
    if kind == "missing_first_name":
        return " " in p["first_names"]
    if kind == "used_as_birth_name":
        return bool(p["used_name"])
    if kind == "hyphen_space":
        return "-" in p["birth_name"] or len(p["birth_name"]) >= 4
    return True


def _csv_row(legacy_id: str, p: dict) -> dict[str, str]:
    row = {name: str(p.get(name, "") or "") for name in COLUMNS}
    row["legacy_id"] = legacy_id
    row["birth_date"] = p["birth_date"].isoformat()
    row["ins_oid"] = OID_NIR if p.get("ins") else ""
    return row


def generate(count: int, *, seed: int = 42, duplicate_share: float = DUPLICATE_SHARE) -> DataSet:
    """``count`` rows, of which about ``duplicate_share`` are near-duplicates of another row; same seed, same rows."""
    rng = random.Random(seed)
    people = _People(rng)
    duplicates = round(count * duplicate_share)
    originals = [people.person() for _ in range(count - duplicates)]
    entries: list[tuple[dict, int | None, str]] = [(p, None, "") for p in originals]
    for index in rng.sample(range(len(originals)), duplicates):
        original = originals[index]
        kind = rng.choice([k for k in KINDS if _applicable(k, original)])
        dup = mutate(rng, kind, original)
        dup["ins"] = ""  # the second record of a person rarely carries the INS (else ST-11 finds it at once)
        entries.append((dup, index, kind))
    order = list(range(len(entries)))
    rng.shuffle(order)
    legacy = {position: f"A{rank + 1:08d}" for rank, position in enumerate(order)}
    rows = [_csv_row(legacy[position], entries[position][0]) for position in order]
    truth = [
        {"original_legacy_id": legacy[origin], "duplicate_legacy_id": legacy[position], "mutation": kind}
        for position, (_, origin, kind) in enumerate(entries)
        if origin is not None
    ]
    truth.sort(key=lambda t: t["duplicate_legacy_id"])
    return DataSet(rows, truth)


def write_csv(path: Path, columns: list[str], rows: Iterator[dict[str, str]] | list[dict[str, str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)


def write(data: DataSet, identities: Path, truth: Path) -> None:
    write_csv(identities, COLUMNS, data.rows)
    write_csv(truth, TRUTH_COLUMNS, data.truth)


def main() -> None:
    parser = argparse.ArgumentParser(description="Génère N identités françaises synthétiques et leur vérité.")
    parser.add_argument("count", type=int)
    parser.add_argument("identities", type=Path)
    parser.add_argument("truth", type=Path)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    write(generate(args.count, seed=args.seed), args.identities, args.truth)


if __name__ == "__main__":
    main()
