"""Shared machinery of setup/run and setup/test."""
