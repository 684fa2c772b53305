"""Who is who in the communications column: parties, people, roles, deputies and availability."""
