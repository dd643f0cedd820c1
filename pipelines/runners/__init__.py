"""Runner fixes the project ships, selectable with --runner pipelines.runners.<module>.<Runner>."""
