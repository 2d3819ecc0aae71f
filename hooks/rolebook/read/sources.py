"""Find role documents, read their bytes, decode them and split off front matter.

Nothing here writes to the source folders: documents are read, never repaired on disk.
Whatever is wrong with a file becomes a `Finding`; the rest of the file is still used.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import ftfy
import yaml

from rolebook.cache import BuildCache
from rolebook.model import Document, DocumentKind, Finding, Level
from rolebook.names import humanise
from rolebook.read.markdown import parse_body
from rolebook.vocabulary import Vocabulary
from rolebook.workers import fork_map

DOCUMENT_SUFFIXES = (".md", ".markdown")
METADATA_SUFFIXES = (".json",)
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp")
CREW_FILES = ("agents.yaml", "agents.yml", "tasks.yaml", "tasks.yml", "crews.yaml", "crews.yml")


@dataclass(frozen=True)
class SourceFile:
    """A document found in a source folder, before it is read."""

    abs_path: Path
    path: str
    """Path shown to users: relative to the site's config folder when inside it."""
    group: str
    """Documents with the same group form one role: a role folder's path, else the file's path."""
    folder: str
    """Name of the folder holding the file."""
    relative: str = ""
    """Path inside its sources folder (`agents/README.md`): the same wherever the folder is."""


@dataclass(frozen=True)
class DecodedText:
    """A document's text, as written and as rendered."""

    original: str
    """The text exactly as in the file (only the BOM removed), for the source view."""
    rendered: str
    """The text with mojibake repaired line by line, which is what gets parsed and shown."""
    digest: str
    size: int
    findings: tuple[Finding, ...]


def display_path(path: Path, base: Path, root: Path | None = None) -> str:
    """`path` as findings and the published site name it, always with `/`: relative to `base`
    (the folder of `mkdocs.yml`) when it lies inside it, else relative to the folder that
    holds its sources folder `root` (`roles/backend/ROLE.md`). Never absolute: a site must
    not depend on, nor publish, where it was built."""
    for anchor in (base, root.parent if root is not None else None):
        if anchor is not None and path.is_relative_to(anchor):
            return path.relative_to(anchor).as_posix()
    return path.name


def find_sources(
    roots: list[Path], base: Path, role_folder_markers: frozenset[str]
) -> tuple[list[SourceFile], list[Finding]]:
    """Every document (and JSON metadata file) under `roots`, in a stable order (sorted paths),
    and findings about what was skipped.

    Hidden folders inside a root are skipped; symbolic links are never followed (a link to a
    file outside the sources would publish it).
    """
    found: list[SourceFile] = []
    findings: list[Finding] = []
    seen: set[Path] = set()
    for root in roots:
        if not root.is_dir():
            continue
        for folder, dirnames, filenames in os.walk(root, followlinks=False):
            for name in sorted(dirnames):
                if Path(folder, name).is_symlink():
                    findings.append(_symlink_finding(Path(folder, name), root, base))
            dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and not Path(folder, d).is_symlink())
            lower = {name.lower() for name in filenames}
            is_role_folder = Path(folder) != root and bool(lower & role_folder_markers)
            for name in sorted(filenames):
                abs_path = Path(folder, name)
                if not name.lower().endswith(DOCUMENT_SUFFIXES + METADATA_SUFFIXES) and name.lower() not in CREW_FILES:
                    continue
                if abs_path.is_symlink():
                    findings.append(_symlink_finding(abs_path, root, base))
                    continue
                if abs_path in seen:
                    continue
                seen.add(abs_path)
                group = Path(folder) if is_role_folder else abs_path
                found.append(
                    SourceFile(
                        abs_path=abs_path,
                        path=display_path(abs_path, base, root),
                        group=display_path(group, base, root),
                        folder=Path(folder).name,
                        relative=abs_path.relative_to(root).as_posix(),
                    )
                )
    return found, findings


def find_images(roots: list[Path]) -> list[tuple[Path, Path]]:
    """Images under the source folders, as `(root, path)`: published so documents can show them."""
    found = []
    for root in roots:
        if root.is_dir():
            for folder, dirnames, filenames in os.walk(root, followlinks=False):
                dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
                for name in sorted(filenames):
                    path = Path(folder, name)
                    if name.lower().endswith(IMAGE_SUFFIXES) and not path.is_symlink():
                        found.append((root, path))
    return found


def _symlink_finding(link: Path, root: Path, base: Path) -> Finding:
    target = link.resolve()
    where = "outside the sources" if not target.is_relative_to(root.resolve()) else "inside the sources"
    message = f"symbolic link to a path {where}; not followed"
    return Finding(display_path(link, base, root), None, Level.WARNING, message)


