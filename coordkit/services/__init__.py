"""Use cases. Keyword-only functions: reads take a ``Connection`` and return
plain dicts; writes take a ``Session`` (one unit of work) and record events."""
