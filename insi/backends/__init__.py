"""INSi backends: ``soap`` speaks to the real teleservice, ``simulator`` answers in process."""
