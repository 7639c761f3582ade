"""The catalogue: which documents exist (plan), whether they can be made (checks), making
one (document), making all of them incrementally (build, manifest, pool, watch) and the
personalised sheets."""
