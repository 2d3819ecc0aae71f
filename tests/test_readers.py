"""Readers behind one protocol: every format is decoded, cached and spread over workers the
same way, and a new format is one reader registered in `rolebook.read.READERS`."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import write_tree
from rolebook import Library, load_library, load_vocabulary
from rolebook.read import READERS, reader
from rolebook.read.markdown import read_markdown
from rolebook.read.reader import ParseCache, ReadContext, Reader, ReadResult, TextFile
from rolebook.workers import can_fork

VOCABULARY = load_vocabulary()

# the same defects in a Markdown document and in a crew's agents.yaml
DEFECTS = "\ufeffline one\r\n{text}: takes 2â€“3 days, A\x02B\r\n"
AGENTS_YAML = "researcher:\n  role: Researcher\n  goal: Find facts.\n  backstory: It takes 2â€“3 days, A\x02B\n"
TASKS_YAML = "research_task:\n  description: Research {topic}.\n  expected_output: Notes.\n  agent: researcher\n"


def _load(root: Path, cache: ParseCache | None = None, workers: int = 1) -> Library:
    return load_library([root], root.parent, VOCABULARY, cache=cache, workers=workers)


def _messages(library: Library, path_end: str) -> list[str]:
    return [f"{f.line}: {f.level.value}: {f.message}" for f in library.findings if f.path.endswith(path_end)]


def test_crewai_files_are_decoded_like_markdown(tmp_path: Path) -> None:
    agents = "\ufeff" + AGENTS_YAML.replace("\n", "\r\n")
    root = write_tree(
        tmp_path / "roles",
        {
            "crew/agents.yaml": agents.encode(),
            "crew/tasks.yaml": TASKS_YAML,
            "notes/ROLE.md": DEFECTS.format(text="# Notes\n\nText").encode(),
        },
    )
    library = _load(root)
    crew, notes = _messages(library, "agents.yaml"), _messages(library, "ROLE.md")
    for messages in (crew, notes):
        assert [m.split(": ", 2)[2][:12] for m in messages] == [
            "starts with ",  # the byte-order mark
            "CRLF line en",
            "control char",  # which YAML alone would reject
            "repaired moj",
        ], messages
    researcher = library.by_id["researcher"]
    backstory = next(s for d in researcher.documents for s in d.sections if s.title == "Backstory")
    assert "It takes 2–3 days, A\N{REPLACEMENT CHARACTER}B" in backstory.html
    assert "2â€“3" in researcher.documents[0].text, "the source view shows the file as written"


def test_json_that_is_no_role_file_stays_silent(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path / "roles",
        {
            "tools/package.json": b'\xef\xbb\xbf{"name": "x"}\r\n',
            "backend/agent.json": b'\xef\xbb\xbf{"id": "backend", "name": "Backend"}\r\n',
            "backend/ROLE.md": "# Backend - ROLE\n\n## Mission\nServe.\n",
        },
    )
    library = _load(root)
    assert _messages(library, "package.json") == []
    assert [m.split(": ")[2][:10] for m in _messages(library, "agent.json")] == ["starts wit", "CRLF line "]
    assert library.by_id["backend"].name == "Backend"


def test_every_format_is_cached_across_rebuilds(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path / "roles",
        {
            "crew/agents.yaml": AGENTS_YAML,
            "crew/tasks.yaml": TASKS_YAML,
            "backend/agent.json": '{"id": "backend", "name": "Backend"}\n',
            "backend/ROLE.md": "# Backend - ROLE\n\n## Mission\nServe.\n",
        },
    )
    cache = ParseCache()
    first = _load(root, cache)
    assert (cache.parsed, cache.reused) == (3, 0)  # the crew folder, agent.json, ROLE.md
    second = _load(root, cache)
    assert (cache.parsed, cache.reused) == (0, 3)
    assert second.documents == first.documents and second.findings == first.findings
    (root / "crew/tasks.yaml").write_text(TASKS_YAML.replace("Notes.", "A report."), encoding="utf-8")
    third = _load(root, cache)
    assert (cache.parsed, cache.reused) == (1, 2)
    tasks = next(d for d in third.by_id["researcher"].documents if d.name == "tasks.yaml")
    assert "Expected output: A report." in tasks.sections[0].html


@pytest.mark.skipif(not can_fork(), reason="needs fork and a single thread")
def test_workers_read_every_format_as_the_build_does(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files: dict[str, str | bytes] = {f"r{n}/ROLE.md": f"# R{n} - ROLE\n\n## Mission\nServe {n}.\n" for n in range(6)}
    files |= {f"crew{n}/agents.yaml": AGENTS_YAML.replace("researcher", f"researcher{n}") for n in range(3)}
    files |= {"r0/agent.json": '{"id": "r0", "name": "Role Zero"}\n'}
    root = write_tree(tmp_path / "roles", files)
    serial = _load(root)
    monkeypatch.setattr(reader, "PARALLEL_MINIMUM", 1)
    parallel = _load(root, workers=2)
    assert parallel.documents == serial.documents and parallel.findings == serial.findings
    assert len(parallel.documents) == 9 and parallel.by_id["r0"].name == "Role Zero"


class TextReader(Reader):
    """A plain-text role: read as a Markdown document that has no headings."""

    name = "text"

    def claims(self, name: str) -> bool:
        return name.lower().endswith(".txt")

    def read(self, files: list[TextFile], context: ReadContext) -> ReadResult:
        read = [read_markdown(file, context.vocabulary, context.allow_html) for file in files]
        documents = tuple((file.source, document) for file, (document, _) in zip(files, read, strict=True))
        return ReadResult(documents=documents, findings=tuple(f for _, found in read for f in found))


def test_a_new_format_is_one_reader_registered(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = write_tree(tmp_path / "roles", {"scribe.txt": "The Scribe writes down what was decided.\n"})
    assert _load(root).documents == ()
    monkeypatch.setattr("rolebook.library.READERS", (*READERS, TextReader()))
    library = _load(root)
    assert library.by_id["scribe"].documents[0].text == "The Scribe writes down what was decided.\n"
