"""Node positions for drawing, computed before the page opens.

:func:`place` gives pixel positions where no two nodes overlap: each node takes a box
holding its disc and the label drawn under it; the force layout is scaled to the boxes'
total area and an overlap-removal pass then pushes overlapping boxes apart.

Small connected graphs get a stress layout (each pair of nodes as far apart as their
distance in the graph: the energy Kamada-Kawai minimises, here by stress majorisation in
numpy), other small graphs networkx's spring layout. From ``LARGE`` nodes on, networkx switches
to a sparse Fruchterman-Reingold that loops over nodes in Python (seconds for 2,000
nodes); here the same force model runs vectorised with numpy on dense arrays, which is
several times faster up to a few thousand nodes.
"""

from __future__ import annotations

from collections.abc import Mapping

import networkx as nx
import numpy as np

__all__ = ["LABEL_HEIGHT", "LARGE", "footprint", "place", "positions", "remove_overlaps"]

LARGE = 500
#: The stress layout up to this many nodes (when connected); it is quadratic in memory and slow beyond.
STRESS_MAX = 150
#: Overlapping boxes found by comparing every pair up to this many nodes, by a k-d tree beyond.
ALL_PAIRS_MAX = 400
#: Room under a node for its label (vis-network draws 14px labels about 5px below the shape).
LABEL_HEIGHT = 24.0
#: Width of one label character at 14px, a little generous.
CHAR_WIDTH = 8.0
#: Free space kept between two boxes.
GAP = 8.0


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


def _stress(simple: nx.Graph, start: Mapping, iterations: int = 300) -> dict:
    """Stress majorisation (SMACOF, weights d⁻²) of a connected graph from ``start``:
    node -> (x, y) with the graph distance of every pair as its target length."""
    nodes = list(simple.nodes)
    n = len(nodes)
    distance = nx.floyd_warshall_numpy(simple, nodelist=nodes, weight=None)
    off = ~np.eye(n, dtype=bool)
    weight = np.zeros_like(distance)
    weight[off] = distance[off] ** -2.0
    laplacian = -weight
    laplacian[np.diag_indices(n)] = weight.sum(axis=1)
    inverse = np.linalg.pinv(laplacian)
    z = np.array([start[v] for v in nodes], dtype=float)
    for _ in range(iterations):
        gap = np.hypot(*(z[:, None, :] - z[None, :, :]).transpose(2, 0, 1))
        ratio = np.zeros_like(gap)
        np.divide(weight * distance, gap, out=ratio, where=gap > 1e-9)
        b = -ratio
        b[np.diag_indices(n)] = ratio.sum(axis=1)
        moved = inverse @ (b @ z)
        settled = np.abs(moved - z).max() < 1e-5
        z = moved
        if settled:
            break
    z -= z.mean(axis=0)
    z /= max(float(np.abs(z).max()), 1e-9)
    return {v: (float(x), float(y)) for v, (x, y) in zip(nodes, z, strict=True)}


def positions(g: nx.Graph, *, seed: int = 7, iterations: int = 50) -> dict:
    """Node -> (x, y) in [-1, 1], a force layout (direction, parallel edges and edge
    attributes ignored: a dependency's ``weight`` is dollars, not a spring strength)."""
    simple = nx.Graph()
    simple.add_nodes_from(g)
    simple.add_edges_from((s, o) for s, o, *_ in g.edges())
    if 2 < simple.number_of_nodes() <= STRESS_MAX and nx.is_connected(simple):
        return _stress(simple, nx.spring_layout(simple, seed=seed, iterations=iterations))
    if simple.number_of_nodes() < LARGE:
        return {
            n: (float(x), float(y)) for n, (x, y) in nx.spring_layout(simple, seed=seed, iterations=iterations).items()
        }
    nodes = list(simple.nodes)
    adjacency = nx.to_numpy_array(simple, nodelist=nodes, weight=None, dtype=np.float32)
    pos = _dense_spring(adjacency, iterations, seed)
    return {n: (float(x), float(y)) for n, (x, y) in zip(nodes, pos, strict=True)}


