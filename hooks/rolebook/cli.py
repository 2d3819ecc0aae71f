"""`scripts/rolebook`: check role documents, export the model, scaffold a role, without building the site.

Exit codes of `check`: 0 clean (or only warnings without `--strict`), 1 errors (or warnings
with `--strict`), 2 usage errors.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from string import Template
from typing import Any

from rolebook.analyse import Analysis, analyse
from rolebook.config import SettingsError, read_settings, source_folders
from rolebook.export import export_model, to_json
from rolebook.model import Level, RoleStatus
from rolebook.names import counted, display_name, slugify
from rolebook.read.markdown import PLACEHOLDER
from rolebook.vocabulary import VocabularyError


def _site_config(config_file: Path) -> dict[str, Any]:
    """The site's `mkdocs.yml`, read with MkDocs' own loader (so `!ENV` works); `{}` if absent."""
    if not config_file.is_file():
        return {}
    from mkdocs.exceptions import ConfigurationError
    from mkdocs.utils.yaml import yaml_load

    try:
        with config_file.open(encoding="utf-8") as stream:
            config = yaml_load(stream) or {}
    except ConfigurationError as error:
        mark = getattr(error.__context__, "problem_mark", None)
        problem = getattr(error.__context__, "problem", None) or error
        where = f"{config_file}:{mark.line + 1}" if mark else str(config_file)
        raise SettingsError(f"{where}: not valid YAML: {problem}") from error
    return config if isinstance(config, dict) else {}


def _rolebook_settings(config: dict[str, Any]) -> object:
    """`extra.rolebook` of a site config."""
    return (config.get("extra") or {}).get("rolebook") if isinstance(config.get("extra"), dict) else None


def _load(args: argparse.Namespace) -> Analysis:
    config_file = Path(args.config).resolve()
    base = config_file.parent
    site = _site_config(config_file)
    try:
        settings = read_settings(_rolebook_settings(site), base)
    except SettingsError as error:
        raise SystemExit(_usage(str(error))) from error
    sources = [Path(s).resolve() for s in args.source] or list(settings.roots)
    missing = [str(s) for s in sources if not s.is_dir()]
    if missing:
        raise SystemExit(_usage(f"no such folder: {', '.join(missing)}"))
    docs_dir = (base / str(site.get("docs_dir") or "docs")).resolve()
    return analyse(
        settings,
        Path.cwd(),
        roots=sources,
        progress=_progress(),
        is_page=lambda path: (
            path.endswith((".md", ".markdown")) and Path(path).is_relative_to(docs_dir) and Path(path).is_file()
        ),
    )


PROGRESS_FROM = 300
"""Fewer documents than this read too fast for a progress bar to help."""


def _progress() -> Callable[[int, int], None] | None:
    """A progress bar on stderr, when it is a terminal."""
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int) -> None:
        if total < PROGRESS_FROM or (done % 25 and done != total):
            return
        filled = 30 * done // total
        sys.stderr.write(f"\rreading [{'#' * filled}{'.' * (30 - filled)}] {done}/{total}")
        if done == total:
            sys.stderr.write("\n")
        sys.stderr.flush()

    return show


def _usage(message: str) -> int:
    print(f"rolebook: error: {message}", file=sys.stderr)
    return 2


def check(args: argparse.Namespace) -> int:
    library = _load(args).library
    findings = sorted(library.findings, key=lambda f: (f.path, f.line or 0, f.message))
    if args.format == "json":
        print(
            json.dumps(
                [{"path": f.path, "line": f.line, "level": f.level.value, "message": f.message} for f in findings],
                ensure_ascii=False,
                indent=1,
            )
        )
    else:
        for finding in findings:
            print(finding)
        counts = {level: sum(1 for f in findings if f.level is level) for level in Level}
        print(
            f"{counted(len(library.sources), 'source file')}, "
            f"{counted(sum(1 for r in library.roles if r.status is RoleStatus.DEFINED), 'role')}: "
            f"{counted(counts[Level.ERROR], 'error')}, {counted(counts[Level.WARNING], 'warning')}, "
            f"{counted(counts[Level.INFO], 'note')}",
            file=sys.stderr,
        )
    failing = {Level.ERROR, Level.WARNING} if args.strict else {Level.ERROR}
    return 1 if any(f.level in failing for f in findings) else 0


def export(args: argparse.Namespace) -> int:
    analysis = _load(args)
    text = to_json(export_model(analysis.library, analysis.claims, analysis.conflicts, analysis.areas))
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


SCAFFOLDS = Path(__file__).with_name("scaffold")
KIND_FILES = {"role": "ROLE.md", "playbook": "PLAYBOOK.md", "standards": "STANDARDS.md"}


def _shown(path: Path) -> str:
    """`path` relative to the working directory when it is inside it."""
    absolute = path.resolve()
    return str(absolute.relative_to(Path.cwd())) if absolute.is_relative_to(Path.cwd()) else str(path)


def new(args: argparse.Namespace) -> int:
    """Scaffold documents for a new role: each line its author has to write is marked with
    `PLACEHOLDER`, which `check` (and the site build) reports until it is replaced."""
    role_id = args.role_id
    if slugify(role_id) != role_id:
        return _usage(f"'{role_id}' is not a role id: use lower-case letters, digits and '-' ('{slugify(role_id)}')")
    config_file = Path(args.config).resolve()
    sources = source_folders(_rolebook_settings(_site_config(config_file)), config_file.parent)
    target_root = Path(args.source) if args.source else sources[0]
    folder = target_root / role_id
    kinds = args.kind or ["role", "playbook"]
    targets = [folder / KIND_FILES[kind] for kind in kinds]
    existing = [str(t) for t in targets if t.exists()]
    if existing:
        print(f"rolebook: not overwriting {', '.join(existing)}", file=sys.stderr)
        return 1
    folder.mkdir(parents=True, exist_ok=True)
    name = display_name(role_id)
    for kind, target in zip(kinds, targets, strict=True):
        template = Template((SCAFFOLDS / KIND_FILES[kind]).read_text(encoding="utf-8"))
        target.write_text(template.substitute(name=name, role_id=role_id, todo=PLACEHOLDER), encoding="utf-8")
        print(f"wrote {_shown(target)}")
    command = ["rolebook"]
    if args.config != "mkdocs.yml":
        command += ["--config", args.config]
    command += ["check"] + (["--source", _shown(target_root)] if args.source else [])
    files = "".join(f"\n       {_shown(t)}" for t in targets)
    print(
        f"\nNext:\n  1. Edit, replacing each line marked {PLACEHOLDER} with the role's own text:{files}\n"
        f"  2. Run `{' '.join(command)}`: it lists every marked line left, as a warning\n"
        "     (so does the site build; `--strict` fails on them)."
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="rolebook", description=__doc__.splitlines()[0])
    parser.add_argument("--config", default="mkdocs.yml", help="site config whose extra.rolebook settings apply")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def sources(command: argparse.ArgumentParser) -> None:
        command.add_argument(
            "--source",
            action="append",
            default=[],
            metavar="DIR",
            help="folder of role documents (repeatable; default: the site's extra.rolebook.sources)",
        )

    check_parser = commands.add_parser(
        "check",
        help="report findings as path:line: level: message",
        description="Read every document and print its findings. Exit 0 when clean or only warnings, "
        "1 on errors (or on warnings with --strict), 2 on usage errors.",
    )
    sources(check_parser)
    check_parser.add_argument("--strict", action="store_true", help="fail on warnings too")
    check_parser.add_argument("--format", choices=["text", "json"], default="text")
    check_parser.set_defaults(run=check)

    export_parser = commands.add_parser(
        "export",
        help="print roles.json (the site's data export) without building the site",
        description="Print the model as JSON, the same as the site's roles.json (schema: roles.schema.json).",
    )
    sources(export_parser)
    export_parser.add_argument("--output", "-o", metavar="FILE", help="write to FILE instead of stdout")
    export_parser.set_defaults(run=export)

    new_parser = commands.add_parser(
        "new",
        help="scaffold documents for a new role",
        description="Write ROLE_ID/ROLE.md (and the other kinds asked for) into the sources folder. Each line "
        f"to write is marked {PLACEHOLDER}; `rolebook check` warns about every one left. Existing files are never "
        "overwritten.",
    )
    new_parser.add_argument("role_id", metavar="ROLE_ID", help="the new role's id, e.g. data-engineer")
    new_parser.add_argument(
        "--kind",
        action="append",
        choices=sorted(KIND_FILES),
        help="document to write (repeatable; default: role and playbook)",
    )
    new_parser.add_argument("--source", metavar="DIR", help="sources folder (default: the site's first)")
    new_parser.set_defaults(run=new)

    args = parser.parse_args(argv)
    try:
        return int(args.run(args))
    except (VocabularyError, ValueError, OSError) as error:
        return _usage(str(error))
