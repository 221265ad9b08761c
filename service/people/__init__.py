"""People: the human behind each owner's prospect record, and the suppression list."""
