"""Pages kept between builds: a page whose inputs did not change is not rendered again.

MkDocs renders every page twice over on every build: Python-Markdown turns its Markdown into
HTML (`Page.render`), then the theme's template wraps that HTML in the header, navigation
and sidebars. At 1,000 roles that is most of what a rebuild after one changed document
costs. `KeptPages` keeps both results (`rolebook.cache.RENDERS`; the pages as files in the
cache folder, listed by `rolebook.cache.PAGES`), each under a key naming everything it
depends on:

- Python-Markdown's output (for pages Rolebook generated, whose Markdown holds nothing but
  placeholders and headings, and for hand-written pages when no Markdown extension reads
  anything else): the page's Markdown, its URL, every file's URL (relative links), the
  site's settings, and every installed package's version; for a page of API blocks
  (mkdocstrings), the code they document too.
- The template's output (every page): the page's finished content, table of contents,
  title and metadata, the whole navigation (titles, URLs and order of every page), every
  file's URL, the settings, the theme's own files when they are not a package's, and every
  installed package's version.

Every MkDocs event still runs for every page, with the same page in hand: only the two
renders are skipped. A Markdown render that logged anything (a broken link, say) is not
kept, so its message shows on every build. Rolebook's own code is the kept file's `scope`.

Earlier still, the site step's own work on each role page (assembling it from the role's
documents, `rolebook.site.pages.assemble`) is kept by `KeptRoles`.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import sys
import zlib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure import StructureItem
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink

from rolebook import compat
from rolebook.cache import PAGES, RENDERS, ROLES

_PLAIN = (str, int, float, bool, type(None))


@cache
def installed() -> str:
    """Every installed distribution and its version (a theme, a Markdown extension or a
    plugin can change a page), the same in every process: the names of the `.dist-info`
    and `.egg-info` folders on `sys.path`, which spell both (reading each distribution's
    metadata took a tenth of a second)."""
    names: list[str] = []
    for entry in sys.path:
        try:
            names += (name for name in os.listdir(entry or ".") if name.endswith((".dist-info", ".egg-info")))
        except OSError:
            continue
    return hashlib.sha256("\0".join(sorted(names)).encode()).hexdigest()


def settled(value: object, depth: int = 0) -> object:
    """`value` as plain data with the same `repr` in every process: mappings sorted, an object
    with a `repr` of its own (a date) by that, and an object without one (a plugin, an
    extension instance) by its type."""
    if isinstance(value, _PLAIN):
        return value
    if depth > 12:
        return type(value).__qualname__
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, Mapping):
        return ("map", *sorted(((str(key), settled(item, depth + 1)) for key, item in value.items()), key=repr))
    if isinstance(value, (list, tuple)):
        return tuple(settled(item, depth + 1) for item in value)
    if isinstance(value, (set, frozenset)):
        return ("set", *sorted((settled(item, depth + 1) for item in value), key=repr))
    if callable(value) and hasattr(value, "__qualname__"):
        return f"{getattr(value, '__module__', '')}.{value.__qualname__}"
    spelt = repr(value)  # a date, a decimal: spelt in full; a plugin's object: by its type
    return type(value).__qualname__ if " at 0x" in spelt else (type(value).__qualname__, spelt)


def is_data(value: object, depth: int = 0) -> bool:
    """Whether `value` is plain data (text, numbers, lists and mappings of them), which
    `settled` spells in full."""
    if isinstance(value, _PLAIN):
        return True
    if depth > 12:
        return False
    if isinstance(value, Mapping):
        return all(isinstance(key, str) and is_data(item, depth + 1) for key, item in value.items())
    if isinstance(value, (list, tuple, set, frozenset)):
        return all(is_data(item, depth + 1) for item in value)
    return False


def digest(*parts: object) -> str:
    """The key of what `parts` spell (`repr`): the same in every process for plain data and
    dataclasses of it; anything spelt by its address gives a key nothing matches later,
    which only costs a render."""
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def _toc(items: list[AnchorLink]) -> tuple[object, ...]:
    return tuple((item.title, item.id, item.level, _toc(item.children)) for item in items)


def _nav(items: list[StructureItem]) -> tuple[object, ...]:
    """The navigation as the theme can see it: every item's kind, title, URL and children."""
    drawn: list[object] = []
    for item in items:
        if isinstance(item, Section):
            drawn.append(("section", item.title, _nav(item.children)))
        elif isinstance(item, Page):
            drawn.append((type(item).__qualname__, item.title, item.url, item.is_index, settled(item.meta)))
        else:
            drawn.append((type(item).__qualname__, item.title, getattr(item, "url", None)))
    return tuple(drawn)


