"""Built-in templates and label files, installed as package data (this file makes it a package)."""
