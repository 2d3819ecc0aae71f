#!/usr/bin/env python3
"""Figures for the relations graph: for each library, the layout's time at build (median),
the page's size, and how readable the picture is, next to the circle the graph used to be
drawn as (at most 80 roles on a circle of radius 300). Each readability figure is given as
*former circle (80 roles at most) / the same circle with every role / the layout now*.

    .venv/bin/python scripts/graph_figures.py DIR [DIR ...] [--sizes 15 100 400]

Readability, all on straight lines between node centres (the page draws gentle curves):
edge crossings between the pairs of roles shown at first (delegates / hands off / escalates),
label overlaps, the median edge length over the picture's diagonal, and how much of the
picture a role's neighbourhood spans (median share of its area: what focusing must zoom to).
Run by hand and quote its table; it is no test.
"""

from __future__ import annotations

import argparse
import gzip
import math
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "hooks"))
sys.path.insert(0, str(ROOT / "scripts"))

from gen_corpus import generate  # noqa: E402

from rolebook.config import read_settings  # noqa: E402
from rolebook.library import Library, load_library  # noqa: E402
from rolebook.render.graph_layout import LABEL_OFFSET, label_width, layout  # noqa: E402
from rolebook.render.slots import Slots  # noqa: E402
from rolebook.render.views import graph_page  # noqa: E402

Point = tuple[float, float]


def crossings(position: dict[str, Point], pairs: list[tuple[str, str]]) -> int:
    """Pairs of segments that cross (segments sharing an end do not count)."""
    if len(pairs) < 2:
        return 0
    ids = {role: i for i, role in enumerate(position)}
    ends = np.array([(ids[a], ids[b]) for a, b in pairs])
    start = np.array([position[a] for a, _ in pairs], dtype=float)
    end = np.array([position[b] for _, b in pairs], dtype=float)

    def side(p: np.ndarray, q: np.ndarray, r: np.ndarray) -> np.ndarray:
        return np.sign(
            (q[..., 0] - p[..., 0]) * (r[..., 1] - p[..., 1]) - (q[..., 1] - p[..., 1]) * (r[..., 0] - p[..., 0])
        )

    total = 0
    for i in range(len(pairs) - 1):
        p, q, r, s = start[i], end[i], start[i + 1 :], end[i + 1 :]
        shared = (ends[i + 1 :] == ends[i, 0]).any(axis=1) | (ends[i + 1 :] == ends[i, 1]).any(axis=1)
        cross = (side(p, q, r) * side(p, q, s) < 0) & (side(r, s, p) * side(r, s, q) < 0) & ~shared
        total += int(cross.sum())
    return total


def label_overlaps(position: dict[str, Point], names: dict[str, str], anchor_end: set[str]) -> int:
    """Pairs of labels whose boxes overlap (labels left of their node for `anchor_end`)."""
    boxes = []
    for role, (x, y) in position.items():
        width = label_width(names[role])
        left = x - LABEL_OFFSET - width if role in anchor_end else x + LABEL_OFFSET
        boxes.append((left, y - 8, left + width, y + 8))
    boxes.sort()
    count = 0
    for i, (_, y1, x2, y2) in enumerate(boxes):
        for a1, b1, _, b2 in boxes[i + 1 :]:
            if a1 >= x2:
                break
            count += b1 < y2 and y1 < b2
    return count


def readability(position: dict[str, Point], library: Library, anchor_end: set[str]) -> dict[str, float]:
    names = {role.id: role.name for role in library.roles}
    first = {kind.key for kind in library.relation_types.drawn if kind.shown}
    shown = sorted(
        {tuple(sorted((r.source, r.target))) for r in library.relations if r.type in first}
        & {(a, b) for a in position for b in position}
    )
    pairs = [(a, b) for a, b in shown if a != b]
    xs, ys = [p[0] for p in position.values()], [p[1] for p in position.values()]
    width, height = max(xs) - min(xs) or 1, max(ys) - min(ys) or 1
    neighbours: dict[str, set[str]] = {role: {role} for role in position}
    for a, b in pairs:
        neighbours[a].add(b)
        neighbours[b].add(a)
    spans = [0.0]
    for group in (group for group in neighbours.values() if len(group) > 1):
        gx, gy = [position[r][0] for r in group], [position[r][1] for r in group]
        spans.append((max(gx) - min(gx)) * (max(gy) - min(gy)) / (width * height))
    lengths = [math.dist(position[a], position[b]) for a, b in pairs]
    return {
        "crossings": crossings(position, pairs),
        "overlaps": label_overlaps(position, names, anchor_end),
        "edge": statistics.median(lengths) / math.hypot(width, height) if lengths else 0.0,
        "span": statistics.median(spans),
    }


