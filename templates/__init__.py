"""Built-in templates and label files, installed as package data.

This file only makes the folder a package.
"""
