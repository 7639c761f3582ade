"""The desk: a local web page for reception and therapists, the second face beside cli.py.

`app.create_app` is the Starlette app, one module per page beside it, templates and the
style sheet in templates/ and static/; `server.serve` runs it for `handouts desk`.
"""
