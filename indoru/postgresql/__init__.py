"""Django's PostgreSQL backend, with LIMIT and OFFSET sent as parameters (see ``compiler``)."""
