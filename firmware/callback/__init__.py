"""The web callback service: requests, working-day profiles, the guard, origination."""
