"""Journey floor: the answering runner used by residents and by staff keying paper forms."""
