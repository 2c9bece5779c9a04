"""Rebuild the CORDIS reference vocabularies in this folder from the CORDIS files.

    python data/reference/cordis/build.py [SOURCE_DIR]

SOURCE_DIR defaults to ``../shared/cordis-reference`` next to the repository (the files as
downloaded from CORDIS: ``cordisref-H2020programmes.csv``, ``cordisref-H2020topics.csv``,
``cordisref-FP7programmes.csv``, ``legalBasis-horizon.csv``, ``euroSciVoc-paths-horizon.csv``).
Standard library only; the output is deterministic (sorted), so a rerun on the same input gives
the same files. README.md in this folder says what is changed and why.
"""

from __future__ import annotations

import csv
import html
import re
import sys
from pathlib import Path

from data.io.paths import REFERENCE_DIR

HERE = REFERENCE_DIR / "cordis"
REPO = Path(__file__).resolve().parents[1]
DEFAULT_SOURCE = REPO.parent / "shared" / "cordis-reference"

REPLACEMENT = "\ufffd"


def repair(text: str) -> str:
    """The few repairs that are not guesses (README.md lists them); other damage stays."""
    text = html.unescape(text)                           # '&amp;' -> '&'
    text = text.replace("Sk?odowska", "Skłodowska")      # the only word with '?' for 'ł'
    text = text.replace(f" {REPLACEMENT} ", " – ")       # a lost dash between two words
    return " ".join(text.split()) if text.strip() else ""


def read(path: Path, encoding: str = "utf-8") -> list[dict[str, str]]:
    with path.open(newline="", encoding=encoding) as handle:
        return list(csv.DictReader(handle, delimiter=";"))


def write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle, lineterminator="\n")
        out.writerow(header)
        out.writerows(rows)
    print(f"{path.relative_to(REPO)}: {len(rows)} rows")


def code_key(code: str) -> list[tuple[int, int, str]]:
    """Sort H2020-EU.2.1.10 after H2020-EU.2.1.9."""
    return [(0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.split(r"(\d+)", code)]


def programme_parts(source: Path) -> list[list[str]]:
    parts: dict[str, tuple[str, str]] = {}

    def add(code: str, title: str, framework: str) -> None:
        code = code.strip()
        if code and code not in parts:                   # one row per code: the first title
            parts[code] = (repair(title), framework)

    # Horizon 2020: the programme parts (H2020-EU.*, H2020-Euratom*, H2020-EC); the file also
    # lists call topics, which are in h2020_topics.csv.
    for row in read(source / "cordisref-H2020programmes.csv"):
        if row["language"].strip() == "en" and re.match(r"H2020-(EU\.|Euratom|EC$)", row["code"]):
            add(row["code"], row["title"], "H2020")
    # FP7: the specific programmes and themes (FP7-*), the values of CORDIS legalBasis for FP7
    # projects; the file's activity and call-topic codes (NMP-1.1, NMP-2008-1.1-1) are left out.
    for row in read(source / "cordisref-FP7programmes.csv", encoding="utf-8-sig"):
        if row["Language"].strip() == "en" and row["Code"].startswith("FP7-"):
            add(row["Code"], row["Title"], "FP7")
    for row in read(source / "legalBasis-horizon.csv"):
        code = row["legalBasis"].strip()
        add(code, row["title"], "EURATOM" if code.startswith("EURATOM") else "HORIZON")
    return [[code, title, fw] for code, (title, fw) in sorted(parts.items(), key=lambda kv: code_key(kv[0]))]


def h2020_topics(source: Path) -> list[list[str]]:
    rows: dict[tuple[str, str], str] = {}
    for row in read(source / "cordisref-H2020topics.csv"):
        # 'NMP-40?2015' -> 'NMP-40-2015'; '?H2020-EU.3.4.8.1.' -> 'H2020-EU.3.4.8.1.' (? = U+FFFD)
        topic = row["topicCode"].strip().replace(REPLACEMENT, "-")
        basis = row["legalBasisCode"].strip().lstrip(REPLACEMENT)
        rows.setdefault((topic, basis), repair(row["title"]))
    with_basis = {topic for topic, basis in rows if basis}
    # A row without a programme part is dropped when the same topic has one elsewhere.
    kept = [(t, b) for t, b in rows if b or t not in with_basis]
    return [[t, rows[(t, b)], b] for t, b in sorted(kept, key=lambda tb: (code_key(tb[0]), code_key(tb[1])))]


def euroscivoc(source: Path) -> list[list[str]]:
    rows = read(source / "euroSciVoc-paths-horizon.csv")
    out = {(r["euroSciVocCode"], r["euroSciVocPath"], r["euroSciVocTitle"]) for r in rows}
    return [list(r) for r in sorted(out, key=lambda r: r[1].casefold())]


def main(argv: list[str]) -> int:
    source = Path(argv[1]) if len(argv) > 1 else DEFAULT_SOURCE
    if not source.is_dir():
        print(f"no CORDIS reference folder at {source}", file=sys.stderr)
        return 2
    write(HERE / "programme_parts.csv", ["code", "title", "framework"], programme_parts(source))
    write(HERE / "h2020_topics.csv", ["topic_code", "title", "legal_basis_code"], h2020_topics(source))
    write(HERE / "euroscivoc.csv", ["code", "path", "title"], euroscivoc(source))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
