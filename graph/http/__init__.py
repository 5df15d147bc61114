"""The HTTP side: the SPARQL endpoint, its worker and result formats, remote stores."""