def decode(raw: bytes, path: str, digest: str | None = None) -> DecodedText:
    """Decode UTF-8 (BOM allowed) and repair mojibake in the rendered copy, reporting each repair."""
    findings: list[Finding] = []
    if raw.startswith(b"\xef\xbb\xbf"):
        findings.append(Finding(path, 1, Level.WARNING, "starts with a UTF-8 byte-order mark; ignored"))
    if b"\x00" in raw:
        at = raw.count(b"\n", 0, raw.index(b"\x00")) + 1
        findings.append(Finding(path, at, Level.ERROR, "binary data (NUL bytes) in a document; shown as text"))
    if b"\r\n" in raw:
        at = raw.count(b"\n", 0, raw.index(b"\r\n")) + 1
        findings.append(Finding(path, at, Level.WARNING, "CRLF line endings; read as LF"))
    try:
        original = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        bad_line = raw.count(b"\n", 0, error.start) + 1
        findings.append(
            Finding(
                path,
                bad_line,
                Level.ERROR,
                f"not valid UTF-8 ({error.reason} at byte {error.start}); "
                "undecodable bytes are shown as \N{REPLACEMENT CHARACTER}",
            )
        )
        original = raw.decode("utf-8-sig", errors="replace")
    original = original.replace("\r\n", "\n").replace("\r", "\n")
    lines = original.split("\n")
    reported_controls = False
    for number, line in enumerate(lines, start=1):
        if CONTROL.search(line):
            # Control characters would corrupt the pages (Python-Markdown uses some as markers).
            if not reported_controls and b"\x00" not in raw:
                findings.append(
                    Finding(path, number, Level.WARNING, "control characters; shown as \N{REPLACEMENT CHARACTER}")
                )
            reported_controls = True
            line = lines[number - 1] = CONTROL.sub("\N{REPLACEMENT CHARACTER}", line)
        if line.isascii():
            continue
        repaired = ftfy.fix_encoding(line)
        if repaired != line:
            findings.append(
                Finding(
                    path,
                    number,
                    Level.INFO,
                    f"repaired mojibake {_changed_part(line, repaired)} on the rendered page; the file is unchanged",
                )
            )
            lines[number - 1] = repaired
    return DecodedText(
        original=original,
        rendered="\n".join(lines),
        digest=digest or hashlib.sha256(raw).hexdigest(),
        size=len(raw),
        findings=tuple(findings),
    )


CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _changed_part(before: str, after: str) -> str:
    """A short `"2â€“3" -> "2–3"` excerpt around the first difference."""
    start = 0
    while start < min(len(before), len(after)) and before[start] == after[start]:
        start += 1
    end_b, end_a = len(before), len(after)
    while end_b > start and end_a > start and before[end_b - 1] == after[end_a - 1]:
        end_b, end_a = end_b - 1, end_a - 1
    lo = max(0, start - 2)
    return f'"{before[lo : end_b + 2].strip()}" -> "{after[lo : end_a + 2].strip()}"'


_FENCE = re.compile(r"^(---|\.\.\.)\s*$")
MAX_ALIASES = 50
"""More aliases than this in front matter is an alias bomb ("billion laughs"), not metadata."""


def _alias_count(block: str) -> int:
    """YAML alias events in `block`, counted without expanding them (linear in its size)."""
    count = 0
    try:
        for event in yaml.parse(block, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.AliasEvent):
                count += 1
                if count > MAX_ALIASES:
                    break
    except yaml.YAMLError:
        return 0  # safe_load reports the error itself
    return count


@dataclass(frozen=True)
class FrontMatter:
    """Front matter split off a document."""

    data: dict[str, object]
    body: str
    """The text after the front matter."""
    body_offset: int
    """How many lines precede the body (so body line n is file line n + offset)."""
    findings: tuple[Finding, ...]


