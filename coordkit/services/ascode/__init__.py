"""Agreements as code: workspaces described in YAML files, validated, planned, applied, exported.

``load`` reads and merges files and checks every entity with the same rules as
the commands (each error names file, line, column and field path); ``export``
writes the store in the same shape, in a fixed order; ``plan`` compares the two
(a pure function, as pip-tools' ``diff``); ``apply`` carries a plan out in the
caller's one transaction through the same writers and services as the
commands; ``validate`` checks files without any store.
"""
