"""Policy versions, activation, and (later) preview, audit, export and erasure."""