def split_front_matter(text: str, path: str) -> FrontMatter:
    """Split YAML front matter (`---` ... `---`) from the body; never raises on bad YAML.

    Front matter is loaded with `yaml.safe_load` only: documents are data, never code. Front
    matter that is not valid YAML (most often an unquoted `: ` inside a description) is read
    key by key (`read_leniently`), so its fields still reach the page. When it cannot be used
    at all, the finding says why and the block is shown as a YAML code block above the body,
    so nothing the author wrote disappears.
    """
    if not text.startswith("---"):
        return FrontMatter({}, text, 0, ())
    lines = text.split("\n")
    if lines[0].strip() != "---":
        return FrontMatter({}, text, 0, ())
    for index in range(1, len(lines)):
        if _FENCE.match(lines[index]):
            break
    else:
        finding = Finding(path, 1, Level.WARNING, "front matter starts with `---` but is never closed; shown as text")
        return FrontMatter({}, text, 0, (finding,))
    block = "\n".join(lines[1:index])
    body = "\n".join(lines[index + 1 :])

    def as_code(line: int, problem: str) -> FrontMatter:
        # the fences take the places of the `---` lines: body line numbers stay file lines
        fence = "~" * max(3, max((len(run) for run in re.findall(r"~+", block)), default=0) + 1)
        shown = "\n".join([fence + "yaml", *lines[1:index], fence, *lines[index + 1 :]])
        return FrontMatter({}, shown, 0, (Finding(path, line, Level.WARNING, f"{problem}; shown as text"),))

    if "*" in block and _alias_count(block) > MAX_ALIASES:
        return as_code(2, f"front matter uses more than {MAX_ALIASES} YAML aliases (not expanded)")
    try:
        data = yaml.safe_load(block)
    except yaml.constructor.ConstructorError as error:
        mark = error.problem_mark
        return as_code(mark.line + 2 if mark else 1, f"front matter is not valid YAML ({error.problem})")
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        lenient = read_leniently(block)
        if lenient is None:
            return as_code(line, f"front matter is not valid YAML ({problem})")
        message = f"front matter is not valid YAML ({problem}); read key by key: {', '.join(lenient)}"
        return FrontMatter(lenient, body, index + 1, (Finding(path, line, Level.WARNING, message),))
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return as_code(2, "front matter is not a mapping of keys to values")
    return FrontMatter({str(k): v for k, v in data.items()}, body, index + 1, ())


_TOP_KEY = re.compile(r"^(?P<key>[A-Za-z_][\w.-]*)\s*:(?:\s+(?P<value>.*))?$")


def read_leniently(block: str) -> dict[str, object] | None:
    """Front matter that is not valid YAML, read the way its author meant it: one top-level
    `key: value` per line (with indented continuation lines), each entry loaded as YAML on its
    own, and taken as plain text when that fails (`description: Reviews APIs: naming`).
    `None` when a line is neither a key nor a continuation: then nothing is guessed."""
    chunks: list[list[str]] = []
    for line in block.split("\n"):
        if _TOP_KEY.match(line):
            chunks.append([line])
        elif chunks and (not line.strip() or line[:1] in " \t" or line.startswith("- ")):
            chunks[-1].append(line)
        elif line.strip() and not line.lstrip().startswith("#"):
            return None
    data: dict[str, object] = {}
    for chunk in chunks:
        match = _TOP_KEY.match(chunk[0])
        assert match is not None
        try:
            entry = yaml.safe_load("\n".join(chunk))
            value = entry[match["key"]] if isinstance(entry, dict) and match["key"] in entry else None
        except yaml.YAMLError:
            value = None
        if value is None:
            text = " ".join(part.strip() for part in [match["value"] or "", *chunk[1:]] if part.strip())
            if len(text) > 1 and text[0] == text[-1] and text[0] in "'\"":
                text = text[1:-1]
            value = text or None
        data[match["key"]] = value
    return data or None


def detect_kind(
    name: str, front_matter: dict[str, object], title: str | None, vocabulary: Vocabulary
) -> tuple[DocumentKind, str | None]:
    """The document's kind and the role name its title carries, from the file itself.

    The file name decides first (`PLAYBOOK.md`), then front matter (`name` + `description`
    is an agent card), then the title patterns of the vocabulary; anything else is a role
    document.
    """
    kind = vocabulary.file_names.get(name.lower())
    title_name: str | None = None
    title_kind: str | None = None
    if title:
        for rule in vocabulary.title_patterns:
            match = rule.pattern.match(title)
            if match:
                title_name = match.group("name").strip() or None
                title_kind = rule.kind
                break
    if kind is None and "name" in front_matter and "description" in front_matter:
        kind = DocumentKind.AGENT_CARD.value
    kind = kind or title_kind or DocumentKind.ROLE.value
    return DocumentKind(kind), title_name


class ParseCache(BuildCache[tuple[str, str, str], tuple[Document, list[Finding]]]):
    """Parsed documents of the previous build, by path, content and vocabulary: under
    `mkdocs serve` an edit re-parses only the documents that changed."""

    def __init__(self) -> None:
        super().__init__()
        self.parsed = 0
        self.reused = 0

    def start(self) -> None:
        super().start()
        self.parsed = self.reused = 0

    def get(self, key: tuple[str, str, str]) -> tuple[Document, list[Finding]] | None:
        found = super().get(key)
        self.reused += found is not None
        return found

    def put(self, key: tuple[str, str, str], value: tuple[Document, list[Finding]]) -> None:
        super().put(key, value)
        self.parsed += 1


