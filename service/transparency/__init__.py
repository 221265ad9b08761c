"""The prospect's own view: what was recorded, what a rep sees, and the opt-out."""