def _theme_files(config: MkDocsConfig) -> str:
    """The bytes of the theme's folders that no installed package holds (a `custom_dir`)."""
    digest = hashlib.sha256()
    packages = {Path(path).resolve() for path in _package_roots()}
    for folder in config.theme.dirs:
        root = Path(folder).resolve()
        if any(root.is_relative_to(package) for package in packages):
            continue
        for path in sorted(root.rglob("*")):
            if path.is_file():
                digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


@cache
def _package_roots() -> tuple[str, ...]:
    import site
    import sysconfig

    roots = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"], *site.getsitepackages()}
    return tuple(sorted(str(Path(root).resolve()) for root in roots))


def _installed_path(path: Path) -> bool:
    """Whether an installed package holds `path` (its version is in `installed`)."""
    resolved = path.resolve()
    return any(resolved.is_relative_to(root) for root in _package_roots())


def _sources_digest(sources: tuple[str, ...]) -> str:
    """The bytes of each file of `sources` and the names in each folder (but `__pycache__`
    folders); a path that is gone or unreadable is spelt so."""
    spelt = hashlib.sha256()
    for source in sources:
        path = Path(source)
        try:
            if path.is_dir():
                content = "\0".join(sorted(name for name in os.listdir(path) if name != "__pycache__")).encode()
            else:
                content = path.read_bytes()
        except OSError:
            content = b"\1missing"
        spelt.update(source.encode() + b"\0" + hashlib.sha256(content).digest())
    return spelt.hexdigest()


def _uses_build_date(config: MkDocsConfig) -> bool:
    """Whether a template of the theme prints the build's date, which changes every build
    (hidden folders, such as Material's thousands of `.icons`, hold no templates)."""
    for root in config.theme.dirs:
        for folder, subfolders, names in os.walk(root):
            subfolders[:] = [name for name in subfolders if not name.startswith(".")]
            for name in names:
                if not name.endswith(".html"):
                    continue
                try:
                    if "build_date_utc" in (Path(folder) / name).read_text(encoding="utf-8", errors="replace"):
                        return True
                except OSError:
                    return True
    return False


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.records = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.records += 1


@contextmanager
def _counting_logs() -> Iterator[_Collect]:
    """Count what MkDocs logs meanwhile from `INFO` up."""
    handler = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)


FOLDER = "pages"
"""The folder, in the cache folder, of the kept pages' HTML (compressed, one file per key).
`PAGES`, kept with the parsed documents, lists the keys: a page is reused only when both
have it, so removing `documents.pickle` starts every page afresh too."""


