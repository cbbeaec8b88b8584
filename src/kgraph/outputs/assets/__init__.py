"""The map page's script, stylesheet and HTML template (package data, read with importlib.resources)."""
