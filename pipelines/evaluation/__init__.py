"""Offline evaluations of pipeline stages against labelled data."""
