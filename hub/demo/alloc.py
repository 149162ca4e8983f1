"""Exact apportionment: the demo's figures are exact, so totals are split, not sampled.

Drawing 8,000 children village by village would give 7,9xx; apportioning by
largest remainder gives exactly 8,000 with shares proportional to weights.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")


def apportion(total: int, weights: Sequence[float], minimum: int = 0) -> list[int]:
    """Split ``total`` into integers proportional to ``weights``, each at least ``minimum``.

    Largest-remainder method on what is left after the minimums; ties go to the
    earlier item, so the result depends only on the inputs.
    """
    n = len(weights)
    if n == 0:
        if total:
            raise ValueError("nothing to apportion a non-zero total to")
        return []
    rest = total - minimum * n
    if rest < 0:
        raise ValueError(f"{total} is less than {minimum} for each of {n}")
    weight_sum = float(sum(weights))
    if weight_sum <= 0:
        raise ValueError("weights must have a positive sum")
    quotas = [rest * w / weight_sum for w in weights]
    shares = [math.floor(q) for q in quotas]
    left = rest - sum(shares)
    order = sorted(range(n), key=lambda i: (-(quotas[i] - shares[i]), i))
    for i in order[:left]:
        shares[i] += 1
    return [minimum + s for s in shares]


def weighted_sample(
    rng: random.Random, items: Sequence[T], weights: Sequence[float], k: int
) -> list[T]:
    """``k`` distinct items, each drawn with probability growing with its weight.

    Efraimidis–Spirakis: key ``u ** (1 / w)``, keep the ``k`` largest; returned
    in the items' original order.
    """
    if k > len(items):
        raise ValueError("cannot draw more items than there are")
    keys = [(rng.random() ** (1.0 / w), i) for i, w in enumerate(weights)]
    chosen = sorted(i for _, i in sorted(keys, reverse=True)[:k])
    return [items[i] for i in chosen]
