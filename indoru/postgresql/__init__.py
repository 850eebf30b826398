"""Django's PostgreSQL backend, with LIMIT and OFFSET sent as parameters (see ``compiler``)
and times loaded by psycopg's own loader (see ``base``)."""
