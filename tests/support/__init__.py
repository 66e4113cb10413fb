"""Test helpers shared by several test folders (importable as `support.*`: tests/ is on sys.path)."""
