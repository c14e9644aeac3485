"""SLA clocks computed locally from the event log: calendars, policies, pauses, warnings, explanations."""
