"""A file's bytes as text, the same for every reader: UTF-8 (a byte-order mark allowed),
LF line endings, control characters made visible and mojibake repaired on the rendered copy,
each with a `Finding`; and YAML front matter split off a document's body.

Nothing here writes to the source folders: documents are read, never repaired on disk.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

import yaml

from rolebook.model import Finding, Level


@dataclass(frozen=True)
class DecodedText:
    """A file's text, as written and as rendered."""

    original: str
    """The text exactly as in the file (only the BOM removed), for the source view."""
    rendered: str
    """The text with mojibake repaired line by line, which is what gets parsed and shown."""
    digest: str
    size: int
    findings: tuple[Finding, ...]


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
        import ftfy  # loaded only when a document has a line that is not ASCII (a tenth of a second)

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
