"""Queries whose page size is a parameter, not a literal.

A page of the timeline is ``… ORDER BY date, precision, id LIMIT 101``. With the limit written
into the SQL, PostgreSQL costs the statement's generic plan higher than a plan made for each
request's values, so the prepared statement was planned again on every run (1.4 ms a run at
scale 1). With ``LIMIT $n`` it settles on the generic plan after five runs (0.5 ms a run).
"""

from django.db.backends.postgresql.compiler import (
    SQLAggregateCompiler,
    SQLDeleteCompiler,
    SQLInsertCompiler,
    SQLUpdateCompiler,
)
from django.db.backends.postgresql.compiler import SQLCompiler as BaseSQLCompiler

__all__ = [
    "SQLAggregateCompiler",
    "SQLCompiler",
    "SQLDeleteCompiler",
    "SQLInsertCompiler",
    "SQLUpdateCompiler",
]


class SQLCompiler(BaseSQLCompiler):
    def as_sql(self, with_limits=True, with_col_aliases=False):
        sql, params = super().as_sql(with_limits, with_col_aliases)
        ops, low, high = self.connection.ops, self.query.low_mark, self.query.high_mark
        literal = ops.limit_offset_sql(low, high)
        # The limit ends the statement unless a FOR UPDATE clause follows it: keep those as is.
        if not (with_limits and literal and sql.endswith(f" {literal}")):
            return sql, params
        limit, offset = ops._get_limit_offset_params(low, high)
        clauses = {word: value for word, value in (("LIMIT", limit), ("OFFSET", offset)) if value}
        placeholders = " ".join(f"{word} %s" for word in clauses)
        return f"{sql[: -len(literal)]}{placeholders}", (*params, *clauses.values())
