"""The weekly digest: what changed, what is coming up, what is due, validation."""

from nesa_cli.digest.build import SECTIONS, build_digest

__all__ = ["SECTIONS", "build_digest"]