def footprint(size: float, label: str) -> tuple[float, float, float]:
    """Half width, half height and downward offset (from the node's centre) of the box a
    node of radius ``size`` and its ``label`` take, with half the gap around it."""
    half_width = max(size, len(label) * CHAR_WIDTH / 2) + GAP / 2
    half_height = size + LABEL_HEIGHT / 2 + GAP / 2
    return half_width, half_height, LABEL_HEIGHT / 2


def _overlapping(pos: np.ndarray, half: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pairs (i, j) of overlapping boxes, their centre offsets and overlaps per axis."""
    if len(pos) < 2:
        empty = np.zeros((0, 2))
        return np.zeros((0, 2), dtype=int), empty, empty
    if len(pos) <= ALL_PAIRS_MAX:
        pairs = np.stack(np.triu_indices(len(pos), 1), axis=1)
    else:
        from scipy.spatial import cKDTree  # imported here: 0.17 s, worth it for large drawings only

        reach = 2 * float(np.hypot(half[:, 0], half[:, 1]).max())
        pairs = cKDTree(pos).query_pairs(reach, output_type="ndarray")
    if not len(pairs):
        return pairs.reshape(0, 2), np.zeros((0, 2)), np.zeros((0, 2))
    offset = pos[pairs[:, 0]] - pos[pairs[:, 1]]
    overlap = half[pairs[:, 0]] + half[pairs[:, 1]] - np.abs(offset)
    hit = (overlap > 0).all(axis=1)
    return pairs[hit], offset[hit], overlap[hit]


def remove_overlaps(centres: np.ndarray, half: np.ndarray, *, max_rounds: int = 3000) -> np.ndarray:
    """Move boxes (``centres`` ± ``half``, both n×2) apart until none overlap.

    Each round pushes every overlapping pair apart along the axis where they overlap
    least, half each way; every 50 rounds that still leave overlaps, the whole layout is
    also stretched by 5 % (which always ends in a layout without overlaps).
    """
    pos = np.array(centres, dtype=float)
    for round_ in range(1, max_rounds + 1):
        pairs, offset, overlap = _overlapping(pos, half)
        if not len(pairs):
            break
        k = np.arange(len(pairs))
        axis = (overlap[:, 1] < overlap[:, 0]).astype(int)
        sign = np.sign(offset[k, axis])
        sign[sign == 0] = np.where(pairs[sign == 0, 0] < pairs[sign == 0, 1], 1.0, -1.0)
        push = np.zeros_like(offset)
        push[k, axis] = sign * (overlap[k, axis] / 2 + 0.5)
        move = np.zeros_like(pos)
        np.add.at(move, pairs[:, 0], push)
        np.add.at(move, pairs[:, 1], -push)
        pos += move
        if round_ % 50 == 0:
            pos = pos.mean(axis=0) + (pos - pos.mean(axis=0)) * 1.05
    return pos


def place(g: nx.Graph, sizes: Mapping, labels: Mapping, *, seed: int = 7) -> dict:
    """Node -> (x, y) in pixels: the force layout scaled so that the nodes' boxes (disc and
    label, :func:`footprint`) would cover about a quarter of the drawing, then every
    overlap removed (:func:`remove_overlaps`). No two boxes, hence no two discs, overlap."""
    nodes = list(g.nodes)
    if not nodes:
        return {}
    unit = positions(g, seed=seed)
    boxes = np.array([footprint(float(sizes.get(n, 10.0)), str(labels.get(n, n))) for n in nodes])
    half, drop = boxes[:, :2], boxes[:, 2]
    area = float((4 * half[:, 0] * half[:, 1]).sum())
    scale = max(np.sqrt(4.0 * area) / 2, 50.0)
    centres = np.array([unit[n] for n in nodes], dtype=float) * scale * np.array([1.25, 0.8])
    centres[:, 1] += drop  # boxes are centred below the node (the label hangs under it)
    moved = remove_overlaps(centres, half)
    moved[:, 1] -= drop
    return {n: (float(x), float(y)) for n, (x, y) in zip(nodes, moved, strict=True)}
