"""The site around the roles: the sidebar navigation and the search index."""
