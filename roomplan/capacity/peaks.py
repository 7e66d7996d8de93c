"""Peaks: self-booked demand varies from week to week and day to day; plan for a percentile.

Demand is Poisson around its mean (variance factor 1) or, with a variance factor f > 1,
negative binomial with variance f times the mean (DOMAIN.md section 4: mean 237 a week gives
a 95th percentile of 263 and a 99th of 274; a day with mean 47.4, 59 and 64; with variance
twice the mean, 274 a week).
"""

from __future__ import annotations

from scipy import stats

PERCENTILES = (0.95, 0.99)


def demand_percentile(mean: float, q: float, variance_factor: float = 1.0) -> int:
    """The ``q`` quantile of demand with ``mean`` and variance ``variance_factor``·mean."""
    if mean <= 0:
        return 0
    if variance_factor < 1:
        raise ValueError("the variance factor is at least 1 (Poisson)")
    if variance_factor == 1:
        return int(stats.poisson.ppf(q, mean))
    p = 1 / variance_factor
    return int(stats.nbinom.ppf(q, mean / (variance_factor - 1), p))
