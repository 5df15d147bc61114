"""The market as a networkx graph: projection, dependency model, questions."""
