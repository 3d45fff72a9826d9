"""Graph measures over the edges a person may see (pure Python, no queries).

The graph is treated as undirected and simple for the measures: several edges
between the same two nodes count as one tie. Betweenness uses Brandes'
algorithm with breadth-first search: O(V·E), fine for a few hundred nodes.
"""

from __future__ import annotations

import functools
from collections import deque
from collections.abc import Iterable


def adjacency(nodes: Iterable[str], pairs: Iterable[tuple[str, str]]) -> dict[str, set[str]]:
    adj: dict[str, set[str]] = {n: set() for n in nodes}
    for a, b in pairs:
        if a == b or a not in adj or b not in adj:
            continue
        adj[a].add(b)
        adj[b].add(a)
    return adj


def degree(adj: dict[str, set[str]]) -> dict[str, int]:
    return {n: len(neigh) for n, neigh in adj.items()}


def betweenness(adj: dict[str, set[str]], *, pivots: int | None = None) -> dict[str, float]:
    """Raw betweenness for an undirected graph (each pair of ends counted once).

    Brandes' algorithm; each search keeps state only for the nodes it reaches, so
    a map of many small components costs little. With ``pivots`` smaller than the
    number of nodes, only that many sources (evenly spread over the sorted node
    ids, so the result is deterministic) are searched and the sums scaled up: the
    standard estimate for large maps.
    """
    bc = dict.fromkeys(adj, 0.0)
    order = sorted(adj)
    neighbours = {v: sorted(ws) for v, ws in adj.items()}
    sources = order
    if pivots is not None and 0 < pivots < len(order):
        step = len(order) / pivots
        sources = [order[int(i * step)] for i in range(pivots)]
    for s in sources:
        stack: list[str] = []
        preds: dict[str, list[str]] = {s: []}
        sigma: dict[str, int] = {s: 1}
        dist: dict[str, int] = {s: 0}
        queue = deque([s])
        while queue:
            v = queue.popleft()
            stack.append(v)
            dv = dist[v]
            for w in neighbours[v]:
                if w not in dist:
                    dist[w] = dv + 1
                    sigma[w] = 0
                    preds[w] = []
                    queue.append(w)
                if dist[w] == dv + 1:
                    sigma[w] += sigma[v]
                    preds[w].append(v)
        delta: dict[str, float] = dict.fromkeys(stack, 0.0)
        while stack:
            w = stack.pop()
            for v in preds[w]:
                delta[v] += sigma[v] / sigma[w] * (1 + delta[w])
            if w != s:
                bc[w] += delta[w]
    scale = len(order) / len(sources) if sources else 1.0
    return {n: value * scale / 2 for n, value in bc.items()}


def remembered_betweenness(
    adj: dict[str, set[str]], *, pivots: int | None = None
) -> dict[str, float]:
    """``betweenness``, remembered for the last graphs this process measured.

    The map's pages (and each click through their lists) measure the same graph until a
    tie changes, and measuring took a sixth of the page. The graph itself (its nodes
    and ties) is the key, so a changed graph is always measured afresh.
    """
    ties = frozenset((a, b) for a, ws in adj.items() for b in ws if a < b)
    return dict(_measured(frozenset(adj), ties, pivots))


@functools.lru_cache(maxsize=32)
def _measured(
    nodes: frozenset[str], ties: frozenset[tuple[str, str]], pivots: int | None
) -> dict[str, float]:
    return betweenness(adjacency(nodes, ties), pivots=pivots)


def shortest_path(adj: dict[str, set[str]], start: str, goal: str) -> list[str] | None:
    """The node ids on one shortest path from start to goal (breadth-first), or None."""
    if start not in adj or goal not in adj:
        return None
    if start == goal:
        return [start]
    came_from: dict[str, str | None] = {start: None}
    queue = deque([start])
    while queue:
        v = queue.popleft()
        for w in sorted(adj[v]):
            if w in came_from:
                continue
            came_from[w] = v
            if w == goal:
                path = [w]
                node: str | None = v
                while node is not None:
                    path.append(node)
                    node = came_from[node]
                return path[::-1]
            queue.append(w)
    return None
