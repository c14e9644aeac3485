"""The triage queue: escalations waiting for a lead, each with the route Handoff recommends."""
