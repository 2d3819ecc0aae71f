"""Where the relations graph puts each role, worked out at build time.

Two steps, chosen by measurement (crossings, label overlaps and edge length at 15 to 400
roles; see the commit that brought this module):

1. **Force-directed** (Fruchterman–Reingold): related roles pull together, all roles push
   apart, so a role's neighbours end up near it and a focused role's neighbourhood is a small
   region of the picture rather than the whole of it.
2. **Dealt onto a grid** of label-sized cells: the roles, from top to bottom, are dealt into
   rows of equal length, and each row is laid left to right. Who is above and left of whom
   survives, the holes and crowds of the forces do not (no empty space, no pile-up in the
   middle), labels never overlap (a column is as wide as its longest label), and positions
   are whole numbers, so the page is byte-for-byte the same on every build.

The forces are those of networkx's `spring_layout` (its dense form, which it runs below 500
nodes), written out here with the pulls along the relations only: networkx switches to a
SciPy-only solver from 500 nodes on, a large dependency for twenty lines of NumPy.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rolebook.cache import BuildCache

if TYPE_CHECKING:
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
    import numpy as np  # imported only when a graph is laid out anew (see `LAYOUTS`)

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


def snap_to_grid(points: np.ndarray, widths: Sequence[float]) -> GraphLayout:
    """Deal the points into rows of equal length, top to bottom, each row left to right, and
    size each column to its widest label."""
    import numpy as np

    count = len(widths)
    if count == 0:
        return GraphLayout((), 0, 0)
    room = min(2.0, max(1.0, math.sqrt(ROOMY_BELOW / count)))
    row_height, gap = round(ROW_HEIGHT * room), round(COLUMN_GAP * room)
    cell_width = sum(widths) / count + LABEL_OFFSET + gap
    columns = max(1, min(count, round(math.sqrt(count * ASPECT * row_height / cell_width))))
    rows = math.ceil(count / columns)
    index = np.arange(count)
    by_height = np.lexsort((index, points[:, 1]))
    cell_of = [(0, 0)] * count
    for row in range(rows):
        dealt = by_height[row * columns : (row + 1) * columns]
        for column, node in enumerate(dealt[np.lexsort((dealt, points[dealt, 0]))]):
            cell_of[node] = (column, row)
    column_width = [0.0] * columns
    for node, (column, _) in enumerate(cell_of):
        column_width[column] = max(column_width[column], widths[node])
    left = [0]
    for width in column_width:
        left.append(left[-1] + math.ceil(width) + LABEL_OFFSET + gap)
    positions = tuple((left[column], row * row_height) for column, row in cell_of)
    return GraphLayout(positions, left[-1] - gap, (rows - 1) * row_height)


LAYOUTS: BuildCache[str, GraphLayout] = BuildCache()
"""Each layout worked out, by its labels and pairs, kept between builds with the parsed
documents (`rolebook.cache`): a build whose graph did not change neither runs the forces
nor imports NumPy (a tenth of a second of a small site's build). The code and NumPy's
version are the cache file's scope."""


def layout(labels: Sequence[str], pairs: Sequence[tuple[int, int]]) -> GraphLayout:
    """Positions for nodes labelled `labels`, joined by `pairs` of indices into it."""
    if not labels:
        return GraphLayout((), 0, 0)
    key = hashlib.sha256(repr((tuple(labels), tuple(pairs))).encode()).hexdigest()
    placed = LAYOUTS.get(key)
    if placed is None:
        placed = snap_to_grid(spring_positions(len(labels), pairs), [label_width(label) for label in labels])
        LAYOUTS.put(key, placed)
    return placed
