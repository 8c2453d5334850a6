"""Benchmark of duplicate detection (RNIV ST-11, AUD-05) against a known ground truth.

A synthetic population is generated with its own duplicates, each made by one mutation of an original:
a typo in the birth name, a hyphen turned into a space (or the reverse), a missing second first name,
the used name typed as the birth name, day and month swapped, and day/month swapped plus a typo. The
full scan (``manage.py find_duplicates``) runs in a child process so its time and peak memory are its
own. Reported: precision, recall and F1 of the pairs at each threshold, recall per mutation kind, scan
time and peak RSS, and the p95 of the duplicate check before a creation against the raw blocking query.

    BENCH_DUPLICATES_ROWS=100000 BENCH_DATABASE_URL=postgres://root@127.0.0.1:5432/bench \\
        python -m benchmarks.run duplicates
"""

import os
import random
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROWS = int(os.environ.get("BENCH_DUPLICATES_ROWS", "100000"))
DUPLICATE_SHARE = float(os.environ.get("BENCH_DUPLICATES_SHARE", "0.1"))
CHECKS = int(os.environ.get("BENCH_DUPLICATES_CHECKS", "300"))
SYLLABLES = (
    "MAR TIN BER NARD DU PONT LE GALL RO SEAU FON TAINE GUE RIN MO REAU PE TIT LAM BERT CHE VAL LIER BON NET DA "
    "VID FAU RE GAR NIER ROUS SEL BLAN CHARD LA COS TE MEU NIER BOU CHER PI CARD SCH MITT NGU YEN KA BI LA "
    "HA MID BEN ALI GOM EZ SAN TOS"
).split()
FIRST = (
    "JEAN MARIE PIERRE ANNE LOUIS ZOE EVE PAUL CLAIRE LUC NOE INES LEA HUGO JADE EMMA LINA ADAM ARTHUR ROSE "
    "LOUISE GABRIEL RAPHAEL CHLOE CAMILLE SARAH THOMAS LUCAS NATHAN MANON JULIE SOPHIE ISABELLE NICOLAS "
    "PHILIPPE CATHERINE MICHEL FRANCOISE ALAIN MONIQUE YASMINE KARIM FATIMA MOHAMED AMINATA MAMADOU HELENE"
).split()
COGS = [f"{dept:02d}{town:03d}" for dept in range(1, 96) for town in (1, 56, 100, 210)]
KINDS = ["typo", "hyphen_space", "missing_first_name", "used_as_birth_name", "day_month_swap", "swap_and_typo"]
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _name(rng: random.Random) -> str:
    name = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3)))
    if rng.random() < 0.15:
        name += "-" + "".join(rng.choice(SYLLABLES) for _ in range(2))
    return name


def _typo(rng: random.Random, text: str) -> str:
    """One keyboard slip in a letter: substitution, deletion, insertion or transposition."""
    positions = [i for i, ch in enumerate(text) if ch.isalpha()]
    i = rng.choice(positions[1:] or positions)
    kind = rng.choice(["sub", "del", "ins", "swap"])
    if kind == "sub":
        return text[:i] + rng.choice(LETTERS.replace(text[i], "")) + text[i + 1 :]
    if kind == "del" and len(positions) > 3:
        return text[:i] + text[i + 1 :]
    if kind == "swap" and i + 1 < len(text) and text[i + 1].isalpha() and text[i] != text[i + 1]:
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    return text[:i] + rng.choice(LETTERS) + text[i:]


def _person(rng: random.Random) -> dict:
    sex = rng.choice("MF")
    firsts = [rng.choice(FIRST) for _ in range(rng.choice([1, 1, 2, 2, 3]))]
    return {
        "birth_name": _name(rng),
        "first_name": firsts[0],
        "first_names": " ".join(firsts),
        "sex": sex,
        "birth_date": date(1925, 1, 1) + timedelta(days=rng.randint(0, 36000)),
        "birthplace_cog": rng.choice(COGS) if rng.random() < 0.85 else "",
        "used_name": _name(rng) if sex == "F" and rng.random() < 0.5 else "",
    }


