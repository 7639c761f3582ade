"""Finish: put rendered PDF bytes where they belong, without ever leaving a broken file."""
