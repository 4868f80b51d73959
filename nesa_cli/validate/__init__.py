"""Whole-repository validation: strict loading, schemas, then cross-file rules."""

from nesa_cli.validate.run import Result, validate

__all__ = ["Result", "validate"]
