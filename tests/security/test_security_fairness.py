"""The fair gate's rules (``api/http/sparql/fairness.py``) and who counts as the client."""

from __future__ import annotations

from plankg.api.http.sparql.fairness import FairGate, client_key, parse_networks


def test_one_client_holds_at_most_workers_minus_one() -> None:
    gate = FairGate(workers=2, slots=0, budget_s=60, queue=4)
    assert gate.slots == 1
    assert gate.enter("heavy", wait_s=1) is None
    refused = gate.enter("heavy", wait_s=0.05)  # its second query waits for its own slot, then gives up
    assert refused is not None and refused.status == 503 and refused.retry_after > 0
    assert gate.enter("cheap", wait_s=0) is None  # the other client is admitted at once
    gate.leave("heavy", 0.1)
    assert gate.enter("heavy", wait_s=0) is None  # its slot is free again


def test_query_time_budget_answers_429_with_retry_after() -> None:
    gate = FairGate(workers=2, slots=2, budget_s=10, queue=4)
    assert gate.enter("a", wait_s=0) is None
    gate.leave("a", 25.0)  # a killed heavy query: 25 s of worker time
    refused = gate.enter("a", wait_s=0)
    assert refused is not None and refused.status == 429
    assert 60 <= refused.retry_after <= 100  # 15 s over a 10 s/min budget drains in 90 s
    assert "budget" in refused.message
    assert gate.enter("b", wait_s=0) is None  # other clients are not affected


def test_the_queue_is_bounded() -> None:
    gate = FairGate(workers=1, slots=5, budget_s=0, queue=1)
    assert gate.enter("a", wait_s=0) is None
    assert gate.enter("b", wait_s=0) is None
    refused = gate.enter("c", wait_s=0)
    assert refused is not None and refused.status == 503 and "queue" in refused.message


def test_forwarded_for_is_believed_only_from_a_trusted_proxy() -> None:
    proxies = parse_networks("10.0.0.1, 192.168.0.0/24")
    assert client_key("203.0.113.9", "198.51.100.7", proxies) == "203.0.113.9"  # not a proxy: header ignored
    assert client_key("10.0.0.1", "198.51.100.7", proxies) == "198.51.100.7"
    # a client cannot pick its identity by prepending hops: the last untrusted hop counts
    assert client_key("10.0.0.1", "1.2.3.4, 198.51.100.7, 192.168.0.5", proxies) == "198.51.100.7"
    assert client_key("10.0.0.1", None, proxies) == "10.0.0.1"
    assert client_key(None, "1.2.3.4", ()) == "unknown"
