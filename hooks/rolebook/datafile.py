"""Reading a site's data files (areas, claim rules): a mistake is reported as
`file:line: message`, never as a parser's traceback."""

from __future__ import annotations

from pathlib import Path

import yaml


class DataFileError(ValueError):
    """A data file that cannot be used; the message starts with its path (and line)."""


def read_mapping(path: str | Path, what: str) -> dict:
    """The YAML mapping in `path` (empty when the file is empty); `what` says what the
    mapping should hold, for the message when it is something else."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise DataFileError(f"{where}: not valid YAML: {getattr(error, 'problem', error)}") from error
    except (OSError, UnicodeDecodeError) as error:
        raise DataFileError(f"{path}: cannot be read: {error}") from error
    if not isinstance(data, dict):
        raise DataFileError(f"{path}: expected a mapping {what}")
    return data
