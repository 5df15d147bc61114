"""The store on disk: Oxigraph directory, counts, whole-store exports, the default location."""
