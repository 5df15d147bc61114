"""Node positions for drawing, computed before the page opens.

Small graphs use networkx's spring layout. From ``LARGE`` nodes on, networkx switches
to a sparse Fruchterman-Reingold that loops over nodes in Python (seconds for 2,000
nodes); here the same force model runs vectorised with numpy on dense arrays, which is
several times faster up to a few thousand nodes.
"""

from __future__ import annotations

import networkx as nx
import numpy as np

__all__ = ["LARGE", "positions"]

LARGE = 500


def _dense_spring(adjacency: np.ndarray, iterations: int, seed: int) -> np.ndarray:
    """Fruchterman-Reingold on a dense symmetric adjacency matrix; positions in [-1, 1]."""
    n = adjacency.shape[0]
    rng = np.random.default_rng(seed)
    pos = rng.random((n, 2), dtype=np.float32)
    k = np.float32(1.0 / np.sqrt(n))
    t = np.float32(0.1)
    dt = t / np.float32(iterations + 1)
    x, y = pos[:, 0].copy(), pos[:, 1].copy()
    for _ in range(iterations):
        dx = x[:, None] - x[None, :]
        dy = y[:, None] - y[None, :]
        distance = np.hypot(dx, dy)
        np.maximum(distance, 0.01, out=distance)
        force = k * k / (distance * distance) - adjacency * (distance / k)
        move_x, move_y = (dx * force).sum(axis=1), (dy * force).sum(axis=1)
        length = np.maximum(np.hypot(move_x, move_y), 0.01)
        x += move_x * (t / length)
        y += move_y * (t / length)
        t -= dt
    pos = np.stack([x, y], axis=1)
    pos -= pos.mean(axis=0)
    return pos / max(float(np.abs(pos).max()), 1e-9)


def positions(g: nx.Graph, *, seed: int = 7, iterations: int = 50) -> dict:
    """Node -> (x, y) in [-1, 1], a spring layout (direction and parallel edges ignored)."""
    simple = nx.Graph(g)
    if simple.number_of_nodes() < LARGE:
        return {
            n: (float(x), float(y)) for n, (x, y) in nx.spring_layout(simple, seed=seed, iterations=iterations).items()
        }
    nodes = list(simple.nodes)
    adjacency = nx.to_numpy_array(simple, nodelist=nodes, weight=None, dtype=np.float32)
    pos = _dense_spring(adjacency, iterations, seed)
    return {n: (float(x), float(y)) for n, (x, y) in zip(nodes, pos, strict=True)}
