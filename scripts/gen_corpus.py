#!/usr/bin/env python3
"""Write a synthetic role library for benchmarks: N roles, each a folder with a ROLE.md
(~3 KB), a PLAYBOOK.md (~2 KB) and a STANDARDS.md (~4 KB, with front matter), naming other
generated roles the way real libraries do. Deterministic for a given N and seed. With
`--teams K` the role folders sit in K team folders (`team-01/billing-engineer/`), as large
libraries keep them; without, side by side.

    scripts/gen_corpus.py 300 /tmp/roles-300 [--seed 7] [--teams 50]
"""

from __future__ import annotations

import argparse
import random
import shutil
from pathlib import Path

DOMAINS = (
    "Billing Payments Search Identity Catalog Checkout Inventory Shipping Pricing Ledger Fraud Messaging "
    "Notification Reporting Analytics Onboarding Compliance Audit Storage Gateway Scheduling Routing Media "
    "Recommendation Support Partner Mobile Desktop Platform Data Security Release Observability Quality "
    "Content Localization Accessibility Growth Experiment Marketplace Subscription Tax Invoice Refund Wallet "
    "Loyalty Rewards Review Rating Feed Chat Video Voice Maps Geo Weather Calendar Booking Ticketing Lending"
).split()
NOUNS = (
    "Engineer Developer Architect Designer Analyst Reviewer Tester Operator Steward Coordinator Integrator "
    "Releaser Verifier Observer Builder Planner Curator Auditor Maintainer Specialist"
).split()
VERBS = (
    "design implement review validate document monitor migrate refactor secure deploy test profile "
    "instrument triage estimate prototype harden audit automate benchmark"
).split()
OBJECTS = (
    "endpoints services schemas migrations dashboards pipelines contracts fixtures clients queues caches "
    "runbooks alerts feature flags tokens components reports exports webhooks jobs indexes policies"
).split()
QUALITIES = (
    "idempotent observable reversible documented tested versioned backwards-compatible rate-limited "
    "least-privilege deterministic accessible localized cached paginated audited"
).split()


def role_names(count: int, rng: random.Random) -> list[str]:
    names: list[str] = []
    seen: set[str] = set()
    while len(names) < count:
        name = f"{rng.choice(DOMAINS)} {rng.choice(NOUNS)}"
        if len(names) >= len(DOMAINS) * len(NOUNS) // 2:
            name = f"{name} {len(names)}"
        if name not in seen:
            seen.add(name)
            names.append(name)
    return names


def slug(name: str) -> str:
    return name.lower().replace(" ", "-")


def sentence(rng: random.Random) -> str:
    return (
        f"{rng.choice(VERBS).capitalize()} {rng.choice(OBJECTS)} so they stay {rng.choice(QUALITIES)} "
        f"and {rng.choice(QUALITIES)}, with {rng.choice(OBJECTS)} kept {rng.choice(QUALITIES)}"
    )


def role_document(name: str, others: list[str], rng: random.Random) -> str:
    lines = [f"# {name} - ROLE", "", "## Mission", " ".join(sentence(rng) + "." for _ in range(3)), "", "## In-Scope"]
    lines += [f"- {sentence(rng)}" for _ in range(6)]
    lines += ["", "## Out-of-Scope"]
    lines += [f"- {sentence(rng)} ({rng.choice(others)})" for _ in range(5)]
    lines += ["", "## Required Outputs (per task)"]
    lines += [
        f"- /{rng.choice(OBJECTS).replace(' ', '-')}/{slug(name)}/** with {rng.choice(OBJECTS)}" for _ in range(4)
    ]
    lines += ["", "## Escalation Triggers"]
    lines += [f"- {sentence(rng)} (loop in {rng.choice(others)})" for _ in range(3)]
    lines += [f"- {sentence(rng)}" for _ in range(2)]
    lines += ["", "## Workflow", "Orient -> Plan -> Implement -> Verify -> Handoff"]
    lines += [f"- {step}: {sentence(rng)}" for step in ("Orient", "Plan", "Implement", "Verify")]
    picks = rng.sample(others, k=min(3, len(others)))
    lines += [f"- Handoff: notify {', '.join(f'{o} ({rng.choice(OBJECTS)})' for o in picks)}", ""]
    return "\n".join(lines)


def playbook(name: str, others: list[str], rng: random.Random) -> str:
    lines = [f"# {name} - PLAYBOOK", ""]
    for number, step in enumerate(("ORIENT", "PLAN", "IMPLEMENT", "VERIFY", "HANDOFF"), start=1):
        lines.append(f"{number}) {step}")
        for _ in range(3):
            lines.append(f"   - {sentence(rng)}.")
        lines.append(f"   - Tag {rng.choice(others)} to {rng.choice(VERBS)} the {rng.choice(OBJECTS)}.")
        lines.append("")
    lines += ["Notes:", f"- If {rng.choice(OBJECTS)} break, STOP and escalate to {rng.choice(others)}.", ""]
    return "\n".join(lines)


def standards(name: str, others: list[str], rng: random.Random) -> str:
    lines = [
        "---",
        f"name: {slug(name)}-standards",
        f"description: Standards the {name} follows for {rng.choice(OBJECTS)} and {rng.choice(OBJECTS)}.",
        f"version: {rng.randint(1, 9)}.{rng.randint(0, 20)}",
        "---",
        "",
        f"# {name} - STANDARDS",
        "",
    ]
    for heading in (
        "Coding Standards",
        "Testing Strategy",
        "Security & Performance",
        "Observability",
        "Documentation",
        "What NOT To Do",
    ):
        lines += [f"## {heading}", ""]
        lines += [f"- **{rng.choice(QUALITIES).capitalize()}**: {sentence(rng)}." for _ in range(5)]
        if heading == "What NOT To Do":
            lines.append(f"- Do NOT change {rng.choice(OBJECTS)} owned by {rng.choice(others)}.")
        lines.append("")
    lines += ["```yaml", f"owner: {slug(name)}", f"reviewers: [{slug(rng.choice(others))}]", "```", ""]
    return "\n".join(lines)


def generate(count: int, target: Path, seed: int = 7, teams: int = 0) -> list[str]:
    """Write the corpus under `target` (replacing it), in `teams` team folders when given
    (role i in team i mod `teams`); returns the role names."""
    rng = random.Random(seed)
    names = role_names(count, rng)
    if target.exists():
        shutil.rmtree(target)
    for index, name in enumerate(names):
        others = [n for n in (names[(index + k) % count] for k in (1, 2, 3, 5, 8, 13)) if n != name] or [name]
        folder = target / (f"team-{index % teams + 1:02d}" if teams else "") / slug(name)
        folder.mkdir(parents=True)
        (folder / "ROLE.md").write_text(role_document(name, others, rng), encoding="utf-8")
        (folder / "PLAYBOOK.md").write_text(playbook(name, others, rng), encoding="utf-8")
        (folder / "STANDARDS.md").write_text(standards(name, others, rng), encoding="utf-8")
    return names


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("roles", type=int, help="number of roles")
    parser.add_argument("target", type=Path, help="folder to write (replaced)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--teams", type=int, default=0, help="team folders to put the roles in (0: none)")
    args = parser.parse_args()
    generate(args.roles, args.target, args.seed, args.teams)


if __name__ == "__main__":
    main()
