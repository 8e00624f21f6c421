"""The handler's API: their units and queues, an order, and every action the order
page offers a handling unit. Views are doors onto dispatch's selectors and services."""
