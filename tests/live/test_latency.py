"""The fair buzzer's latency comes from the server's own measure, never from the pad's claim."""

from __future__ import annotations

from live import latency


def test_a_buzz_carries_the_measured_round_trip_not_the_claimed_one():
    latency.forget("pad-1")
    claimed = {"question": 7, "pressed_at": 100.0, "rtt": 5.0}
    assert latency.stamped("pad-1", "buzz", claimed) == {"question": 7, "pressed_at": 100.0}
    latency._round_trips["pad-1"] = __import__("collections").deque([0.2, 0.04, 0.05])
    assert latency.stamped("pad-1", "buzz", claimed)["rtt"] == 0.05  # the median
    latency.forget("pad-1")


def test_other_actions_pass_unchanged():
    payload = {"question": 7, "response": 1, "rtt": 9}
    assert latency.stamped("pad-2", "answer.submit", payload) is payload
