"""Who is responsible for what: claims read from documents, the areas they are sorted
into, and the matrices and conflicts built from them."""
