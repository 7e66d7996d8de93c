"""Peaks: self-booked demand varies from week to week and day to day; plan for a percentile.

Demand is Poisson around its mean (variance factor 1) or, with a variance factor f > 1,
negative binomial with variance f times the mean ([POISSON] in docs/references.md: the
memo's mean of 237 a week gives a 95th percentile of 263 and a 99th of 274; a day with mean
47.4, 59 and 64; with variance twice the mean, 274 a week).
"""

from __future__ import annotations

import math

PERCENTILES = (0.95, 0.99)

BUSY_QUANTILE = 0.95
"""A busy week: one that only one week in twenty exceeds (the demand's 95th percentile,
Poisson). Every page, the report and the recommendation's second target use it."""


def _log_pmf(k: int, mean: float, variance_factor: float) -> float:
    """ln P(demand = k): Poisson, or negative binomial with r = mean/(f-1), p = 1/f."""
    if variance_factor == 1:
        return k * math.log(mean) - mean - math.lgamma(k + 1)
    r, p = mean / (variance_factor - 1), 1 / variance_factor
    return (
        math.lgamma(k + r)
        - math.lgamma(r)
        - math.lgamma(k + 1)
        + r * math.log(p)
        + k * math.log1p(-p)
    )


def busy_demand(mean: float) -> int:
    """The demand of a busy week (:data:`BUSY_QUANTILE`) when the mean is ``mean``: 263 for
    the memo's 237."""
    return demand_percentile(mean, BUSY_QUANTILE)


def demand_percentile(mean: float, q: float, variance_factor: float = 1.0) -> int:
    """The ``q`` quantile of demand with ``mean`` and variance ``variance_factor``·mean: the
    least k with P(demand ≤ k) ≥ q, summing the probabilities in log space (no underflow at
    weekly means in the thousands; the same answers as scipy.stats' ppf)."""
    if mean <= 0:
        return 0
    if variance_factor < 1:
        raise ValueError("the variance factor is at least 1 (Poisson)")
    if not 0 < q < 1:
        raise ValueError("the percentile is a share between 0 and 1")
    total, k = 0.0, 0
    while True:
        total += math.exp(_log_pmf(k, mean, variance_factor))
        if total >= q * (1 - 1e-12):
            return k
        k += 1
