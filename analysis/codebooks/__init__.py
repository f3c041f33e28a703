"""Codebooks shipped with the project (JSON files, loaded by analysis.text.codebook)."""
