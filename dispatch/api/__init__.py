"""The staff API under /api/v1/: queues, orders and their actions, triage,
extensions, reports and notifications, over dispatch's services and selectors."""
