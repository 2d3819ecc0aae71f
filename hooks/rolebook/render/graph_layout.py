"""Where the relations graph puts each role, worked out at build time.

Two steps, chosen by measurement (crossings, label overlaps and edge length at 15 to 400
roles; see the commit that brought this module):

1. **Force-directed** (Fruchterman–Reingold): related roles pull together, all roles push
   apart, so a role's neighbours end up near it and a focused role's neighbourhood is a small
   region of the picture rather than the whole of it.
2. **Snapped to a grid** of label-sized cells: positions are first replaced by their rank
   along each axis (which keeps who is left of and above whom, but spreads the crowd at the
   centre and fills the holes forces leave), then each role takes the free cell nearest to
   that, centre first. Labels then never overlap (a cell is as wide as the
   longest label of its column), and the result is whole numbers, so the page is byte-for-byte
   the same on every build.

The forces are those of networkx's `spring_layout` (its dense form, which it runs below 500
nodes), written out here with the pulls along the relations only: networkx switches to a
SciPy-only solver from 500 nodes on, a large dependency for twenty lines of NumPy.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

ROW_HEIGHT = 36
"""Pixels from one row of roles to the next in a large graph: a 13 px label and air around it."""
LABEL_OFFSET = 14
"""Pixels from a node's centre to the start of its label (labels sit to the right)."""
COLUMN_GAP = 28
"""Pixels between the end of a column's longest label and the next column's nodes, in a large graph."""
ROOMY_BELOW = 60
"""Graphs of fewer roles than this get more room between rows and columns (up to twice as
much at 15 roles), for their curves and arrows: a small graph has the screen to spare."""
SLACK = 1.6
"""Grid cells per role: room for the forces' gaps between groups of roles to survive snapping."""
ASPECT = 1.6
"""Width / height the grid aims for: a landscape picture fits a desktop screen."""
ITERATIONS = 50
"""Force iterations (networkx's default); 100 moved no figure measurably."""
SEED = 7
"""Start positions are random with this seed, so every build draws the same picture."""
BLOCK = 256
"""Nodes whose pushes are worked out at once: 256 × 1,000 roles × 2 floats is 4 MB."""

_NARROW = frozenset("fijlrtI.,:;'!|()[] ")
_WIDE = frozenset("mwMW")


def label_width(text: str, font_px: float = 13) -> float:
    """Roughly how many pixels `text` takes in the theme's sans-serif at `font_px` (no font
    metrics at build time; a little too wide rather than too narrow)."""
    ems = 0.0
    for char in text:
        if char in _NARROW:
            ems += 0.32
        elif char in _WIDE:
            ems += 0.85
        elif char.isupper() or char.isdigit():
            ems += 0.66
        else:
            ems += 0.55
    return ems * font_px


@dataclass(frozen=True)
class GraphLayout:
    """Node centres in pixels, and the size of the picture they fit in (labels included)."""

    positions: tuple[tuple[int, int], ...]
    """One `(x, y)` per node, in the order the nodes were given."""
    width: int
    height: int


def spring_positions(count: int, pairs: Sequence[tuple[int, int]], seed: int = SEED) -> np.ndarray:
    """Fruchterman–Reingold positions in the unit square for nodes `0..count-1` joined by
    `pairs` (undirected; repeats count once).

    Every node pushes every other away (worked out `BLOCK` rows at a time, so memory stays
    small at a thousand roles and more); each pair pulls its two nodes together."""
    rng = np.random.RandomState(seed)
    position = rng.rand(count, 2)
    if count < 2:
        return position
    edges = np.array(sorted({(min(a, b), max(a, b)) for a, b in pairs if a != b}), dtype=int).reshape(-1, 2)
    k = math.sqrt(1.0 / count)
    temperature = 0.1
    cooling = temperature / (ITERATIONS + 1)
    for _ in range(ITERATIONS):
        displacement = np.empty_like(position)
        x, y = position[:, 0], position[:, 1]
        for start in range(0, count, BLOCK):
            block = position[start : start + BLOCK]
            dx = block[:, 0, np.newaxis] - x
            dy = block[:, 1, np.newaxis] - y
            push = k * k / np.maximum(dx * dx + dy * dy, 1e-4)
            # the sum over j of (p_i - p_j) * push_ij, as p_i * sum(push_i) - push @ p
            displacement[start : start + BLOCK] = block * push.sum(axis=1)[:, np.newaxis] - push @ position
        if len(edges):
            delta = position[edges[:, 0]] - position[edges[:, 1]]
            pull = delta * (np.maximum(np.hypot(delta[:, 0], delta[:, 1]), 0.01) / k)[:, np.newaxis]
            np.subtract.at(displacement, edges[:, 0], pull)
            np.add.at(displacement, edges[:, 1], pull)
        length = np.maximum(np.hypot(displacement[:, 0], displacement[:, 1]), 0.01)
        position += displacement * (temperature / length)[:, np.newaxis]
        temperature -= cooling
    return position


