"""MkDocs hook: runs the Rolebook plugin (`rolebook.plugin`) for this project's own site,
straight from the checkout, with its settings under `extra.rolebook` in `mkdocs.yml`.

Any other site installs the package (`pip install <this project>`) and lists the plugin
instead: `plugins: [search, rolebook: {sources: roles}]`. Both read the same settings and
build the same site.
"""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig

from rolebook.plugin import RolebookPlugin

_plugin = RolebookPlugin()


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    _plugin.raw_settings = dict(config.extra or {}).get("rolebook", {})
    return _plugin.on_config(config)


on_startup = _plugin.on_startup
on_files = _plugin.on_files
on_nav = _plugin.on_nav
on_pre_page = _plugin.on_pre_page
on_page_markdown = _plugin.on_page_markdown
on_page_content = _plugin.on_page_content
on_page_context = _plugin.on_page_context
on_env = _plugin.on_env
on_pre_build = _plugin.on_pre_build
on_post_page = _plugin.on_post_page
on_post_template = _plugin.on_post_template
on_post_build = _plugin.on_post_build
on_serve = _plugin.on_serve
