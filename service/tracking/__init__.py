"""The public collector: pixel, click redirect, site beacon and snippet."""
