"""The rules of each thing coord keeps, as plain functions over values.

The command services and ``coord apply`` call the same functions, so a thing
refused on the command line is refused in a YAML file with the same words
(``apply`` adds the file, line and field path). Nothing here touches a store.
"""
