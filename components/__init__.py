"""Layout pieces and pure figure builders. Nothing here reads files or registers callbacks."""
