"""The application database: models, engine/session setup and migrations."""
