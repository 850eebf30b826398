"""Read-side queries, kept apart from views so that views stay thin."""
