"""Benchmarks and corpus tooling for gitops-diff (not part of the installed package)."""
