"""SQL the monitoring scan needs that Django does not ship, for PostgreSQL and SQLite."""

from django.db.models import Func, IntegerField


class DaysBetween(Func):
    """Whole days from the second date to the first: DaysBetween(end, start) = end - start."""

    arity = 2
    output_field = IntegerField()

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(
            compiler, connection, template="((%(expressions)s)::integer)", arg_joiner=" - ",
            **extra,
        )

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(
            compiler, connection,
            template="CAST(ROUND(julianday(%(expressions)s)) AS INTEGER)",
            arg_joiner=") - julianday(", **extra,
        )
