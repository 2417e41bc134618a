"""Compatibility layers for code written against other keystore libraries."""
