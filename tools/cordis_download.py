"""A generated CORDIS download, in the layouts CORDIS publishes, for tests and benchmarks.

    .venv/bin/python -m tools.cordis_download OUT_FOLDER [--participations 100000]
        [--projects 12000] [--format csv|csv-comma|xlsx|json] [--zip] [--seed 7]

It writes the seven tables of a programme's download (``project``, ``organization``,
``euroSciVoc``, ``topics``, ``legalBasis``, ``webLink``, ``policyPriorities``) with what real
downloads hold and imports have lost before: organisations without a name (about a quarter of
the rows, as in a real Horizon Europe extract), every CORDIS role (``internationalPartner``
included), the same organisation twice in a project with two roles, a total cost of 0, Namibia
(``NA``), Greece and the United Kingdom as ``EL`` and ``UK``, empty optional columns, and a few
rows that cannot be stored (an organisation row of a project that is not in the project file,
an exact repeat). Programme parts, topics and EuroSciVoc fields are real CORDIS codes.

Everything is drawn with numpy from a seed, so the same arguments give the same files.
"""

from __future__ import annotations

import argparse
import csv
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parent.parent
EUROSCIVOC = REPO / "data" / "reference" / "cordis" / "euroscivoc.csv"

PROJECT_COLUMNS = [
    "id", "acronym", "status", "title", "startDate", "endDate", "totalCost", "ecMaxContribution",
    "legalBasis", "topics", "ecSignatureDate", "frameworkProgramme", "masterCall", "subCall",
    "fundingScheme", "nature", "objective", "contentUpdateDate", "rcn", "grantDoi", "keywords",
]
ORG_COLUMNS = [
    "projectID", "projectAcronym", "organisationID", "vatNumber", "name", "shortName", "SME",
    "activityType", "street", "postCode", "city", "country", "nutsCode", "geolocation",
    "organizationURL", "contactForm", "contentUpdateDate", "rcn", "order", "role", "ecContribution",
    "netEcContribution", "totalCost", "endOfParticipation", "active",
]
# (framework programme, programme part, its title, topic prefix): real CORDIS codes.
PARTS = [
    ("H2020", "H2020-EU.2.1.2.", "Nanotechnologies", "NMBP-{n:02d}-2018"),
    ("H2020", "H2020-EU.2.1.3.", "Advanced materials", "NMBP-{n:02d}-2019"),
    ("H2020", "H2020-EU.2.1.5.1.", "Technologies for Factories of the Future", "FOF-{n:02d}-2017"),
    ("H2020", "H2020-EU.2.1.1.", "Information and Communication Technologies", "ICT-{n:02d}-2017"),
    ("H2020", "H2020-EU.2.1.4.", "Biotechnology", "BIOTEC-{n:02d}-2017"),
    ("H2020", "H2020-EU.3.1.", "Health, demographic change and well-being", "SC1-BHC-{n:02d}-2019"),
    ("H2020", "H2020-EU.1.3.", "Marie Skłodowska-Curie Actions", "MSCA-IF-2018"),
    ("HORIZON", "HORIZON.2.4.4", "Advanced Materials", "HORIZON-CL4-2022-RESILIENCE-01-{n:02d}"),
    ("HORIZON", "HORIZON.2.4.1", "Manufacturing Technologies", "HORIZON-CL4-2021-TWIN-TRANSITION-01-{n:02d}"),
    ("HORIZON", "HORIZON.2.4.2", "Key Digital Technologies", "HORIZON-CL4-2023-DIGITAL-EMERGING-01-{n:02d}"),
    ("HORIZON", "HORIZON.2.1", "Health", "HORIZON-HLTH-2022-STAYHLTH-01-{n:02d}"),
    ("HORIZON", "HORIZON.1.1", "European Research Council (ERC)", "ERC-2023-STG"),
]
# EL and UK as CORDIS writes them; NA is Namibia, not a missing value.
COUNTRIES = np.array(["DE", "FR", "IT", "ES", "NL", "BE", "EL", "UK", "PL", "AT", "SE", "PT", "FI",
                      "CZ", "IE", "NO", "CH", "US", "CN", "NA", ""], dtype=object)
COUNTRY_WEIGHTS = np.array([16, 13, 12, 11, 8, 6, 4, 5, 4, 3, 3, 3, 2, 2, 2, 1.5, 1.5, 1, 0.6, 0.3, 0.6])
ROLES = np.array(["participant", "partner", "thirdParty", "associatedPartner", "internationalPartner"],
                 dtype=object)
