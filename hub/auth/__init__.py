"""Authentication: partner clients (OAuth 2.0), people (login), tokens, the principal."""
