"""What `make docs` runs besides MkDocs itself: the hook that builds the settings reference from .env.example."""
