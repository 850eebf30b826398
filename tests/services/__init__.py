"""The services: the writes that the admin, the API and the commands share."""
