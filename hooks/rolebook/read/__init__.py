"""Reading sources: finding files (`files`), decoding text (`text`), and one reader per
format behind one protocol (`reader`): Markdown, agent metadata in JSON, CrewAI YAML; plus
the site overlay (`overlay`) and the facts a role's metadata gives (`facts`).

`READERS` is the registry: `load_library` offers every file found to the first reader
that claims it. A new format is a module with its reader, and one line here.
"""

from rolebook.read.crewai import CrewReader
from rolebook.read.markdown import MarkdownReader
from rolebook.read.metadata import MetadataReader
from rolebook.read.reader import Reader

READERS: tuple[Reader, ...] = (MarkdownReader(), MetadataReader(), CrewReader())
"""Every format Rolebook reads; a file belongs to the first reader that claims it."""
