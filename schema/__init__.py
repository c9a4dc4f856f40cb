"""Built-in vocabularies and JSON Schemas, installed as package data (this file makes it a package)."""
