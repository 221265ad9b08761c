"""What a rep or manager may see about a prospect: facts and openers, always via policies."""