def ranks(points: np.ndarray) -> np.ndarray:
    """Each coordinate replaced by its rank among the points' coordinates on that axis."""
    ranked = np.empty_like(points, dtype=float)
    for axis in range(points.shape[1]):
        order = np.argsort(points[:, axis], kind="stable")
        ranked[order, axis] = np.arange(len(points))
    return ranked


def snap_to_grid(points: np.ndarray, widths: Sequence[float]) -> GraphLayout:
    """Give each point the free grid cell nearest to it (points nearest the centre choose
    first), drop empty rows and columns, and size each column to its widest label."""
    count = len(widths)
    if count == 0:
        return GraphLayout((), 0, 0)
    room = min(2.0, max(1.0, math.sqrt(ROOMY_BELOW / count)))
    row_height, gap = round(ROW_HEIGHT * room), round(COLUMN_GAP * room)
    cell_width = sum(widths) / count + LABEL_OFFSET + gap
    cells = max(count, math.ceil(count * SLACK))
    columns = max(1, min(cells, round(math.sqrt(cells * ASPECT * row_height / cell_width))))
    rows = math.ceil(cells / columns)
    scaled = points - points.min(axis=0)
    span = scaled.max(axis=0)
    span[span == 0] = 1
    scaled = scaled / span * [columns - 1, rows - 1]
    grid = np.array([(c, r) for r in range(rows) for c in range(columns)], dtype=float)
    taken = np.zeros(len(grid), dtype=bool)
    centre = np.array([(columns - 1) / 2, (rows - 1) / 2])
    order = np.lexsort((np.arange(count), np.round(np.hypot(*(scaled - centre).T), 9)))
    cell_of = [(0, 0)] * count
    for node in order:
        distance = np.hypot(grid[:, 0] - scaled[node, 0], grid[:, 1] - scaled[node, 1])
        distance[taken] = np.inf
        chosen = int(np.argmin(distance))
        taken[chosen] = True
        cell_of[node] = (int(grid[chosen, 0]), int(grid[chosen, 1]))
    used_columns = sorted({c for c, _ in cell_of})
    used_rows = sorted({r for _, r in cell_of})
    column_index = {c: i for i, c in enumerate(used_columns)}
    row_index = {r: i for i, r in enumerate(used_rows)}
    column_width = [0.0] * len(used_columns)
    for node, (c, _) in enumerate(cell_of):
        column = column_index[c]
        column_width[column] = max(column_width[column], widths[node])
    left = [0]
    for width in column_width:
        left.append(left[-1] + math.ceil(width) + LABEL_OFFSET + gap)
    positions = tuple((left[column_index[c]], row_index[r] * row_height) for c, r in cell_of)
    return GraphLayout(positions, left[-1] - gap, (len(used_rows) - 1) * row_height)


def layout(labels: Sequence[str], pairs: Sequence[tuple[int, int]]) -> GraphLayout:
    """Positions for nodes labelled `labels`, joined by `pairs` of indices into it."""
    if not labels:
        return GraphLayout((), 0, 0)
    return snap_to_grid(ranks(spring_positions(len(labels), pairs)), [label_width(label) for label in labels])
