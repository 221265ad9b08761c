"""Outgoing messages: instrumentation and the email_sent record."""
