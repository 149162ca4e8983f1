"""Headline figures of the program."""