ROLE_WEIGHTS = np.array([0.70, 0.08, 0.14, 0.05, 0.03])
ACTIVITY = np.array(["HES", "REC", "PRC", "PUB", "OTH", ""], dtype=object)
WORDS = np.array(["photonic sensors", "graphene coatings", "composite materials", "bioprocesses",
                  "additive manufacturing", "semiconductor devices", "clinical trials",
                  "cluster cooperation", "regional innovation", "SME support"], dtype=object)
NAMELESS_SHARE = 0.235


@dataclass(frozen=True)
class Download:
    """The generated tables, as all-text frames keyed by CORDIS file name (without suffix)."""

    tables: dict[str, pd.DataFrame]

    def write(self, folder: Path, fmt: str = "csv", zipped: bool = False) -> Path:
        """Write the tables as CORDIS publishes them; returns the folder or the zip."""
        folder.mkdir(parents=True, exist_ok=True)
        suffix = {"csv": ".csv", "csv-comma": ".csv", "xlsx": ".xlsx", "json": ".json"}[fmt]
        paths = []
        for name, frame in self.tables.items():
            path = folder / f"{name}{suffix}"
            if fmt == "csv":
                frame.to_csv(path, sep=";", index=False, quoting=csv.QUOTE_ALL)
            elif fmt == "csv-comma":
                frame.to_csv(path, sep=",", index=False, encoding="utf-8-sig")
            elif fmt == "xlsx":
                frame.to_excel(path, index=False, engine="openpyxl")
            else:
                # CORDIS JSON is an array of records; empty cells are null there.
                records = frame.astype(object).where(frame != "", None).to_dict("records")
                path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
            paths.append(path)
        if not zipped:
            return folder
        archive = folder / f"cordis-projects-{fmt}.zip"
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
            for path in paths:
                out.write(path, path.name)
                path.unlink()
        return archive


def _euroscivoc() -> pd.DataFrame:
    fields = pd.read_csv(EUROSCIVOC, dtype=str, keep_default_na=False)
    return fields[fields["path"].str.count("/") >= 3].reset_index(drop=True)


