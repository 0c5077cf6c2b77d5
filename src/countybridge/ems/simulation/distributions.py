"""Interval distributions for the dispatch simulation (all in minutes), sampled with a numpy Generator."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Lognormal:
    """exp(N(mu, sigma²)) minutes, optionally capped at ``cap`` (values above are set to the cap)."""

    mu: float
    sigma: float
    cap: float | None = None

    @classmethod
    def from_median(cls, median: float, sigma: float, cap: float | None = None) -> Lognormal:
        return cls(math.log(median), sigma, cap)

    @classmethod
    def from_mean_sd(cls, mean: float, sd: float, cap: float | None = None) -> Lognormal:
        sigma2 = math.log(1 + (sd / mean) ** 2)
        return cls(math.log(mean) - sigma2 / 2, math.sqrt(sigma2), cap)

    @property
    def mean(self) -> float:  # uncapped
        return math.exp(self.mu + self.sigma**2 / 2)

    @property
    def sd(self) -> float:  # uncapped
        return self.mean * math.sqrt(math.exp(self.sigma**2) - 1)

    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray:
        x = rng.lognormal(self.mu, self.sigma, size)
        return np.minimum(x, self.cap) if self.cap is not None else x


@dataclass(frozen=True)
class Exponential:
    mean: float

    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray:
        return rng.exponential(self.mean, size)


@dataclass(frozen=True)
class Constant:
    value: float

    @property
    def mean(self) -> float:
        return self.value

    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray:
        return np.full(size, float(self.value))


Distribution = Lognormal | Exponential | Constant
