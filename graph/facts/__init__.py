"""Facts: relation mentions (one per sentence and article) reconciled into one fact per
claim, each with its evidence ledger, kept in the named graph ``graph/facts``."""
