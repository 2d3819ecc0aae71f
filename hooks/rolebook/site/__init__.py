"""The site step: from an analysis, the pages and files Rolebook adds to a site (`pages`),
laid out by `rolebook.urls`; the roles in the navigation (`nav`); links resolved per page
(`links`); and the search index (`search`)."""
