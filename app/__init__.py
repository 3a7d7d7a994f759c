"""Démarche: who said what in diplomatic news, when, and on which theme."""
