"""Graph measures on small graphs computed by hand."""

from __future__ import annotations

import pytest

from commonground.systemmap import graph


def test_path_graph_betweenness_and_degree():
    # a - b - c - d
    adj = graph.adjacency("abcd", [("a", "b"), ("b", "c"), ("c", "d")])
    assert graph.degree(adj) == {"a": 1, "b": 2, "c": 2, "d": 1}
    # b lies on a-c and a-d; c lies on a-d and b-d.
    assert graph.betweenness(adj) == {"a": 0.0, "b": 2.0, "c": 2.0, "d": 0.0}


def test_star_and_split_shortest_paths():
    # Star: centre x with leaves 1..4: x is on all C(4,2) = 6 leaf pairs.
    adj = graph.adjacency("x1234", [("x", "1"), ("x", "2"), ("x", "3"), ("x", "4")])
    assert graph.betweenness(adj)["x"] == 6.0
    # Square a-b-d, a-c-d: two shortest paths from a to d, b and c get half each.
    adj = graph.adjacency("abcd", [("a", "b"), ("b", "d"), ("a", "c"), ("c", "d")])
    bc = graph.betweenness(adj)
    assert bc["b"] == pytest.approx(0.5) and bc["c"] == pytest.approx(0.5)


def test_multiple_edges_count_once_and_self_loops_are_ignored():
    adj = graph.adjacency("ab", [("a", "b"), ("b", "a"), ("a", "a")])
    assert graph.degree(adj) == {"a": 1, "b": 1}


def test_shortest_path():
    adj = graph.adjacency(
        "abcdef", [("a", "b"), ("b", "c"), ("c", "d"), ("a", "e"), ("e", "d"), ("f", "f")]
    )
    assert graph.shortest_path(adj, "a", "d") == ["a", "e", "d"]
    assert graph.shortest_path(adj, "a", "a") == ["a"]
    assert graph.shortest_path(adj, "a", "f") is None
    assert graph.shortest_path(adj, "a", "zz") is None


def test_betweenness_estimate_from_pivots_keeps_the_total_on_a_symmetric_graph():
    # A cycle: every source contributes the same total, so the scaled sum is exact.
    nodes = [f"n{i:02d}" for i in range(12)]
    adj = graph.adjacency(nodes, [(nodes[i], nodes[(i + 1) % 12]) for i in range(12)])
    exact = graph.betweenness(adj)
    estimate = graph.betweenness(adj, pivots=4)
    assert sum(estimate.values()) == pytest.approx(sum(exact.values()))
    assert graph.betweenness(adj, pivots=100) == exact


def test_remembered_betweenness_is_betweenness_and_follows_every_change():
    import random

    rng = random.Random(3)
    nodes = [f"n{i:02d}" for i in range(30)]
    pairs = [(rng.choice(nodes), rng.choice(nodes)) for _ in range(60)]
    adj = graph.adjacency(nodes, pairs)
    first = graph.remembered_betweenness(adj)
    assert first == graph.betweenness(adj)
    first["n00"] = -1.0  # a caller changing its copy does not change what is remembered
    assert graph.remembered_betweenness(adj) == graph.betweenness(adj)
    assert graph.remembered_betweenness(adj, pivots=5) == graph.betweenness(adj, pivots=5)
    # one more tie, or one more lone node: measured afresh
    a, b = next((x, y) for x in nodes for y in nodes if x < y and y not in adj[x])
    changed = graph.adjacency(nodes, [*pairs, (a, b)])
    assert graph.remembered_betweenness(changed) == graph.betweenness(changed)
    assert graph.remembered_betweenness(changed) != graph.betweenness(adj)
    grown = graph.adjacency([*nodes, "zz"], pairs)
    assert set(graph.remembered_betweenness(grown)) == {*nodes, "zz"}
