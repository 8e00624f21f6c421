"""What every API door shares: authentication, the error shape, pagination, and
the one exception handler that turns the services' refusals into HTTP answers."""