def _applicable(kind: str, p: dict) -> bool:
    d = p["birth_date"]
    if kind in ("day_month_swap", "swap_and_typo"):
        return d.day <= 12 and d.day != d.month
    if kind == "missing_first_name":
        return " " in p["first_names"]
    if kind == "used_as_birth_name":
        return bool(p["used_name"])
    return True


def mutate(rng: random.Random, kind: str, p: dict) -> dict:
    """The duplicate an agent would type for the same person, with one kind of error."""
    dup = dict(p)
    d = p["birth_date"]
    if kind in ("typo", "swap_and_typo"):
        dup["birth_name"] = _typo(rng, p["birth_name"])
    if kind in ("day_month_swap", "swap_and_typo"):
        dup["birth_date"] = d.replace(day=d.month, month=d.day)
    if kind == "hyphen_space":
        name = p["birth_name"]
        if "-" in name:
            dup["birth_name"] = name.replace("-", rng.choice([" ", ""]))
        else:
            cut = rng.randint(2, len(name) - 2)
            dup["birth_name"] = name[:cut] + rng.choice(["-", " "]) + name[cut:]
    if kind == "missing_first_name":
        dup["first_names"] = p["first_names"].split()[0]
    if kind == "used_as_birth_name":
        dup["birth_name"] = p["used_name"]
    if rng.random() < 0.3:  # the second record often lacks the birthplace
        dup["birthplace_cog"] = ""
    return dup


def _insert(values: list[dict]) -> list[int]:
    from patients.ipp import allocate_ipps
    from patients.models import Patient
    from patients.services import refresh_derived

    objects = []
    for item, ipp in zip(values, allocate_ipps(len(values)), strict=True):
        patient = Patient(**item, ipp=ipp)
        refresh_derived(patient)
        objects.append(patient)
    Patient.objects.bulk_create(objects)  # fixture: history rows deliberately skipped
    return [patient.pk for patient in objects]


def seed(rows: int, chunk: int = 5000) -> tuple[dict[tuple[int, int], str], list[dict]]:
    """Insert the population chunk by chunk; return the true pairs (lower pk first) and their mutation kind.

    Only the originals that get a duplicate are kept in memory, so 1M rows seed in bounded memory.
    """
    rng = random.Random(9)
    originals = int(rows / (1 + DUPLICATE_SHARE))
    chosen = set(rng.sample(range(originals), rows - originals))
    kept: list[tuple[dict, int]] = []
    for start in range(0, originals, chunk):
        people = [_person(rng) for _ in range(start, min(start + chunk, originals))]
        pks = _insert(people)
        kept += [(p, pk) for offset, (p, pk) in enumerate(zip(people, pks, strict=True)) if start + offset in chosen]
    rng.shuffle(kept)
    truth: dict[tuple[int, int], str] = {}
    samples: list[dict] = []
    for start in range(0, len(kept), chunk):
        batch = []
        for person, _ in kept[start : start + chunk]:
            kind = rng.choice([k for k in KINDS if _applicable(k, person)])
            batch.append((kind, mutate(rng, kind, person)))
        pks = _insert([dup for _, dup in batch])
        for (kind, dup), (_, original_pk), pk in zip(batch, kept[start : start + chunk], pks, strict=True):
            truth[(min(original_pk, pk), max(original_pk, pk))] = kind
            if len(samples) < CHECKS:
                samples.append(dup)
    return truth, samples


def run_scan(*, record: bool) -> dict:
    """Run the scan in a child process: its wall time and peak resident memory are its own."""
    code = (
        "import django, re; django.setup(); "
        "from patients.duplicates.scan import scan; "
        "from patients.duplicates.services import duplicate_record_scan_pairs as rec; "
        f"r = scan(restart=True, record={'lambda p: rec(actor=None, pairs=p)' if record else 'len'}); "
        # VmHWM, not ru_maxrss: Linux carries ru_maxrss across fork and exec (the seeding parent's peak).
        "hwm = re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1); "
        "print(r.identities_seen, r.pairs_found, hwm)"
    )
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)  # noqa: S603
    elapsed = time.perf_counter() - start
    seen, found, peak_kb = out.stdout.split()[-3:]
    return {"seconds": elapsed, "peak_mb": int(peak_kb) / 1024, "seen": int(seen), "pairs": int(found)}


