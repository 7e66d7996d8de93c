"""What to change so the interviews can be held privately, what it costs, and how sure it is.

``recommend(plan, week, RecommendOptions(...))`` searches the catalogue of measures
(:mod:`.catalogue`, data in ``measures.json``) made concrete on the plan (:mod:`.candidates`)
for the cheapest selection that holds each target (:mod:`.search`), asking the capacity
questions in this process, local processes or a Dask cluster (:mod:`.evaluate`), and gives
the options with their full capacity answers (:mod:`.advice`); :mod:`.text` says it in words.
"""

from roomplan.recommend.advice import Option, Recommendation, RecommendOptions, recommend
from roomplan.recommend.candidates import Candidate, candidates, cost_of
from roomplan.recommend.catalogue import (
    Catalogue,
    CatalogueError,
    Cost,
    Measure,
    parse_catalogue,
    read_catalogue,
)

__all__ = [
    "Candidate",
    "Catalogue",
    "CatalogueError",
    "Cost",
    "Measure",
    "Option",
    "Recommendation",
    "RecommendOptions",
    "candidates",
    "cost_of",
    "parse_catalogue",
    "read_catalogue",
    "recommend",
]
