"""`python -m gitops_diff` is the `gitops-diff` command."""

from gitops_diff.cli import entry_point

entry_point()
