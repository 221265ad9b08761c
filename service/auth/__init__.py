"""Users, API keys and role checks."""
