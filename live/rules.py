"""The scoring rules of a stage contest's parts, as pure functions of plain values.

Each part stores only the settings its organiser changed; `part_rules` fills in the rest, so the
engine, the setup pages and the result sheet all read the same defaults.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

ANSWER_GRACE_S = 0.25  # a press at the last instant still travels to the server

DEFAULTS: dict[str, dict[str, Any]] = {
    "all_answer": {
        "points": 10,
        "time_limit_s": 30,
        "speed_bonus": False,  # Kahoot's round((1 - t / 2T) * P) when on
        "multiple_scoring": "all_or_nothing",  # or "partial"
    },
    "buzzer": {
        "points": 10,
        "wrong_penalty": 5,  # points taken for a wrong answer; 0 for none
        "time_limit_s": 15,  # to answer once the buzz is won
        # Fair buzzer: buzzes reaching the server within this window of the first are ordered
        # by their press time, corrected for each pad's latency (at most half its round trip).
        "buzz_window_ms": 250,
        "tie_ms": 30,  # presses closer than this are flagged to the host, who decides
    },
    "packages": {
        "values": [10, 20, 30],  # what a question can be worth; a team picks one per question
        "questions_per_turn": 3,
        "time_limit_s": 15,  # to answer one's own question
        "steal": True,  # after a wrong answer the others may buzz to steal
        "steal_time_s": 5,  # the window to buzz for a steal
        "steal_owner_loses": False,  # the turn's team also loses the value when it is stolen
        "steal_wrong_ratio": 0.5,  # a wrong steal costs this share of the value
    },
    "elimination": {
        "seats": 100,  # seat numbers 1..seats; players join with the player code and a seat
        "time_limit_s": 15,
    },
    "sudden_death": {
        "points": 0,  # a tie-break question orders tied teams; it adds no points
        "time_limit_s": 15,
        "buzz_window_ms": 250,
        "tie_ms": 30,
    },
    "judged": {
        "criteria": [{"name": "Nội dung", "max": 10}],
        "trimmed_mean": False,  # drop the highest and the lowest judge (needs three or more)
        "stage_time_limit_s": 600,
        # Overtime: the penalty of the last step whose `after_s` the overtime has passed.
        "overtime_steps": [{"after_s": 0, "penalty": 0.5}, {"after_s": 60, "penalty": 1.0}],
        "overtime_stop_s": 120,  # the performance is stopped this far over time
    },
}


def part_rules(part_format: str, settings: Mapping[str, Any] | None) -> dict[str, Any]:
    """The part's settings over the format's defaults (unknown keys are kept, unused)."""
    rules = {**DEFAULTS[part_format]}
    rules.update(settings or {})
    return rules


def points(value: float) -> float:
    """Points are kept to two decimals (judges' means: 8.67)."""
    return round(value + 0.0, 2)


def speed_points(full: float, elapsed_s: float, limit_s: float) -> float:
    """Kahoot's speed formula: the full points at once, half of them at the last second."""
    if limit_s <= 0:
        return points(full)
    t = min(max(elapsed_s, 0.0), limit_s)
    return float(round((1 - t / (2 * limit_s)) * full))


def judged_score(totals: Iterable[float], trimmed: bool) -> float | None:
    """A team's part score from each judge's total: the mean, or without the top and bottom.

    With fewer than three judges there is nothing to trim, and the plain mean is used.
    """
    values = sorted(totals)
    if not values:
        return None
    if trimmed and len(values) >= 3:
        values = values[1:-1]
    return points(math.fsum(values) / len(values))


def overtime_penalty(elapsed_s: float, rules: Mapping[str, Any]) -> float:
    """Points taken for a performance that ran over its limit (0 within it)."""
    over = elapsed_s - rules["stage_time_limit_s"]
    penalty = 0.0
    for step in sorted(rules["overtime_steps"], key=lambda s: s["after_s"]):
        if over > step["after_s"]:
            penalty = float(step["penalty"])
    return penalty


def valid_criterion_score(value: Any, maximum: float) -> bool:
    """A judge's mark: a number from 0 to the criterion's maximum, in quarter points."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    if not math.isfinite(value) or not 0 <= value <= maximum:
        return False
    return abs(value * 4 - round(value * 4)) < 1e-9


def corrected_press(arrived: float, pressed_at: Any, rtt: Any, window_s: float) -> float:
    """When a buzz was pressed, as far as the server can believe the pad.

    A pad says when it was pressed (on the server's clock, by its own offset estimate); the
    server measured its round trip. The press can have happened at most half a round trip
    before it arrived — so a far pad that pressed first still wins, and a pad claiming an
    earlier press than its latency allows gains nothing beyond that half.
    """
    numbers = (int, float)
    if isinstance(pressed_at, bool) or not isinstance(pressed_at, numbers):
        return arrived
    if isinstance(rtt, bool) or not isinstance(rtt, numbers) or not math.isfinite(rtt):
        return arrived
    claimed = max(arrived - pressed_at, 0.0) if math.isfinite(pressed_at) else 0.0
    return arrived - min(claimed, max(rtt, 0.0) / 2, window_s)