def circle(library: Library, limit: int | None = 80) -> tuple[dict[str, Point], set[str], int]:
    """The former picture: the 80 (`limit`) most connected roles on a circle; labels outside it."""
    degree: dict[str, int] = {}
    drawn_types = {kind.key for kind in library.relation_types.drawn}
    for r in {(r.source, r.target, r.type) for r in library.relations if r.type in drawn_types}:
        for role in r[:2]:
            degree[role] = degree.get(role, 0) + 1
    drawn = sorted(sorted(degree, key=lambda r: (-degree[r], r))[:limit])
    n = max(len(drawn), 1)
    position = {
        role: (
            380 + 300 * math.cos(2 * math.pi * i / n - math.pi / 2),
            380 + 300 * math.sin(2 * math.pi * i / n - math.pi / 2),
        )
        for i, role in enumerate(drawn)
    }
    return position, {role for role, (x, _) in position.items() if x < 379}, len(degree)


def measure(name: str, library: Library) -> list[str]:
    slots = Slots()
    page = slots.fill(graph_page(library, slots))
    drawn_types = {kind.key for kind in library.relation_types.drawn}
    ids = sorted(
        {
            role
            for r in library.relations
            if r.type in drawn_types and r.source != r.target
            for role in (r.source, r.target)
        }
    )
    index = {role: i for i, role in enumerate(ids)}
    labels = [library.by_id[role].name for role in ids]
    pairs = sorted(
        {
            (index[r.source], index[r.target])
            for r in library.relations
            if r.source in index and r.target in index and r.type in drawn_types
        }
    )
    times = []
    for _ in range(5):
        started = time.perf_counter()
        placed = layout(labels, pairs)
        times.append(time.perf_counter() - started)
    page_times = []
    for _ in range(3):
        started = time.perf_counter()
        graph_page(library, Slots())
        page_times.append(time.perf_counter() - started)
    now = readability(dict(zip(ids, placed.positions, strict=True)), library, set())
    old_position, old_end, related = circle(library)
    before = readability(old_position, library, old_end)
    every_position, every_end, _ = circle(library, None)
    uncapped = readability(every_position, library, every_end)
    size = len(page.encode())
    packed = len(gzip.compress(page.encode()))

    def compare(key: str, digits: int) -> str:
        return " / ".join(f"{figures[key]:.{digits}f}" for figures in (before, uncapped, now))

    return [
        f"| {name} | {len(old_position)} of {related} → {len(ids)} | {statistics.median(times) * 1000:.0f} ms "
        f"| {statistics.median(page_times) * 1000:.0f} ms | {size / 1024:.0f} KB ({packed / 1024:.0f} KB) "
        f"| {compare('crossings', 0)} | {compare('overlaps', 0)} | {compare('edge', 2)} | {compare('span', 3)} "
        f"| {placed.width}×{placed.height} |"
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folders", nargs="*", type=Path, help="role libraries to measure")
    parser.add_argument("--sizes", nargs="*", type=int, default=[], help="synthetic libraries (gen_corpus) to measure")
    args = parser.parse_args()
    settings = read_settings(None, ROOT)
    rows = [
        "| library | roles drawn (before → now) | layout | graph_page | HTML (gzip) | crossings | label overlaps "
        "| median edge / diagonal | neighbourhood / picture | picture (px) |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    with tempfile.TemporaryDirectory() as scratch:
        libraries = [(folder.name, folder) for folder in args.folders]
        for size in args.sizes:
            folder = Path(scratch) / f"roles-{size}"
            generate(size, folder)
            libraries.append((f"synthetic {size}", folder))
        for name, folder in libraries:
            library = load_library([folder.resolve()], folder.resolve(), settings.vocabulary, settings.rules)
            rows += measure(name, library)
            print(rows[-1], file=sys.stderr)
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