PARSE_CACHE = ParseCache()
"""Lives as long as the process (the `rolebook` package outlives the hook module that
`mkdocs serve` reloads on each rebuild)."""


def read_document(
    source: SourceFile, vocabulary: Vocabulary, cache: ParseCache | None = None, allow_html: bool = False
) -> tuple[Document | None, list[Finding]]:
    """Read, decode and parse one document (or reuse it from `cache` when its bytes are
    unchanged). Returns `None` (with findings) only when the file cannot be read at all."""
    return next(read_documents([source], vocabulary, cache, allow_html))


PARALLEL_MINIMUM = 200
"""Fewer documents to parse than this are parsed in the build's own process: starting
workers costs more than it saves."""


def read_documents(
    sources: list[SourceFile],
    vocabulary: Vocabulary,
    cache: ParseCache | None = None,
    allow_html: bool = False,
    workers: int = 1,
) -> Iterator[tuple[Document | None, list[Finding]]]:
    """`read_document` for each of `sources`, in order. With `workers` > 1 and at least
    `PARALLEL_MINIMUM` documents not in `cache`, those are parsed by that many worker
    processes (see `rolebook.workers`)."""
    flavour = vocabulary.fingerprint + ("+html" if allow_html else "")
    read: list[tuple[SourceFile, bytes, str] | tuple[Document | None, list[Finding]]] = []
    jobs: list[tuple[SourceFile, bytes, str]] = []
    for source in sources:
        try:
            raw = source.abs_path.read_bytes()
        except OSError as error:
            problem = Finding(source.path, None, Level.ERROR, f"cannot read file: {error.strerror or error}")
            read.append((None, [problem]))
            continue
        digest = hashlib.sha256(raw).hexdigest()
        cached = cache.get((source.path, digest, flavour)) if cache is not None else None
        if cached is not None:
            read.append((cached[0], list(cached[1])))
        else:
            read.append((source, raw, digest))
            jobs.append((source, raw, digest))
    parsed = fork_map(
        lambda start, stop: [_parse_document(*job, vocabulary, allow_html) for job in jobs[start:stop]],
        len(jobs),
        workers,
        PARALLEL_MINIMUM,
    )
    for entry in read:
        if len(entry) == 2:
            yield entry
            continue
        source, _, digest = entry
        document, findings = next(parsed)
        if cache is not None:
            cache.put((source.path, digest, flavour), (document, list(findings)))
        yield document, findings


def _parse_document(
    source: SourceFile, raw: bytes, digest: str, vocabulary: Vocabulary, allow_html: bool
) -> tuple[Document, list[Finding]]:
    decoded = decode(raw, source.path, digest)
    findings = list(decoded.findings)
    front = split_front_matter(decoded.rendered, source.path)
    findings.extend(front.findings)
    if not decoded.rendered.strip():
        findings.append(Finding(source.path, None, Level.WARNING, "document is empty"))

    name = source.abs_path.name
    parsed = parse_body(front.body, front.body_offset, name, vocabulary, allow_html, str(source.abs_path.parent))
    findings.extend(Finding(source.path, line, Level.WARNING, message) for line, message in parsed.problems)
    kind, title_name = detect_kind(name, front.data, parsed.title, vocabulary)
    fm_name = front.data.get("name")
    fm_name = str(fm_name).strip() if isinstance(fm_name, (str, int, float)) and str(fm_name).strip() else None
    fm_title = front.data.get("title")
    fm_title = str(fm_title).strip() if isinstance(fm_title, str) and fm_title.strip() else None
    title = parsed.title or fm_title or humanise(fm_name or source.abs_path.stem, decoded.rendered)
    sections = parsed.sections
    if sections and sections[0].level == 0:
        preamble = replace(sections[0], title=title, canonical=vocabulary.preamble_section(kind.value))
        sections = (preamble, *sections[1:])
    description = front.data.get("description")
    return (
        Document(
            path=source.path,
            abs_path=str(source.abs_path),
            name=name,
            kind=kind,
            title=title,
            alias=fm_name or title_name,
            front_matter=front.data,
            description=str(description).strip() if description not in (None, "") else None,
            text=decoded.original,
            sections=sections,
            links=parsed.links,
            digest=decoded.digest,
            size=decoded.size,
        ),
        findings,
    )
