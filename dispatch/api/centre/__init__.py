"""The 12345 centre's, supervisors' and everyone's own endpoints: triage and the
centre's actions on an order, extension decisions, the reports as JSON,
notifications, and the unit directory. Thin doors onto the same services,
selectors and report functions the desk pages use."""