def generate(projects: int = 1200, participations: int = 10_000, seed: int = 7) -> Download:
    """A download of ``projects`` projects and about ``participations`` organisation rows."""
    rng = np.random.default_rng(seed)
    ids = np.arange(101_000_000, 101_000_000 + projects).astype(str)
    part = rng.integers(0, len(PARTS), projects)
    fp = np.array([PARTS[i][0] for i in part], dtype=object)
    legal = np.array([PARTS[i][1] for i in part], dtype=object)
    topic = np.array([PARTS[i][3].format(n=int(n)) for i, n in zip(part, rng.integers(1, 30, projects),
                                                                     strict=True)], dtype=object)
    start = pd.Timestamp("2015-01-01") + pd.to_timedelta(rng.integers(0, 3000, projects), unit="D")
    end = start + pd.to_timedelta(rng.integers(365, 1800, projects), unit="D")
    cost = rng.integers(100, 9000, projects) * 1000
    cost_text = cost.astype(str).astype(object)
    cost_text[rng.random(projects) < 0.02] = "0"  # CORDIS's 'not applicable'
    acronym = np.char.add("PRJ", np.arange(projects).astype(str)).astype(object)
    words = WORDS[rng.integers(0, len(WORDS), projects)]
    project = pd.DataFrame({c: "" for c in PROJECT_COLUMNS}, index=range(projects))
    project = project.assign(
        id=ids, acronym=acronym, status=np.where(rng.random(projects) < 0.7, "CLOSED", "SIGNED"),
        title=np.char.add("Cooperation on ", words.astype(str)).astype(object),
        startDate=start.strftime("%Y-%m-%d"), endDate=end.strftime("%Y-%m-%d"), totalCost=cost_text,
        ecMaxContribution=(cost * 0.8).astype(int).astype(str), legalBasis=legal, topics=topic,
        frameworkProgramme=fp, fundingScheme="RIA",
        objective=np.char.add("The consortium develops ", words.astype(str)).astype(object),
        grantDoi=np.char.add("10.3030/", ids).astype(object),
    )

    per_project = np.maximum(1, rng.poisson(participations / projects, projects))
    rows = int(per_project.sum())
    owner = np.repeat(np.arange(projects), per_project)
    first = np.r_[0, np.cumsum(per_project)[:-1]]
    order = np.arange(rows) - np.repeat(first, per_project)
    pool = max(50, rows // 4)
    org = rng.integers(0, pool, rows)
    org[:3] = [0, 1, 2]
    org_country = COUNTRIES[rng.choice(len(COUNTRIES), pool, p=COUNTRY_WEIGHTS / COUNTRY_WEIGHTS.sum())]
    org_country[:3] = ["NA", "EL", "UK"]  # always present, whatever the draw
    role = ROLES[rng.choice(len(ROLES), rows, p=ROLE_WEIGHTS)]
    role[order == 0] = "coordinator"
    named = rng.random(pool) >= NAMELESS_SHARE
    name = np.where(named, np.char.add("Organisation ", np.arange(pool).astype(str)), "").astype(object)
    contribution = (rng.integers(10, 900, rows) * 1000).astype(str).astype(object)
    contribution[np.isin(role, ["partner", "associatedPartner", "internationalPartner"])] = "0"
    organization = pd.DataFrame({c: "" for c in ORG_COLUMNS}, index=range(rows))
    organization = organization.assign(
        projectID=ids[owner], projectAcronym=acronym[owner],
        organisationID=(org + 900_000_000).astype(str), name=name[org], country=org_country[org],
        activityType=ACTIVITY[org % len(ACTIVITY)], city=np.where(named[org], "City", ""),
        order=(order + 1).astype(str), role=role, ecContribution=contribution,
        SME=np.where(org % 3 == 0, "true", "false"),
    )
    # One listing per organisation and project, as CORDIS has it, before the cases below.
    organization = organization.drop_duplicates(["projectID", "organisationID"]).reset_index(drop=True)
    # The same organisation again in the same project with a second role.
    twice = organization[(organization["role"] == "participant")].sample(
        frac=0.02, random_state=seed).assign(role="thirdParty", ecContribution="")
    # Rows that cannot be stored: a project absent from the project file; an exact repeat.
    orphan = organization.head(3).assign(projectID="999999999", projectAcronym="GHOST")
    repeat = organization.sample(n=min(5, rows), random_state=seed + 1)
    organization = pd.concat([organization, twice, orphan, repeat], ignore_index=True)

    fields = _euroscivoc()
    n_fields = rng.integers(1, 4, projects)
    field_owner = np.repeat(np.arange(projects), n_fields)
    picked = fields.iloc[rng.integers(0, len(fields), len(field_owner))].reset_index(drop=True)
    esv = pd.DataFrame({"projectID": ids[field_owner], "euroSciVocCode": picked["code"],
                        "euroSciVocPath": picked["path"], "euroSciVocTitle": picked["title"],
                        "euroSciVocDescription": ""}).drop_duplicates(["projectID", "euroSciVocCode"])
    titles = np.array([PARTS[i][2] for i in part], dtype=object)
    legal_basis = pd.DataFrame({"projectID": ids, "projectAcronym": acronym, "legalBasis": legal,
                                "title": titles, "uniqueProgrammePart": "true"})
    topics = pd.DataFrame({"projectID": ids, "projectAcronym": acronym, "topic": topic,
                           "title": np.char.add("Topic ", topic.astype(str)).astype(object)})
    linked = rng.random(projects) < 0.3
    web = pd.DataFrame({"id": np.arange(int(linked.sum())).astype(str), "projectID": ids[linked],
                        "projectAcronym": acronym[linked],
                        "physUrl": np.char.add("https://project.example/", ids[linked]).astype(object),
                        "availableLanguages": "en", "status": "", "archivedDate": "",
                        "type": "relatedWebsite", "source": "", "represents": "project"})
    horizon = fp == "HORIZON"
    shares = np.array(["0", "40", "100"], dtype=object)
    priorities = pd.DataFrame({"projectID": ids[horizon],
                               "climate": shares[rng.integers(0, 3, int(horizon.sum()))],
                               "digitalAgenda": shares[rng.integers(0, 3, int(horizon.sum()))]})
    return Download({"project": project, "organization": organization, "euroSciVoc": esv,
                     "topics": topics, "legalBasis": legal_basis, "webLink": web,
                     "policyPriorities": priorities})


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--projects", type=int, default=12_000)
    parser.add_argument("--participations", type=int, default=100_000)
    parser.add_argument("--format", choices=("csv", "csv-comma", "xlsx", "json"), default="csv")
    parser.add_argument("--zip", action="store_true")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    download = generate(args.projects, args.participations, args.seed)
    print(download.write(args.out, args.format, args.zip))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
