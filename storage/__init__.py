"""Petition Desk core: schema, records and their rules. Never imports Qt or ui/."""
