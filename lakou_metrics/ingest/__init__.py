"""Bytes → guarded raw tables → tidy frames: reading, header aliases, cleaning; problems collected."""
