"""Shim for runners that ship the package with --setup_file (Dataflow, Flink workers): everything is in pyproject.toml."""
from setuptools import setup

setup()
