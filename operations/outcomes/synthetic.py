"""Plausible fictional responses for the demo and scale data (pure; never
used for real people). ``distress`` runs from 0 (well) to 1 (very unwell);
a distress measure scores it upwards, a wellbeing measure downwards."""

from __future__ import annotations

import random

from operations.outcomes.measures import Measure


def positions(rules: Measure, distress: float, rng: random.Random, *, alert: bool = False) -> list[int]:
    top = rules.options - 1
    level = distress if not rules.higher_is_better else 1 - distress
    chosen = []
    for item in rules.item_numbers:
        step = min(top, max(0, round(level * top + rng.gauss(0, 0.6))))
        if item in rules.alert_items:
            step = rng.randint(1, 2) if alert else 0
        chosen.append(rules.position_for(item, rules.first_score + step))
    return chosen
