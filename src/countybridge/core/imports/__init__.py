"""Registry imports from CSV and .xlsx: pure readers (`readers`, `columns`), one spec per registry
(`organisations`, `people`, `pairings`), and the dry-run / commit use cases (`services`).

This package's __init__ imports nothing, so the pure readers load without Django.
"""
