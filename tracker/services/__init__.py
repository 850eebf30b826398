"""Write paths: services that validate and store records."""
