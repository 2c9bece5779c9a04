"""The EU's programming periods (``data/taxonomy/programming_periods.csv``), labelled in the
interface's languages (``programming_period_translations.csv``): the timeline's bands."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from data.io import schema
from data.io.i18n import DEFAULT_LANGUAGE, language
from data.io.loader import load_vocabulary
from data.io.paths import TAXONOMY_DIR


@dataclass(frozen=True)
class ProgrammingPeriod:
    """One programming period: whole years, first to last, and its label in one language."""

    period_id: str
    label: str
    first_year: int
    last_year: int
    source: str


@lru_cache(maxsize=8)
def programming_periods(lang: str = DEFAULT_LANGUAGE,
                        taxonomy_dir: str = str(TAXONOMY_DIR)) -> tuple[ProgrammingPeriod, ...]:
    """The programming periods in the order of their first year, labelled in ``lang`` (the
    English label where a translation is missing). Read once per language."""
    folder = Path(taxonomy_dir)
    frame = load_vocabulary(schema.PROGRAMMING_PERIODS, folder)
    labels: dict[str, str] = {}
    if language(lang) != DEFAULT_LANGUAGE:
        translated = load_vocabulary(schema.PROGRAMMING_PERIOD_TRANSLATIONS, folder)
        mine = translated[translated["lang"] == lang]
        labels = dict(zip(mine["period_id"], mine["label"], strict=True))
    periods = [ProgrammingPeriod(period_id=str(row.period_id),
                                 label=labels.get(str(row.period_id), str(row.label)),
                                 first_year=int(str(row.first_year)), last_year=int(str(row.last_year)),
                                 source=str(row.source))
               for row in frame.itertuples(index=False)]
    return tuple(sorted(periods, key=lambda p: (p.first_year, p.last_year)))