class KeptPages:
    """Reuse of rendered pages within one build, seeded from earlier builds (`rolebook.cache`)."""

    def __init__(self, scope: str, cache: Path) -> None:
        self.scope = scope
        """Rolebook's code and the site's folder (`rolebook.cache.scope`)."""
        self.folder = cache / FOLDER
        self._settings = ""
        self._files = ""
        self._site = ""
        self._env: Environment | None = None
        self._page_only: bool | None = None
        """Whether hand-written pages' renders are kept (`render_markdown`)."""
        self._markdown = compat.ReusedMarkdown()
        """One Python-Markdown instance for the generated pages rendered this build."""
        self._templates: dict[str, str | None] = {}
        """`src_uri` -> the page's own `template` setting (if any), while the kept template
        stands in for it."""
        self.counts = {"markdown rendered": 0, "markdown kept": 0, "pages rendered": 0, "pages kept": 0}
        self.rendered: list[str] = []
        """The `src_uri` of each page whose template was rendered this build."""
        self.markdown_kept: list[str] = []
        """The `src_uri` of each page whose Python-Markdown render was kept from an earlier build."""

    def _settings_digest(self, config: MkDocsConfig) -> str:
        if not self._settings:
            # Where the site is written changes no page.
            items = {key: value for key, value in config.items() if key not in ("plugins", "theme", "site_dir")}
            plugins = {name: settled(getattr(plugin, "config", None)) for name, plugin in config.plugins.items()}
            theme = (config.theme.name, settled(dict(config.theme)), tuple(config.theme.dirs), _theme_files(config))
            self._settings = digest(self.scope, installed(), settled(items), plugins, theme)
        return self._settings

    def _files_digest(self, files: Files) -> str:
        if not self._files:
            listed = sorted((file.src_uri, file.url, file.dest_uri, file.inclusion.name) for file in files)
            self._files = digest(listed)
        return self._files

    # Python-Markdown

    def render_markdown(self, page: Page, config: MkDocsConfig, files: Files, generated: bool = True) -> None:
        """Give `page` what `Page.render` would: kept when its inputs are unchanged. A page
        Rolebook did not generate is kept only when the site's Markdown extensions read
        nothing but the page (`rolebook.compat.renders_from_markdown_alone`); one with API
        blocks (mkdocstrings: a second or more of a small site's build) is kept with what
        its render read and registered (`rolebook.compat.RenderRecord`)."""
        if self._page_only is None:
            self._page_only = compat.renders_from_markdown_alone(config)
        if not generated and not self._page_only:
            Page.render(page, config, files)
            return
        key = digest(
            "markdown",
            self._settings_digest(config),
            self._files_digest(files),
            page.file.src_uri,
            page.url,
            page.markdown,
            logging.getLogger("mkdocs").getEffectiveLevel() > logging.DEBUG,
        )
        kept = RENDERS.get(key)
        if kept is not None:
            content, toc, title, anchors, links, record, read = pickle.loads(kept)
            found = {uri: files.get_file_from_path(uri) for uri in links or {}}
            linked = {file: links[uri] for uri, file in found.items() if file is not None}
            if len(linked) == len(found) and read == _sources_digest(record.sources):
                page.content, page.toc, page._title_from_render = content, toc, title
                page.present_anchor_ids = anchors
                page.links_to_anchors = linked if links is not None else None
                record.replay(config, page)
                self.counts["markdown kept"] += 1
                self.markdown_kept.append(page.file.src_uri)
                return
        record = compat.RenderRecord()
        with _counting_logs() as logged, record.recording(config):
            if generated and self._page_only:
                self._markdown.render(page, config, files)
            else:
                Page.render(page, config, files)
        self.counts["markdown rendered"] += 1
        if logged.records:
            return
        if not generated and compat.holds_autodoc(page.markdown or "", config):
            sources = compat.autodoc_sources(config, _installed_path)
            if sources is None:
                return
            record.sources = tuple(map(str, sources))
        links = None
        if page.links_to_anchors is not None:
            links = {file.src_uri: targets for file, targets in page.links_to_anchors.items()}
        read = _sources_digest(record.sources)
        parts = (page.content, page.toc, page._title_from_render, page.present_anchor_ids, links, record, read)
        RENDERS.put(key, pickle.dumps(parts, protocol=pickle.HIGHEST_PROTOCOL))

    # The theme's template

    def stand_in(self, env: Environment, config: MkDocsConfig, nav: Navigation, files: Files) -> None:
        """Before the theme renders any page (`on_env`, once every page's content is final):
        note what every page shares (the navigation, the files, the settings) and let the
        kept template stand in for each page's own (`rolebook.compat.stand_in_template`)."""
        self._env = env
        self._templates = {}
        if _uses_build_date(config):
            return
        self._site = digest(
            "page", self._settings_digest(config), self._files_digest(files), _nav(nav.items), nav.homepage
        )
        for file in files.documentation_pages():
            page = file.page
            if page is not None and not file.inclusion.is_excluded():
                self._templates[file.src_uri] = compat.stand_in_template(env, page)

    def render_template(self, context: dict[str, Any], page: Page) -> None:
        """After every other plugin has seen the page's context (`on_page_context`, last): give
        the kept template the page as the theme writes it, kept or rendered now."""
        if page.file.src_uri not in self._templates or self._env is None:
            return
        own = self._templates.pop(page.file.src_uri)
        compat.restore_template(page, own)
        template = own or "main.html"
        key = self._page_key(context, page, template)
        kept = self._read(key) if key and PAGES.get(key) else None
        if kept is not None:
            compat.give_kept(context, kept)
            self.counts["pages kept"] += 1
            return
        output = self._env.get_template(template).render(context)
        self.counts["pages rendered"] += 1
        self.rendered.append(page.file.src_uri)
        if key and self._write(key, output):
            PAGES.put(key, True)
        compat.give_kept(context, output)

    def _read(self, key: str) -> str | None:
        try:
            return zlib.decompress((self.folder / key).read_bytes()).decode("utf-8")
        except (OSError, zlib.error, UnicodeDecodeError):
            return None

    def _write(self, key: str, output: str) -> bool:
        """Keep `output` under `key`: written whole or not at all."""
        return _write_whole(self.folder, key, zlib.compress(output.encode("utf-8"), 1))

    def prune(self) -> None:
        """Remove the kept pages this build did not use (`PAGES` lists the ones it did)."""
        _prune(self.folder, PAGES.entries())

    def _page_key(self, context: Mapping[str, Any], page: Page, template: str) -> str | None:
        """Everything the template can read of this page; `None` when the context holds
        something that has no data form (another plugin's object): that page is rendered."""
        extra = {}
        for name, value in context.items():
            if name in compat.CONTEXT_SHARED:
                continue
            if not is_data(value):
                return None
            extra[name] = settled(value)
        around = (page.previous_page, page.next_page)
        neighbours = tuple((other.title, other.url) if other else None for other in around)
        return digest(
            self._site,
            template,
            page.file.src_uri,
            page.url,
            page.canonical_url,
            page.abs_url,
            page.edit_url,
            page.title,
            page.is_homepage,
            page.content,
            _toc(page.toc.items),
            settled(page.meta),
            neighbours,
            extra,
        )


