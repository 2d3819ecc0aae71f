"""The JSON export: `roles.json` as the site writes it and as `rolebook export` prints it."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import write_tree
from rolebook.analyse import analyse
from rolebook.config import read_settings


def test_the_export_written_in_parts_is_the_whole_model_as_json(tmp_path: Path) -> None:
    """The site writes `roles.json` one role at a time (`export_parts`): the same text as the
    whole model dumped at once, which `rolebook export` prints."""
    from rolebook.export import export_model, export_parts, export_rest, to_json

    sources = write_tree(
        tmp_path / "roles",
        {
            "a/ROLE.md": "# Alpha\n\n## Responsibilities\n\n- Owns the API; hands off to Beta.\n",
            "b/ROLE.md": "# Beta\n\nSays “hello” — ünïcode kept.\n",
        },
    )
    settings = read_settings({"sources": [str(sources)], "cache": None}, tmp_path)
    analysis = analyse(settings, tmp_path)
    library = analysis.library
    rest = export_rest(library, analysis.claims, analysis.conflicts, analysis.areas)
    whole = to_json(export_model(library, analysis.claims, analysis.conflicts, analysis.areas))
    assert "".join(export_parts(library, rest)) == whole
    assert len(json.loads(whole)["roles"]) == 2
