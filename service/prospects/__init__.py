"""Prospects and who may see them."""
