"""Rules shared by the web and the command line (no Flask request objects here)."""
