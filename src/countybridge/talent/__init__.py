"""Talent and cadres: registry, certification, joint recruitment and matching (issue #3)."""
