"""Built-in vocabularies and JSON Schemas, installed as package data.

This file only makes the folder a package.
"""
