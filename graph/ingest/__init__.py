"""Building a store from articles: read, extract, map, write; in shards or on Dask."""