def quality(truth: dict[tuple[int, int], str]) -> list[str]:
    from patients.duplicates.models import DuplicateCandidate

    rows = DuplicateCandidate.objects.values_list("patient_low_id", "patient_high_id", "match_class")
    found = {(low, high): cls for low, high, cls in rows}
    lines = ["| threshold | pairs | true | precision | recall | F1 |", "|---|---|---|---|---|---|"]
    per_kind = {}
    for label, classes in (("high (probable)", {"PROBABLE"}), ("low (probable + possible)", {"PROBABLE", "POSSIBLE"})):
        kept = {pair for pair, cls in found.items() if cls in classes}
        true = kept & set(truth)
        precision = len(true) / len(kept) if kept else 0.0
        recall = len(true) / len(truth) if truth else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        lines.append(f"| {label} | {len(kept)} | {len(true)} | {precision:.4f} | {recall:.4f} | {f1:.4f} |")
        per_kind[label] = {k: [p in kept for p, kind in truth.items() if kind == k] for k in KINDS}
    lines += ["", "| mutation | pairs | recall (high) | recall (low) |", "|---|---|---|---|"]
    for kind in KINDS:
        high, low = per_kind["high (probable)"][kind], per_kind["low (probable + possible)"][kind]
        share_high, share_low = sum(high) / max(len(high), 1), sum(low) / max(len(low), 1)
        lines.append(f"| {kind} | {len(low)} | {share_high:.4f} | {share_low:.4f} |")
    return lines


def check_latency(samples: list[dict]) -> list[str]:
    """p95 of the check before a creation (block + score) against the raw blocking query alone."""
    from django.db import connection

    from patients.duplicates.scoring import swapped
    from patients.duplicates.selectors import duplicate_candidates

    def p95(times: list[float]) -> float:
        times = sorted(times)
        return times[max(int(len(times) * 0.95) - 1, 0)]

    checks, raw = [], []
    sql = (
        "SELECT id, birth_name, first_names, sex, birth_date, birthplace_cog, used_name, ins_matricule "
        "FROM patients_patient WHERE is_active AND birth_date IN (%s, %s)"
    )
    with connection.cursor() as cursor:
        for values in samples:
            start = time.perf_counter()
            duplicate_candidates(values=values)
            checks.append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            cursor.execute(sql, [values["birth_date"], swapped(values["birth_date"]) or values["birth_date"]])
            cursor.fetchall()
            raw.append((time.perf_counter() - start) * 1000)
    return [
        "| query | p50 ms | p95 ms |",
        "|---|---|---|",
        f"| duplicate check before a creation (block + score) | {statistics.median(checks):.2f} | {p95(checks):.2f} |",
        f"| raw blocking query only | {statistics.median(raw):.2f} | {p95(raw):.2f} |",
    ]


def run(*, workdir: Path, reports: Path) -> Path:
    from django.db import connection

    start = time.perf_counter()
    truth, samples = seed(ROWS)
    seeded = time.perf_counter() - start
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE patients_patient")
    detect = run_scan(record=False)
    full = run_scan(record=True)
    lines = [
        f"# Duplicates benchmark ({connection.vendor}, {ROWS} identities, {len(truth)} true duplicate pairs)",
        "",
        f"Seeded in {seeded:.0f} s. Targets at 1M identities: F1 >= 0.99, scan <= 121 s, peak <= 1 GB.",
        "",
        "## Full scan (child process, wall time and peak RSS)",
        "",
        "| run | identities | pairs | seconds | peak RSS MB |",
        "|---|---|---|---|---|",
        f"| detection only (block, pre-filter, score) | {detect['seen']} | {detect['pairs']} | "
        f"{detect['seconds']:.1f} | {detect['peak_mb']:.0f} |",
        f"| find_duplicates (detection + pair records + HOMD flags and history) | {full['seen']} | "
        f"{full['pairs']} | {full['seconds']:.1f} | {full['peak_mb']:.0f} |",
        "",
        "## Quality against the ground truth",
        "",
        *quality(truth),
        "",
        f"## Check before a creation ({len(samples)} duplicates typed again)",
        "",
        *check_latency(samples),
    ]
    report = reports / "duplicates.md"
    report.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    return report
