"""Graph measures over the edges a person may see (pure Python, no queries).

The graph is treated as undirected and simple for the measures: several edges
between the same two nodes count as one tie. Betweenness uses Brandes'
algorithm with breadth-first search: O(V·E), fine for a few hundred nodes.
"""

from __future__ import annotations

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


def betweenness(adj: dict[str, set[str]]) -> dict[str, float]:
    """Raw betweenness for an undirected graph (each pair of ends counted once)."""
    bc = dict.fromkeys(adj, 0.0)
    order = sorted(adj)
    for s in order:
        stack: list[str] = []
        preds: dict[str, list[str]] = {v: [] for v in adj}
        sigma = dict.fromkeys(adj, 0)
        sigma[s] = 1
        dist = dict.fromkeys(adj, -1)
        dist[s] = 0
        queue = deque([s])
        while queue:
            v = queue.popleft()
            stack.append(v)
            for w in sorted(adj[v]):
                if dist[w] < 0:
                    dist[w] = dist[v] + 1
                    queue.append(w)
                if dist[w] == dist[v] + 1:
                    sigma[w] += sigma[v]
                    preds[w].append(v)
        delta = dict.fromkeys(adj, 0.0)
        while stack:
            w = stack.pop()
            for v in preds[w]:
                delta[v] += sigma[v] / sigma[w] * (1 + delta[w])
            if w != s:
                bc[w] += delta[w]
    return {n: value / 2 for n, value in bc.items()}


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
