"""Data files of the theme pipeline: stopwords and UK variant rules (read with importlib.resources)."""
