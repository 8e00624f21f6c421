"""One view per Open311 operation; `requests.<format>` sends GET and POST to theirs."""
