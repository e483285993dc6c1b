"""Kept for imports: the one label catalogue is ipaward.labels (config/labels.toml)."""

from __future__ import annotations

from ipaward.labels import label

__all__ = ["label"]
