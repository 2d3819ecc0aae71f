"""All the HTML Rolebook writes: document bodies (`markdown`), role, sources and index pages
(`pages`, with the Jinja templates in `templates/`), matrices, conflicts and the graph
(`views`, `graph_layout`), role links in prose (`mentions`) and the fragments kept out of
Python-Markdown (`slots`)."""