ROLES_FOLDER = "roles"
"""The folder, in the cache folder, of the kept role pages (`KeptRoles`)."""


class KeptRoles:
    """Role pages as the site step assembled them (their Markdown, pre-rendered HTML and
    sources page), kept between builds: one compressed file per key in `ROLES_FOLDER`,
    listed by `rolebook.cache.ROLES` (`rolebook.site.pages.role_key` names what a key covers).
    A page is reused only when both have it."""

    def __init__(self, scope: str, settings: str, cache: Path) -> None:
        self.base = digest("roles", scope, settings)
        """What every role page depends on beyond its own key: Rolebook's code and data
        files (`rolebook.cache.scope`) and the site's settings."""
        self.folder = cache / ROLES_FOLDER
        self.counts = {"roles assembled": 0, "roles kept": 0}
        self.assembled: list[str] = []
        """The id of each role whose page was assembled this build."""

    def get(self, key: str) -> Any | None:
        """What was kept under `key`, or None."""
        if not ROLES.get(key):
            return None
        try:
            return pickle.loads(zlib.decompress((self.folder / key).read_bytes()))
        except (OSError, zlib.error, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
            return None

    def write(self, key: str, value: object) -> bool:
        """Write `value` under `key`, whole or not at all (in a worker process too); `keep`
        then lists it."""
        try:
            data = zlib.compress(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL), 1)
        except (pickle.PicklingError, TypeError, AttributeError):
            return False
        return _write_whole(self.folder, key, data)

    def keep(self, key: str) -> None:
        """List the page `write` wrote under `key`, for later builds."""
        ROLES.put(key, True)

    def prune(self) -> None:
        """Remove the kept role pages this build did not use (`ROLES` lists the ones it did)."""
        _prune(self.folder, ROLES.entries())


def _write_whole(folder: Path, key: str, data: bytes) -> bool:
    """Write `data` to the file `key` of `folder`, whole or not at all."""
    target = folder / key
    partial = folder / f"{key}.{os.getpid()}"
    try:
        folder.mkdir(exist_ok=True)
        partial.write_bytes(data)
        os.replace(partial, target)
    except OSError:
        partial.unlink(missing_ok=True)
        return False
    return True


def _prune(folder: Path, used: Mapping[str, bool]) -> None:
    """Remove the files of `folder` whose name is not a key of `used`."""
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        if name not in used:
            (folder / name).unlink(missing_ok=True)
