"""Benchmarks and benchmark data generators (run as scripts or import bench.synth)."""
