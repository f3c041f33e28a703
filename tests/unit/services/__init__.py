"""Tests of survey/services (pure rules shared by web and CLI)."""
