"""Documents from Jinja templates: HTML pages, spreadsheets, and (later) PDF and DOCX."""
