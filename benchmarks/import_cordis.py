"""Throughput of the CORDIS import: generate a CORDIS-layout pair, import it, time each phase.

    .venv/bin/python -m benchmarks.import_cordis [--participations 100000] [--projects 10000]
                                                 [--seed 7] [--profile]

The files are generated deterministically (seeded) into a temporary folder that is removed at
the end; nothing is written into the repository. The figure printed is input rows (project.csv +
organization.csv) per second for reading + mapping + writing, where writing includes the
validation of the written dataset by the app's loader (``write_dataset``).
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import os
import platform
import pstats
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from data.importers.cordis import import_cordis
from data.importers.report import ImportReport
from data.importers.writer import write_dataset

PROJECT_COLUMNS = [
    "id", "acronym", "status", "title", "startDate", "endDate", "totalCost", "ecMaxContribution",
    "legalBasis", "topics", "ecSignatureDate", "frameworkProgramme", "masterCall", "subCall",
    "fundingScheme", "objective", "contentUpdateDate", "rcn", "grantDoi",
]
ORG_COLUMNS = [
    "projectID", "projectAcronym", "organisationID", "vatNumber", "name", "shortName", "SME",
    "activityType", "street", "postCode", "city", "country", "nutsCode", "geolocation",
    "organizationURL", "contactForm", "contentUpdateDate", "rcn", "order", "role", "ecContribution",
    "netEcContribution", "totalCost", "endOfParticipation", "active",
]
# CORDIS writes Greece and the United Kingdom as EL and UK; the import must normalise them.
COUNTRIES = ["DE", "FR", "IT", "ES", "NL", "BE", "EL", "UK", "PL", "AT", "SE", "PT", "FI", "CZ", "IE"]
ACTIVITY = ["HES", "REC", "PRC", "PUB", "OTH"]
TOPIC_WORDS = [
    "photonics and laser systems", "nanotechnology and nanomaterials", "industrial biotechnology",
    "semiconductor microelectronics", "advanced materials and composites",
    "advanced manufacturing and robotics", "digital health", "renewable energy storage",
    "sustainable mobility", "agri-food value chains",
]


def generate(folder: Path, projects: int, participations: int, seed: int) -> tuple[Path, Path]:
    """Write project.csv and organization.csv in the official layout (';', all quoted)."""
    rng = np.random.default_rng(seed)
    ids = np.arange(101_000_000, 101_000_000 + projects)
    programme = np.where(rng.random(projects) < 0.6, "H2020", "HORIZON")
    start_day = rng.integers(0, 3000, projects)
    start = np.datetime64("2014-01-01") + start_day.astype("timedelta64[D]")
    end = start + rng.integers(365, 1461, projects).astype("timedelta64[D]")
    topic = rng.integers(0, len(TOPIC_WORDS), projects)
    cost = rng.integers(100_000, 20_000_000, projects)
    project_path = folder / "project.csv"
    with project_path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter=";", quoting=csv.QUOTE_ALL)
        writer.writerow(PROJECT_COLUMNS)
        for i in range(projects):
            words = TOPIC_WORDS[topic[i]]
            writer.writerow([
                ids[i], f"PRJ{i}", "SIGNED", f"Clusters cooperating on {words} ({i})", start[i], end[i],
                f"{cost[i]},50", cost[i] // 2, f"{programme[i]}-EU.2.1.", f"TOPIC-{topic[i]}", "",
                programme[i], "", "", "CSA", f"The consortium works on {words} across regions.",
                "2024-01-01 00:00:00", "", f"10.3030/{ids[i]}",
            ])

    # Organisations appear in many projects (a long tail), as in the real extracts.
    organisations = max(participations // 4, 1)
    org_of_row = np.minimum(rng.zipf(1.3, participations) - 1, organisations - 1)
    org_of_row = np.where(rng.random(participations) < 0.5, rng.integers(0, organisations, participations),
                          org_of_row)
    project_of_row = np.sort(rng.integers(0, projects, participations))
    org_country = rng.integers(0, len(COUNTRIES), organisations)
    org_activity = rng.integers(0, len(ACTIVITY), organisations)
    shouted = rng.random(participations) < 0.01  # a spelling variant now and then
    org_path = folder / "organization.csv"
    first_in_project = np.r_[True, project_of_row[1:] != project_of_row[:-1]]
    with org_path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter=";", quoting=csv.QUOTE_ALL)
        writer.writerow(ORG_COLUMNS)
        seen: set[tuple[int, int]] = set()
        for row in range(participations):
            p, o = int(project_of_row[row]), int(org_of_row[row])
            while (p, o) in seen:  # one listing per organisation and project, as CORDIS does
                o = (o + 1) % organisations
            seen.add((p, o))
            name = f"Organisation {o} Cluster"
            country = COUNTRIES[org_country[o]]
            writer.writerow([
                ids[p], f"PRJ{p}", 900_000_000 + o, "", name.upper() if shouted[row] else name,
                f"ORG{o}", "false", ACTIVITY[org_activity[o]], "", "", f"City {o % 500}", country,
                f"{country}123", f"{40 + o % 20}.{o % 1000:03d},{o % 30}.{o % 997:03d}", "", "",
                "2024-01-01 00:00:00", "", "1",
                "coordinator" if first_in_project[row] else "participant",
                f"{(o % 900 + 100) * 1000},25", "", "", "false", "true",
            ])
    return project_path, org_path


def run(folder: Path, project_path: Path, org_path: Path) -> dict[str, float]:
    report = ImportReport()
    started = time.perf_counter()
    tables, documents = import_cordis(project_path, org_path, report)
    imported = time.perf_counter()
    write_dataset(tables, folder / "dataset", report, documents)
    written = time.perf_counter()
    rows = sum(f.rows_read for f in report.files)
    assert rows == sum(f.rows_imported + f.rows_rejected for f in report.files)
    return {
        "rows": rows,
        "rejected": len(report.rejections),
        "projects": len(tables["projects"]),
        "organisations": len(tables["organisations"]),
        "participations": len(tables["participations"]),
        "tags": report.inferred_tags,
        "read_map_s": imported - started,
        "write_validate_s": written - imported,
        "total_s": written - started,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=10_000)
    parser.add_argument("--participations", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--profile", action="store_true", help="print the 25 most costly functions")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cordis-bench-") as tmp:
        folder = Path(tmp)
        t0 = time.perf_counter()
        project_path, org_path = generate(folder, args.projects, args.participations, args.seed)
        generated = time.perf_counter() - t0
        profiler = cProfile.Profile() if args.profile else None
        if profiler:
            profiler.enable()
        result = run(folder, project_path, org_path)
        if profiler:
            profiler.disable()
        sizes = project_path.stat().st_size + org_path.stat().st_size
    print(f"machine: {platform.machine()}, {os.cpu_count()} CPU(s) (nproc), "
          f"Python {platform.python_version()}, {platform.system()} {platform.release()}")
    print(f"input: {args.projects:,} projects + {args.participations:,} participations "
          f"({sizes / 1e6:.1f} MB), generated in {generated:.1f} s (not counted)")
    print(f"output: {result['projects']:,} projects, {result['organisations']:,} organisations, "
          f"{result['participations']:,} participations, {result['tags']:,} inferred tags, "
          f"{result['rejected']} rejected rows")
    print(f"read + map (import_cordis): {result['read_map_s']:.2f} s")
    print(f"write + validate (write_dataset): {result['write_validate_s']:.2f} s")
    print(f"total: {result['total_s']:.2f} s -> {result['rows'] / result['total_s']:,.0f} rows/s")
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    return 0


if __name__ == "__main__":
    sys.exit(main())
